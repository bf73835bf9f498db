import Bus
import Events
import Services
import Simulation

/// Applies keys to the dashboard state and the simulation, and runs the virtual clock.
///
/// It holds no terminal and reads no clock: the backend passes in keys and elapsed wall time,
/// so every reaction to a key is testable without a screen.
public final class DashboardController {
    public let simulation: Simulation
    /// The narrated scenario being played, if the dashboard was started with one.
    public let player: ScenarioPlayer?
    public private(set) var state = DashboardState()
    /// The sweep behind the reconciliation overlay; re-taken each virtual second while it is open.
    public private(set) var sweep: ReconciliationReport?
    /// A sweep scans whole tables: at high speed it is re-taken every few frames, not every frame.
    private var framesSinceSweep = 0
    static let framesBetweenSweeps = 10
    private var journey: OrderJourney?
    private var journeyTakenAt: VirtualTime?
    /// Traffic rates `+` and `-` step through, orders per virtual second.
    public static let rates: [Double] = [0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500]
    /// Fractions of a virtual millisecond not yet applied, so slow frames at 1× add up exactly.
    private var carry = 0.0
    /// The snapshot behind the last frame: selection moves through what the class saw.
    public private(set) var lastSnapshot: Snapshot?
    /// Scroll limits found by the last render, per pane.
    private var scrollLimits: [PaneID: Int] = [:]

    public init(simulation: Simulation, player: ScenarioPlayer? = nil) {
        self.simulation = simulation
        self.player = player
        // Steps at 0s run before the first frame, so the class sees step 1 at once.
        player?.advance(simulation, to: simulation.now)
    }

    /// The panes on screen, in Tab order.
    public var visiblePanes: [PaneID] { PaneID.visible(narrating: player != nil) }

    // MARK: Keys

    /// Looks the key up in the keymap and applies its action; unknown keys do nothing.
    public func handle(_ key: Key) {
        guard let action = Keymap.action(for: key) else { return }
        apply(action)
    }

    public func apply(_ action: DashboardAction) {
        let sim = simulation
        switch action {
        case .placeOrder:
            let placed = sim.placeOrder()
            state.message = placed.map { "order \(shortId($0.orderId)) accepted: \($0.status.rawValue)" }
                ?? "order rejected: order-service is down"
        case .placeTenOrders:
            let before = sim.rejectedOrders
            sim.perform(.placeOrders(10))
            let rejected = sim.rejectedOrders - before
            state.message = rejected == 0 ? "10 orders accepted: PENDING_PAYMENT" : "\(10 - rejected) accepted, \(rejected) rejected"
        case .toggleTraffic:
            sim.perform(.setTraffic(on: !sim.trafficOn))
            state.message = sim.trafficOn ? "auto traffic on at \(rateText(sim.trafficRate))" : "auto traffic off"
        case .raiseRate, .lowerRate:
            let rates = Self.rates
            let next = action == .raiseRate
                ? rates.first { $0 > sim.trafficRate + 1e-9 } ?? rates.last!
                : rates.last { $0 < sim.trafficRate - 1e-9 } ?? rates.first!
            sim.perform(.setTrafficRate(next))
            state.message = "traffic rate \(rateText(next))" + (sim.trafficOn ? "" : " (traffic is off: t)")
        case .toggleDesign:
            let design: OrderDesign = sim.settings.design == .honest ? .optimistic : .honest
            sim.perform(.setDesign(design))
            state.message = design == .optimistic
                ? "design optimistic: new orders are CONFIRMED and emailed on creation, before any payment"
                : "design honest: new orders wait in PENDING_PAYMENT until payment.completed"
        case .togglePublish:
            let publish: PublishStrategy = sim.settings.publish == .bestEffort ? .outbox : .bestEffort
            sim.perform(.setPublish(publish))
            state.message = publish == .outbox
                ? "publish outbox: order and outbox row commit together; the relay publishes"
                : "publish best-effort: commit, then send (the dual write)"
        case .toggleIdempotency:
            let idempotency: Idempotency = sim.settings.idempotency == .on ? .off : .on
            sim.perform(.setIdempotency(idempotency))
            state.message = idempotency == .on
                ? "idempotency on: provider key + processed-event tables; repeats are dedup hits"
                : "idempotency off: a redelivered event charges and emails again"
        case .killPaymentBeforeCommit:
            sim.perform(.killPaymentBeforeCommit)
            state.message = "armed: the next payment-service record is processed, then its instance dies before the commit"
        case .crashOutboxRelay:
            sim.perform(.crashOutboxRelay)
            state.message = sim.settings.publish == .outbox || sim.relay.pending > 0
                ? "armed: the relay's next pass dies between a publish and its mark"
                : "armed, but the relay only runs with the outbox (p)"
        case .cancelSelectedOrder:
            guard let id = state.selectedOrderId else {
                state.message = "select an order first: Tab to Orders, then the arrows"
                return
            }
            if sim.orderServiceDownUntil != nil {
                state.message = "cancel rejected: order-service is down"
            } else if sim.cancel(id) {
                state.message = "order \(shortId(id)) CANCELLED: a payment that lands now means a refund"
            } else {
                let status = (try? sim.orderService.order(id))??.status.rawValue ?? "gone"
                state.message = "order \(shortId(id)) is \(status): only PENDING_PAYMENT can be cancelled"
            }
        case .followSelectedOrder:
            guard let id = state.selectedOrderId else {
                state.message = "select an order first: Tab to Orders, then the arrows"
                return
            }
            journey = nil
            state.overlay = .journey(orderId: id)
        case .reconcile:
            if state.overlay == .reconciliation {
                state.overlay = nil
            } else {
                sweep = sim.reconcile()
                framesSinceSweep = 0
                state.overlay = .reconciliation
                let missing = sweep!.ordersWithoutEvent.count
                state.message = sweep!.isClean ? "reconciliation: nothing found"
                    : missing > 0 ? "reconciliation: R republishes the \(missing) missing OrderCreatedEvent\(missing == 1 ? "" : "s")"
                    : "reconciliation: no event is missing; the rest needs a person (refunds, duplicates)"
            }
        case .repair:
            let report = sim.repair()
            // What the class sees next is the state after the republish, not before it.
            sweep = sim.reconcile()
            sweep?.republished = report.republished
            framesSinceSweep = 0
            state.overlay = .reconciliation
            let n = report.republished ?? 0
            state.message = n == 0 ? "repair: no order is missing its event"
                : "republished \(n) OrderCreatedEvent\(n == 1 ? "" : "s"): watch payment-service pick \(n == 1 ? "it" : "them") up"
        case .nextScenarioStep:
            guard let player else {
                state.message = "no scenario: start with orderflow --scenario NAME --guided"
                return
            }
            if player.waiting {
                player.proceed()
                state.message = player.progress.nextStepAt.map { "running on to the next step at \($0)" } ?? "last step: the flow runs on"
            } else {
                state.message = player.progress.nextStepAt.map { "the next step runs at \($0)" } ?? "the scenario has no more steps"
            }
        case .togglePaymentConsumer:
            if running(.payment) > 0 {
                let n = running(.payment)
                sim.perform(.kill(.payment, instance: nil))
                state.message = "killed \(n) payment-service instance\(n == 1 ? "" : "s"): partitions stay assigned "
                    + "until the \(sim.config.sessionTimeout) session timeout"
            } else {
                sim.perform(.start(.payment))
                state.message = "payment-service restarted: it rejoins and resumes from the committed offsets"
            }
        case .killOnePaymentInstance:
            if let victim = sim.instanceRows.last(where: { $0.service == .payment && $0.state == .running }) {
                let index = Int(victim.clientId.split(separator: "-").last ?? "") ?? 1
                sim.perform(.kill(.payment, instance: index))
                state.message = "killed \(victim.clientId): its partitions move to a survivor after \(sim.config.sessionTimeout)"
            } else {
                state.message = "no payment-service instance is running (k restarts them)"
            }
        case .toggleNotificationConsumer:
            if running(.notification) > 0 {
                sim.perform(.kill(.notification, instance: nil))
                state.message = "notification-service killed: emails wait, order-service still confirms"
            } else {
                sim.perform(.start(.notification))
                state.message = "notification-service restarted"
            }
        case .crashOrderService:
            sim.perform(.crashOrderServiceMidPublish(downtime: nil))
            state.message = sim.settings.publish == .outbox
                ? "armed: the next order commits with its outbox row, then order-service and its relay go down"
                : "armed: the next order is committed and never published (dual write)"
        case .rejectSends:
            sim.perform(.rejectSends(5))
            state.message = "the broker rejects the next 5 sends"
        case .togglePause:
            state.paused.toggle()
            carry = 0
            state.message = state.paused ? "paused (. steps one virtual second)" : "running"
        case .speedUp:
            state.speed = Speed(rawValue: min(Speed.allCases.count - 1, state.speed.rawValue + 1))!
            state.message = "speed \(state.speed.label)"
        case .slowDown:
            state.speed = Speed(rawValue: max(0, state.speed.rawValue - 1))!
            state.message = "speed \(state.speed.label)"
        case .stepOneSecond:
            if state.paused {
                advanceClock(by: .seconds(1))
                state.message = "stepped to \(sim.now)"
            } else {
                state.message = "pause first (space), then . steps one virtual second"
            }
        case .focusNext, .focusPrevious:
            let all = visiblePanes
            if let focus = state.focus {
                let i = all.firstIndex(of: focus)! + (action == .focusNext ? 1 : all.count - 1)
                state.focus = all[i % all.count]
            } else {
                state.focus = action == .focusNext ? all.first : all.last
            }
        case .scrollUp: move(by: -1)
        case .scrollDown: move(by: 1)
        case .pageUp: move(by: -10)
        case .pageDown: move(by: 10)
        case .scrollTop: move(by: -1_000_000)
        case .scrollBottom: move(by: 1_000_000)
        case .toggleHelp: state.overlay = state.overlay == .help ? nil : .help
        case .closeOverlay:
            if state.overlay != nil { state.overlay = nil } else { state.focus = nil }
        case .quit: state.quitRequested = true
        }
    }

    private func running(_ service: ServiceName) -> Int {
        simulation.instanceRows.filter { $0.service == service && $0.state == .running }.count
    }

    /// Arrow keys: move the order selection in the Orders pane, scroll any other focused pane.
    private func move(by delta: Int) {
        guard let focus = state.focus else {
            state.message = "Tab first: the arrow keys scroll the focused pane"
            return
        }
        if focus == .orders, let orders = lastSnapshot?.recentOrders.reversed().map(\.orderId), !orders.isEmpty {
            let current = state.selectedOrderId.flatMap { orders.firstIndex(of: $0) }
            // With nothing selected yet, the first arrow selects the newest order.
            let next = current.map { max(0, min(orders.count - 1, $0 + delta)) } ?? 0
            state.selectedOrderId = orders[next]
            return
        }
        let limit = scrollLimits[focus] ?? 0
        state.scroll[focus] = max(0, min(limit, state.scrollOffset(focus) + delta))
    }

    // MARK: Clock and frames

    /// Advances the virtual clock by `wallMilliseconds` of real time at the current speed.
    /// At `max` it does nothing: the backend calls `runFlatOut` instead.
    public func tick(wallMilliseconds: Double) {
        guard !state.paused, !waitingForTrainer, let multiplier = state.speed.multiplier else { return }
        carry += wallMilliseconds * multiplier
        let whole = Int64(carry)
        carry -= Double(whole)
        if whole > 0 { advanceClock(by: .milliseconds(whole)) }
        if waitingForTrainer { carry = 0 }
    }

    /// At `max` speed: virtual seconds one after another until `enough()` says the frame's time is up.
    public func runFlatOut(until enough: () -> Bool) {
        guard !state.paused, state.speed == .max else { return }
        while !waitingForTrainer {
            advanceClock(by: .milliseconds(250))
            if enough() { break }
        }
    }

    /// A guided scenario holds the clock at a narrated step until `g`.
    public var waitingForTrainer: Bool { player?.waiting ?? false }

    /// Moves the virtual clock, through the scenario's steps when one plays.
    private func advanceClock(by duration: VirtualDuration) {
        let target = simulation.now + duration
        if let player { player.advance(simulation, to: target) } else { simulation.advance(to: target) }
    }

    /// Snapshot, then render: one frame.
    public func frame(width: Int, height: Int, glyphs: Glyphs) -> Grid {
        let snapshot = simulation.snapshot()
        lastSnapshot = snapshot
        if let id = state.selectedOrderId, !snapshot.recentOrders.contains(where: { $0.orderId == id }) {
            state.selectedOrderId = nil
        }
        var view = DashboardView(snapshot: snapshot, state: state, config: simulation.config, glyphs: glyphs)
        view.scenario = player?.progress
        switch state.overlay {
        case .reconciliation:
            // Live: the repair's effect shows as the classes empty out.
            framesSinceSweep += 1
            if let taken = sweep?.at, snapshot.now - taken >= .seconds(1), framesSinceSweep >= Self.framesBetweenSweeps {
                framesSinceSweep = 0
                let republished = sweep?.republished
                sweep = simulation.reconcile()
                sweep?.republished = republished
            }
            view.sweep = sweep
        case .journey(let id):
            if journey?.orderId != id || journeyTakenAt.map({ snapshot.now - $0 >= .seconds(1) }) ?? true {
                journey = simulation.journey(of: id)
                journeyTakenAt = snapshot.now
            }
            view.journey = journey
        case .help, nil:
            break
        }
        let rendered = view.render(width: width, height: height)
        scrollLimits = rendered.scrollLimits
        for (pane, limit) in scrollLimits where state.scrollOffset(pane) > limit { state.scroll[pane] = limit }
        return rendered.grid
    }
}

func shortId(_ id: String) -> String { String(id.prefix(8)) }

func rateText(_ rate: Double) -> String {
    rate == rate.rounded() ? "\(Int(rate))/s" : "\(rate)/s"
}
