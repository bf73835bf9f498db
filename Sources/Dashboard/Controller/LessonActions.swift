import Bus
import Events
import Services
import Simulation

/// When a key's answer stops describing the present.
enum MessageExpiry: Sendable {
    /// A virtual time: a timeout the message announces.
    case at(VirtualTime)
    /// A condition on the frame's snapshot: the armed fault is still armed.
    case whenFalse(@Sendable (Snapshot) -> Bool)

    func holds(_ snapshot: Snapshot) -> Bool {
        switch self {
        case .at(let time): snapshot.now < time
        case .whenFalse(let condition): condition(snapshot)
        }
    }
}

/// The lesson keys as a table: for each, the simulation action it asks for as things stand,
/// and the status line that its `ActionOutcome` becomes. The controller runs the table; the
/// simulation checks every guard, so nothing here re-checks one.
struct LessonAction: Sendable {
    enum Plan: Sendable {
        case perform(SimulationAction)
        /// Nothing to do: the answer says why.
        case answer(String)
    }

    var plan: @Sendable (Simulation, DashboardState) -> Plan
    var message: @Sendable (ActionOutcome, Simulation) -> String
    /// When the message stops being true (a fault fired, a timeout passed); nil: it just ages.
    var expiry: (@Sendable (Simulation) -> MessageExpiry)? = nil

    static let noSelection = "select an order first: Tab to Orders, then the arrows"

    static let table: [DashboardAction: LessonAction] = [
        .placeOrder: LessonAction(
            plan: { _, _ in .perform(.placeOrders(1)) },
            message: { outcome, _ in
                guard case .placed(let accepted, _) = outcome, let order = accepted.first else {
                    return "order rejected: order-service is down"
                }
                return "order \(shortId(order.orderId)) accepted: \(order.status.rawValue)"
            }),
        .placeTenOrders: LessonAction(
            plan: { _, _ in .perform(.placeOrders(10)) },
            message: { outcome, _ in
                guard case .placed(let accepted, let rejected) = outcome else { return "" }
                return rejected == 0
                    ? "\(accepted.count) orders accepted: \(accepted.first?.status.rawValue ?? "")"
                    : "\(accepted.count) accepted, \(rejected) rejected"
            }),
        .toggleTraffic: LessonAction(
            plan: { sim, _ in .perform(.setTraffic(on: !sim.trafficOn)) },
            message: { _, sim in
                sim.trafficOn ? "auto traffic on at \(rateText(sim.trafficRate))" : "auto traffic off"
            }),
        .raiseRate: LessonAction(
            plan: { sim, _ in .perform(.setTrafficRate(nextRate(after: sim.trafficRate, up: true)))
            },
            message: {
                _, sim in rateMessage(sim)
            }),
        .lowerRate: LessonAction(
            plan: { sim, _ in
                .perform(.setTrafficRate(nextRate(after: sim.trafficRate, up: false)))
            },
            message: {
                _, sim in rateMessage(sim)
            }),
        .toggleDesign: LessonAction(
            plan: { sim, _ in .perform(.setDesign(sim.settings.design == .honest ? .optimistic : .honest)) },
            message: { _, sim in
                sim.settings.design == .optimistic
                    ? "design optimistic: new orders are CONFIRMED and emailed on creation, before any payment"
                    : "design honest: new orders wait in PENDING_PAYMENT until payment.completed"
            }),
        .togglePublish: LessonAction(
            plan: { sim, _ in .perform(.setPublish(sim.settings.publish == .bestEffort ? .outbox : .bestEffort)) },
            message: { _, sim in
                sim.settings.publish == .outbox
                    ? "publish outbox: order and outbox row commit together; the relay publishes"
                    : "publish best-effort: commit, then send (the dual write)"
            }),
        .toggleIdempotency: LessonAction(
            plan: { sim, _ in .perform(.setIdempotency(sim.settings.idempotency == .on ? .off : .on)) },
            message: { _, sim in
                sim.settings.idempotency == .on
                    ? "idempotency on: provider key + processed-event tables; repeats are dedup hits"
                    : "idempotency off: a redelivered event charges and emails again"
            }),
        .killPaymentBeforeCommit: LessonAction(
            plan: { _, _ in .perform(.killPaymentBeforeCommit) },
            message: { _, _ in
                "armed: the next payment-service record is processed, then its instance dies before the commit"
            }, expiry: { _ in .whenFalse { $0.killBeforeCommitArmed } }),
        .crashOutboxRelay: LessonAction(
            plan: { _, _ in .perform(.crashOutboxRelay) },
            message: { outcome, _ in
                outcome == .armed(inUse: true)
                    ? "armed: the relay's next pass dies between a publish and its mark"
                    : "armed, but the relay only runs with the outbox (p)"
            }, expiry: { _ in .whenFalse { $0.outbox.crashArmed } }),
        .crashOrderService: LessonAction(
            plan: { _, _ in .perform(.crashOrderServiceMidPublish(downtime: nil)) },
            message: {
                _, sim in
                sim.settings.publish == .outbox
                    ? "armed: the next order commits with its outbox row, then order-service and its relay go down"
                    : "armed: the next order is committed and never published (dual write)"
            }, expiry: { _ in .whenFalse { $0.crashArmed } }),
        .toggleSlowProvider: LessonAction(
            plan: { sim, _ in .perform(.slowProvider(factor: sim.provider.slowdown == 1 ? 10 : 1)) },
            message: { _, sim in
                sim.provider.slowdown == 1
                    ? "the payment provider answers as configured again"
                    : "the payment provider answers \(sim.provider.slowdown)× slower: watch batches against max.poll.interval.ms"
            }),
        .toggleMaxPollRecords: LessonAction(
            plan: { sim, _ in .perform(.setMaxPollRecords(sim.maxPollRecords == 10 ? sim.config.maxPollRecords : 10)) },
            message: { _, sim in "consumers redeployed with max.poll.records \(sim.maxPollRecords)" }),
        .rejectSends: LessonAction(
            plan: { _, _ in .perform(.rejectSends(5)) },
            message: { _, _ in
                "the broker rejects the next 5 sends"
            }, expiry: { _ in .whenFalse { $0.pendingRejections > 0 } }),
        .cancelSelectedOrder: LessonAction(
            plan: { _, state in state.selectedOrderId.map { .perform(.cancel(orderId: $0)) } ?? .answer(noSelection) },
            message: { outcome, _ in
                switch outcome {
                case .cancelled(let ids):
                    "order \(shortId(ids.first ?? "")) CANCELLED: a payment that lands now means a refund"
                case .refused(.orderServiceDown): "cancel rejected: order-service is down"
                case .refused(.notCancellable(let id, let status)):
                    "order \(shortId(id)) is \(status?.rawValue ?? "gone"): only PENDING_PAYMENT can be cancelled"
                default: ""
                }
            }),
        .togglePaymentConsumer: LessonAction(
            plan: { sim, _ in
                .perform(running(.payment, in: sim) > 0 ? .kill(.payment, instance: nil) : .start(.payment))
            },
            message: { outcome, sim in
                guard case .instances(let ids) = outcome else { return "" }
                if running(.payment, in: sim) > 0 {
                    return "payment-service restarted: it rejoins and resumes from the committed offsets"
                }
                return
                    "killed \(ids.count) payment-service instance\(ids.count == 1 ? "" : "s"): partitions stay assigned "
                    + "until the \(sim.config.sessionTimeout) session timeout"
            }, expiry: { sim in .at(sim.now + sim.config.sessionTimeout) }),
        .killOnePaymentInstance: LessonAction(
            plan: { sim, _ in
                guard let victim = sim.instanceRows.last(where: { $0.service == .payment && $0.state == .running })
                else {
                    return .answer("no payment-service instance is running (k restarts them)")
                }
                return .perform(.kill(.payment, instance: victim.number))
            },
            message: { outcome, sim in
                guard case .instances(let ids) = outcome, let id = ids.first else { return "" }
                return running(.payment, in: sim) > 0
                    ? "killed \(id): its partitions move to a survivor after the \(sim.config.sessionTimeout) session timeout"
                    : "killed \(id), the last one running: its partitions wait for a restart (k)"
            }, expiry: { sim in .at(sim.now + sim.config.sessionTimeout) }),
        .toggleNotificationConsumer: LessonAction(
            plan: { sim, _ in
                .perform(
                    running(.notification, in: sim) > 0 ? .kill(.notification, instance: nil) : .start(.notification))
            },
            message: { _, sim in
                running(.notification, in: sim) > 0
                    ? "notification-service restarted"
                    : "notification-service killed: emails wait, order-service still confirms"
            }),
    ]

    /// Traffic rates `+` and `-` step through, orders per virtual second.
    static let rates: [Double] = [0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500]

    static func nextRate(after rate: Double, up: Bool) -> Double {
        up
            ? rates.first { $0 > rate + 1e-9 } ?? rates[rates.count - 1]
            : rates.last { $0 < rate - 1e-9 } ?? rates[0]
    }

    static func rateMessage(_ sim: Simulation) -> String {
        "traffic rate \(rateText(sim.trafficRate))" + (sim.trafficOn ? "" : " (traffic is off: t)")
    }

    static func running(_ service: ServiceName, in sim: Simulation) -> Int {
        sim.instanceRows.filter { $0.service == service && $0.state == .running }.count
    }
}
