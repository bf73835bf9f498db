import Bus
import Events
import Services
import Simulation

/// Applies keys to the dashboard state and the simulation, and runs the virtual clock.
///
/// It holds no terminal and reads no clock: the backend passes in keys and elapsed wall time,
/// so every reaction to a key is testable without a screen. The lesson keys run through
/// `LessonAction.table`; navigation and the clock live in files of their own.
package final class DashboardController {
    /// The run on screen; a restart or a step back replaces it with a replayed one.
    package private(set) var simulation: Simulation
    /// The narrated scenario being played, if the dashboard was started with one.
    package private(set) var player: ScenarioPlayer?
    /// Builds a fresh simulation for a restart or a step back; nil when the run cannot start
    /// over (its databases are files from this run).
    let makeSimulation: (() throws -> Simulation)?
    /// The answer on screen and when it stops being true, checked at every frame.
    var messageExpiry: (text: String?, expiry: MessageExpiry)?
    /// The trainer's actions so far, for replays and recordings.
    var recorded: [RecordedAction] = []
    /// Recording since this virtual time (`w`, `--record`); nil while not recording.
    package internal(set) var recordingSince: VirtualTime?
    /// Where this run came from, for a recording's `recorded:` block (the shell sets `dbDir`).
    package var recordingOrigin = RecordingOrigin()
    /// Writes a stopped recording and answers where it went; set by the shell, which owns files.
    package var saveRecording: ((Recording) -> String)?
    /// Writes a screen (`s`) under a file stem and answers where it went; set by the shell.
    package var saveScreen: ((Grid, String) -> String)?
    /// `s` was pressed: the next frame is saved.
    var screenRequested = false
    package internal(set) var state = DashboardState()
    /// The sweep behind the reconciliation overlay; re-taken each virtual second while it is open.
    package internal(set) var sweep: ReconciliationReport?
    /// A sweep scans whole tables: at high speed it is re-taken every few frames, not every frame.
    var framesSinceSweep = 0
    static let framesBetweenSweeps = 10
    var journey: OrderJourney?
    var journeyTakenAt: VirtualTime?
    /// Traffic rates `+` and `-` step through, orders per virtual second.
    package static var rates: [Double] { LessonAction.rates }
    /// Fractions of a virtual millisecond not yet applied, so slow frames at 1× add up exactly.
    var carry = 0.0
    /// The snapshot behind the last frame: selection moves through what the class saw.
    package internal(set) var lastSnapshot: Snapshot?
    /// What the simulation looked like when `lastSnapshot` was taken.
    var lastSnapshotStamp: SnapshotStamp?
    /// Scroll limits found by the last render, per pane.
    var scrollLimits: [PaneID: Int] = [:]
    /// Scrolling lines each pane showed at the last render.
    var visibleRows: [PaneID: Int] = [:]
    /// `]`, `[` or `0` still running, a slice per frame (`Presenter.swift`).
    var work: ClockWork?
    /// Whether `]`, `[` and `0` yield after their first slice and go on a slice per frame (the
    /// frame loop turns this on); off, a key runs its work to the end before it returns.
    package var runsClockWorkInSlices = false

    package init(
        simulation: Simulation, player: ScenarioPlayer? = nil, makeSimulation: (() throws -> Simulation)? = nil
    ) {
        self.simulation = simulation
        self.player = player
        self.makeSimulation = makeSimulation
        // Steps at 0s run before the first frame, so the class sees step 1 at once.
        player?.advance(simulation, to: simulation.now)
        if let speed = player?.scenario.speed { state.speed = Speed(multiplier: speed) ?? .x1 }
        // A recorded session says where it came from (another version, a --db-dir run), and plays.
        if let notes = player?.scenario.recordedWith?.notes, !notes.isEmpty {
            state.message = notes.joined(separator: "; ")
        }
    }

    /// Puts a replayed run on screen: what the dashboard remembered of the old one goes.
    func replace(simulation: Simulation, player: ScenarioPlayer) {
        self.simulation = simulation
        self.player = player
        sweep = nil
        journey = nil
        journeyTakenAt = nil
        lastSnapshot = nil
        lastSnapshotStamp = nil
        carry = 0
        shownStep = nil
        state.selectedOrderId = nil
        state.overlay = nil
        state.scroll = [:]
    }

    /// The panes on screen at the last frame, in Tab order.
    package var visiblePanes: [PaneID] { renderedPanes ?? PaneID.visible(narrating: player != nil) }
    var renderedPanes: [PaneID]?
    /// The narrated step the last frame showed: a new step opens at its first line.
    var shownStep: Int?

    // MARK: Keys

    /// Looks the key up in the key table and applies its action; unknown and disabled keys do nothing.
    package func handle(_ key: Key) {
        // While `/` types an id, keys are its characters, not commands.
        if state.search != nil {
            typeSearch(key)
            return
        }
        guard let action = Keymap.action(for: key, in: bindingContext) else { return }
        if isBusy {
            // The clock work answers only quit (at once) and Space (stop it where it is).
            switch action {
            case .quit: state.quitRequested = true
            case .togglePause: stopWork()
            default: break
            }
            return
        }
        apply(action)
    }

    package func apply(_ action: DashboardAction) {
        // `S` arms a controlled shutdown for the next key only (a broker digit reads it).
        defer { if action != .armBrokerStop { state.brokerStopArmed = false } }
        if action == .armBrokerStop {
            state.brokerStopArmed = true
            state.message = "controlled shutdown: press the number of the broker to stop"
            return
        }
        if let lesson = LessonAction.table[action] ?? LessonAction.brokerTable[action] {
            let key = KeyContext(snapshot: currentSnapshot(), config: simulation.config, state: state)
            switch lesson.plan(key) {
            case .perform(let simulationAction):
                let outcome = performRecorded(simulationAction)
                state.message = lesson.message(outcome, simulationAction, key)
                messageExpiry = lesson.expiry.map { (state.message, $0(key)) }
            case .answer(let text):
                state.message = text
            }
            return
        }
        switch action {
        case .followSelectedOrder: follow()
        case .findOrder:
            state.search = ""
            state.message = "find an order: type the first characters of its id, Enter selects, Esc cancels"
        case .reconcile: toggleReconciliation()
        case .repair: repair()
        case .nextScenarioStep: nextScenarioStep()
        case .nextStepNow: nextStepNow()
        case .backOneStep: backOneStep()
        case .restartScenario: restartScenario()
        case .toggleRecording: toggleRecording()
        case .togglePause, .speedUp, .slowDown, .stepOneSecond: applyClock(action)
        case .focusNext, .focusPrevious, .scrollUp, .scrollDown, .pageUp, .pageDown, .scrollTop, .scrollBottom:
            navigate(action)
        case .toggleHelp:
            // With a pane focused, `?` first explains that pane; `?` again lists every key.
            switch state.overlay {
            case .help: state.overlay = nil
            case .paneHelp: state.overlay = .help
            default: state.overlay = state.focus.map { .paneHelp($0) } ?? .help
            }
        case .closeOverlay:
            if state.overlay != nil {
                state.overlay = nil
            } else if state.zoomed {
                state.zoomed = false
            } else {
                state.focus = nil
            }
        case .toggleZoom:
            if state.zoomed {
                state.zoomed = false
            } else if state.focus != nil {
                state.zoomed = true
            } else {
                state.message = "z zooms the focused pane: Tab to one first"
            }
        case .saveScreen: screenRequested = true
        case .quit: state.quitRequested = true
        default: break
        }
    }

    /// Enter: a record opened from Events, the journey of the record's order from there, or the
    /// journey of the order selected in Orders.
    private func follow() {
        if case .record(let reference) = state.overlay {
            if let key = simulation.record(reference.topicPartition, at: reference.offset)?.keyString {
                journey = nil
                state.overlay = .journey(orderId: key)
            }
            return
        }
        if state.focus == .events, let reference = state.selectedRecord {
            state.overlay = .record(reference)
            return
        }
        guard let id = state.selectedOrderId else {
            state.message =
                state.focus == .events
                ? "select a record first: the arrows move through Events" : LessonAction.noSelection
            return
        }
        journey = nil
        state.overlay = .journey(orderId: id)
    }

    private func toggleReconciliation() {
        if state.overlay == .reconciliation {
            state.overlay = nil
            return
        }
        let report = simulation.reconcile()
        sweep = report
        framesSinceSweep = 0
        state.overlay = .reconciliation
        let missing = report[.ordersWithoutEvent].count
        state.message =
            report.isClean
            ? "reconciliation: nothing found"
            : missing > 0
                ? "reconciliation: R republishes the \(missing) missing OrderCreatedEvent\(missing == 1 ? "" : "s")"
                : "reconciliation: no event missing; the rest needs a person (refunds, duplicates)"
    }

    private func repair() {
        guard case .swept(let report) = performRecorded(.repair) else { return }
        // What the class sees next is the state after the republish, not before it.
        sweep = simulation.reconcile()
        sweep?.republished = report.republished
        framesSinceSweep = 0
        state.overlay = .reconciliation
        let n = report.republished ?? 0
        state.message =
            n == 0
            ? "repair: no order is missing its event"
            : "republished \(n) OrderCreatedEvent\(n == 1 ? "" : "s"): watch payment-service pick \(n == 1 ? "it" : "them") up"
    }

    private func nextScenarioStep() {
        guard let player else {
            state.message = "no scenario: start with orderflow --scenario NAME --guided"
            return
        }
        // "The next step" is the next one the class will read: a narrated one.
        if player.waiting {
            player.proceed()
            // Going on means the clock runs: a pause the trainer forgot would hold it silently.
            let wasPaused = state.paused
            if wasPaused { applyClock(.togglePause) }
            state.message =
                (player.nextNarratedAt.map { "running on to the next step at \($0)" } ?? "last step: the flow runs on")
                + (wasPaused ? " (unpaused)" : "")
        } else {
            state.message =
                player.nextNarratedAt.map { "the next step runs at \($0)" } ?? "the scenario has no more steps"
        }
    }

    // MARK: Frames

    /// Wall time passed, whatever the speed or pause: the last key's answer ages and leaves the
    /// screen after `DashboardState.messageLifetime`. True when that changes what is on screen.
    @discardableResult
    package func wallTimePassed(milliseconds: Double) -> Bool {
        let wasShown = state.showsMessage
        state.messageAge += max(0, milliseconds)
        return wasShown != state.showsMessage
    }
}
