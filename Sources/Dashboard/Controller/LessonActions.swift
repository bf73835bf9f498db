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

/// What a lesson key reads: the frame the class saw, the run's config and the dashboard's
/// state. Values only: a key's plan and its answer never reach into the running simulation, so
/// each is tested from a literal snapshot, as the panes are.
struct KeyContext: Sendable {
    var snapshot: Snapshot
    var config: OrderflowConfig
    var state: DashboardState

    /// Instances of `service` running in this frame.
    func running(_ service: ServiceName) -> Int {
        snapshot.instances.filter { $0.service == service && $0.state == .running }.count
    }
}

/// The lesson keys as a table: for each, the simulation action it asks for as things stand,
/// and the status line that action and its `ActionOutcome` become. The controller runs the
/// table; the simulation checks every guard, so nothing here re-checks one.
struct LessonAction: Sendable {
    enum Plan: Sendable {
        case perform(SimulationAction)
        /// Nothing to do: the answer says why.
        case answer(String)
    }

    var plan: @Sendable (KeyContext) -> Plan
    /// The answer to the performed action, from its outcome and the frame it was planned in.
    var message: @Sendable (ActionOutcome, SimulationAction, KeyContext) -> String
    /// When the message stops being true (a fault fired, a timeout passed); nil: it just ages.
    var expiry: (@Sendable (KeyContext) -> MessageExpiry)? = nil

    static let noSelection = "select an order first: Tab to Orders, then the arrows"

    static let table: [DashboardAction: LessonAction] = [
        .placeOrder: LessonAction(
            plan: { _ in .perform(.placeOrders(1)) },
            message: { outcome, _, _ in
                guard case .placed(let accepted, _) = outcome, let order = accepted.first else {
                    return "order rejected: order-service is down"
                }
                return "order \(shortOrderId(order.orderId)) accepted: \(order.status.rawValue)"
            }),
        .placeTenOrders: LessonAction(
            plan: { _ in .perform(.placeOrders(10)) },
            message: { outcome, _, _ in
                guard case .placed(let accepted, let rejected) = outcome else { return "" }
                return rejected == 0
                    ? "\(accepted.count) orders accepted: \(accepted.first?.status.rawValue ?? "")"
                    : "\(accepted.count) accepted, \(rejected) rejected"
            }),
        .toggleTraffic: LessonAction(
            plan: { key in .perform(.setTraffic(on: !key.snapshot.trafficOn)) },
            message: { _, action, key in
                action == .setTraffic(on: true)
                    ? "auto traffic on at \(rateText(key.snapshot.trafficRate))" : "auto traffic off"
            }),
        .raiseRate: LessonAction(
            plan: { key in .perform(.setTrafficRate(nextRate(after: key.snapshot.trafficRate, up: true))) },
            message: rateMessage),
        .lowerRate: LessonAction(
            plan: { key in .perform(.setTrafficRate(nextRate(after: key.snapshot.trafficRate, up: false))) },
            message: rateMessage),
        .toggleDesign: LessonAction(
            plan: { key in .perform(.setDesign(key.snapshot.settings.design == .honest ? .optimistic : .honest)) },
            message: { _, action, _ in
                action == .setDesign(.optimistic)
                    ? "design optimistic: new orders are CONFIRMED and emailed at once, before payment"
                    : "design honest: new orders wait in PENDING_PAYMENT until payment.completed"
            }),
        .togglePublish: LessonAction(
            plan: { key in
                .perform(.setPublish(key.snapshot.settings.publish == .bestEffort ? .outbox : .bestEffort))
            },
            message: { _, action, _ in
                action == .setPublish(.outbox)
                    ? "publish outbox: order and outbox row commit together; the relay publishes"
                    : "publish best-effort: commit, then send (the dual write)"
            }),
        .toggleIdempotency: LessonAction(
            plan: { key in .perform(.setIdempotency(key.snapshot.settings.idempotency == .on ? .off : .on)) },
            message: { _, action, _ in
                action == .setIdempotency(.on)
                    ? "idempotency on: provider key + processed-event tables; repeats are dedup hits"
                    : "idempotency off: a redelivered event charges and emails again"
            }),
        .killPaymentBeforeCommit: LessonAction(
            plan: { _ in .perform(.killPaymentBeforeCommit) },
            message: { _, _, _ in
                "armed: payment-service processes its next record, then dies before the commit"
            }, expiry: { _ in .whenFalse { $0.killBeforeCommitArmed } }),
        .crashOutboxRelay: LessonAction(
            plan: { _ in .perform(.crashOutboxRelay) },
            message: { outcome, _, _ in
                outcome == .armed(inUse: true)
                    ? "armed: the relay's next pass dies between a publish and its mark"
                    : "armed, but the relay only runs with the outbox (p)"
            }, expiry: { _ in .whenFalse { $0.outbox.crashArmed } }),
        .crashMidPublish: LessonAction(
            plan: { _ in .perform(.crashMidPublish(downtime: nil)) },
            message: { _, _, key in
                key.snapshot.settings.publish == .outbox
                    ? "armed: the next order commits with its outbox row, then order-service goes down"
                    : "armed: the next order is committed and never published (dual write)"
            }, expiry: { _ in .whenFalse { $0.crashArmed } }),
        .toggleSlowProvider: LessonAction(
            plan: { key in .perform(.slowProvider(factor: key.snapshot.providerSlowdown == 1 ? 10 : 1)) },
            message: { _, action, _ in
                guard case .slowProvider(let factor) = action, factor != 1 else {
                    return "the payment provider answers as configured again"
                }
                return "the payment provider is \(factor)× slower: watch batches vs max.poll.interval.ms"
            }),
        .toggleMaxPollRecords: LessonAction(
            plan: { key in
                .perform(.setMaxPollRecords(key.snapshot.maxPollRecords == 10 ? key.config.maxPollRecords : 10))
            },
            message: { _, action, _ in
                guard case .setMaxPollRecords(let n) = action else { return "" }
                return "consumers redeployed with max.poll.records \(n)"
            }),
        .rejectSends: LessonAction(
            plan: { _ in .perform(.rejectSends(5)) },
            message: { _, _, _ in
                "the broker rejects the next 5 sends"
            }, expiry: { _ in .whenFalse { $0.pendingRejections > 0 } }),
        .redrive: LessonAction(
            plan: { _ in .perform(.redrive) },
            message: { outcome, _, _ in
                guard case .redriven(let sent?) = outcome else { return "no dead-letter topics in this run" }
                return sent == 0
                    ? "the dead-letter topics hold nothing a redrive has not sent back"
                    : "redrove \(sent) record\(sent == 1 ? "" : "s") from the DLTs to their topics: fixed causes pass now"
            }),
        .cancelSelectedOrder: LessonAction(
            plan: { key in
                key.state.selectedOrderId.map { .perform(.cancel(orderId: $0)) } ?? .answer(noSelection)
            },
            message: { outcome, _, _ in
                switch outcome {
                case .cancelled(let ids):
                    "order \(shortOrderId(ids.first ?? "")) CANCELLED: a payment that lands now means a refund"
                case .rejected(.orderServiceDown): "cancel rejected: order-service is down"
                case .rejected(.notCancellable(let id, let status)):
                    "order \(shortOrderId(id)) is \(status?.rawValue ?? "gone"): only PENDING_PAYMENT can be cancelled"
                default: ""
                }
            }),
        .togglePaymentConsumer: LessonAction(
            plan: { key in
                .perform(key.running(.payment) > 0 ? .kill(.payment, instance: nil) : .start(.payment))
            },
            message: { outcome, action, key in
                guard case .instances(let ids) = outcome else { return "" }
                if action == .start(.payment) {
                    return "payment-service restarted: it rejoins and resumes from the committed offsets"
                }
                return
                    "killed \(ids.count) payment-service instance\(ids.count == 1 ? "" : "s"): their partitions wait "
                    + "out the \(key.config.sessionTimeout) timeout"
            }, expiry: { key in .at(key.snapshot.now + key.config.sessionTimeout) }),
        .killOnePaymentInstance: LessonAction(
            plan: { key in
                guard
                    let victim = key.snapshot.instances.last(where: { $0.service == .payment && $0.state == .running })
                else {
                    return .answer("no payment-service instance is running (k restarts them)")
                }
                return .perform(.kill(.payment, instance: victim.number))
            },
            message: { outcome, _, key in
                guard case .instances(let ids) = outcome, let id = ids.first else { return "" }
                // The frame counted the victim among the running.
                return key.running(.payment) > 1
                    ? "killed \(id): a survivor takes its partitions after the \(key.config.sessionTimeout) timeout"
                    : "killed \(id), the last one running: its partitions wait for a restart (k)"
            }, expiry: { key in .at(key.snapshot.now + key.config.sessionTimeout) }),
        .toggleNotificationConsumer: LessonAction(
            plan: { key in
                .perform(
                    key.running(.notification) > 0 ? .kill(.notification, instance: nil) : .start(.notification))
            },
            message: { _, action, _ in
                action == .start(.notification)
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

    @Sendable static func rateMessage(_: ActionOutcome, action: SimulationAction, key: KeyContext) -> String {
        guard case .setTrafficRate(let rate) = action else { return "" }
        return "traffic rate \(rateText(rate))" + (key.snapshot.trafficOn ? "" : " (traffic is off: t)")
    }
}
