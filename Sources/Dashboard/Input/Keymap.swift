import Simulation

/// A key as the backend reports it.
package enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, pageUp, pageDown, home, end
    case tab, backTab
    case enter, escape, backspace
}

/// What a key asks for. The controller applies it; the help overlay describes it.
package enum DashboardAction: Hashable, Sendable, CaseIterable {
    /// Kills broker N when it is up, restarts it when it is down (the digit keys 1–9).
    case toggleBroker(Int)
    case armBrokerStop, cycleAcks, toggleUncleanElection, electUnclean
    case placeOrder, placeTenOrders
    case toggleTraffic, raiseRate, lowerRate
    case toggleDesign, togglePublish, toggleIdempotency
    case togglePaymentConsumer, killOnePaymentInstance, killPaymentBeforeCommit, toggleNotificationConsumer
    case crashMidPublish, crashOutboxRelay, rejectSends, toggleSlowProvider, toggleMaxPollRecords, redrive
    case cancelSelectedOrder, followSelectedOrder, findOrder, reconcile, repair
    case nextScenarioStep, nextStepNow, backOneStep, restartScenario
    /// The trainer's tools: record the session as a scenario, save the screen, zoom a pane.
    case toggleRecording, saveScreen, toggleZoom
    case togglePause, speedUp, slowDown, stepOneSecond
    case focusNext, focusPrevious, scrollUp, scrollDown, pageUp, pageDown, scrollTop, scrollBottom
    case toggleHelp, closeOverlay, quit

    package static var allCases: [DashboardAction] {
        (1...9).map(toggleBroker) + [
            .armBrokerStop, .cycleAcks, .toggleUncleanElection, .electUnclean, .placeOrder, .placeTenOrders,
            .toggleTraffic, .raiseRate,
            .lowerRate,
            .toggleDesign, .togglePublish, .toggleIdempotency, .togglePaymentConsumer, .killOnePaymentInstance,
            .killPaymentBeforeCommit, .toggleNotificationConsumer, .crashMidPublish, .crashOutboxRelay, .rejectSends,
            .toggleSlowProvider, .toggleMaxPollRecords, .cancelSelectedOrder, .followSelectedOrder, .findOrder,
            .reconcile, .repair, .nextScenarioStep, .nextStepNow, .backOneStep, .restartScenario, .toggleRecording,
            .saveScreen, .toggleZoom, .togglePause,
            .speedUp, .slowDown, .stepOneSecond, .focusNext, .focusPrevious, .scrollUp, .scrollDown, .pageUp,
            .pageDown, .scrollTop, .scrollBottom, .toggleHelp, .closeOverlay, .quit,
        ]
    }
}

/// When a binding does anything: the input handler ignores a disabled key and the footer
/// leaves it out; the help overlay lists it with the condition.
package enum BindingCondition: Sendable, Equatable {
    case always
    /// Only while a scenario plays (`g`).
    case scenarioPlaying
    /// Only with more than one replica per partition (the brokers keys).
    case clusterRunning
    /// Only with dead-letter topics (`consumers.deadLetter: on`).
    case deadLetterTopics

    func holds(in context: BindingContext) -> Bool {
        switch self {
        case .always: true
        case .scenarioPlaying: context.scenarioPlaying
        case .clusterRunning: context.clusterRunning
        case .deadLetterTopics: context.deadLetterTopics
        }
    }
}

/// What the conditions are judged against.
package struct BindingContext: Sendable, Equatable {
    package var scenarioPlaying: Bool
    package var clusterRunning: Bool
    package var deadLetterTopics: Bool

    package init(scenarioPlaying: Bool, clusterRunning: Bool = false, deadLetterTopics: Bool = false) {
        self.scenarioPlaying = scenarioPlaying
        self.clusterRunning = clusterRunning
        self.deadLetterTopics = deadLetterTopics
    }

    /// The one rule: the brokers keys are bound while the snapshot shows a cluster, the
    /// dead-letter key while it shows dead-letter topics.
    init(snapshot: Snapshot, scenarioPlaying: Bool) {
        self.init(
            scenarioPlaying: scenarioPlaying, clusterRunning: snapshot.cluster != nil,
            deadLetterTopics: snapshot.deadLetter != nil)
    }
}

/// One row of the key table.
package struct KeyBinding: Sendable {
    package var keys: [Key]
    /// How the help overlay and footer spell the keys.
    package var label: String
    package var action: DashboardAction
    package var help: String
    /// The footer's word for it, and a shorter one for a narrow footer; nil keeps the key to
    /// the help overlay.
    package var footer: (label: String, short: String)?
    /// Which footer entries stay when the footer is narrow: the highest priority survives longest.
    package var footerPriority: Int
    package var enabled: BindingCondition

    init(
        _ keys: [Key], _ label: String, _ action: DashboardAction, _ help: String,
        footer: (String, String)? = nil, priority: Int = 0, when enabled: BindingCondition = .always
    ) {
        self.keys = keys
        self.label = label
        self.action = action
        self.help = help
        self.footer = footer.map { (label: $0.0, short: $0.1) }
        self.footerPriority = priority
        self.enabled = enabled
    }
}

/// The one table of keys. The input handler looks keys up here, and the footer and the help
/// overlay are computed from it, so they cannot disagree.
///
/// `k` always kills: scrolling is on the arrow and page keys only, so no key changes meaning
/// with the focus.
package enum Keymap {
    private static func c(_ ch: Character) -> Key { .character(ch) }

    package static let bindings: [KeyBinding] = [
        KeyBinding([c("o")], "o", .placeOrder, "place one order", footer: ("order", "order"), priority: 9),
        KeyBinding([c("O")], "O", .placeTenOrders, "place 10 orders"),
        KeyBinding([c("t")], "t", .toggleTraffic, "auto traffic on / off", footer: ("traffic", "traffic"), priority: 4),
        KeyBinding([c("+"), c("=")], "+", .raiseRate, "traffic rate up / down"),
        KeyBinding([c("-"), c("_")], "-", .lowerRate, "traffic rate up / down"),
        KeyBinding([c("m")], "m", .toggleDesign, "design honest / optimistic"),
        KeyBinding([c("p")], "p", .togglePublish, "publish: best-effort/outbox"),
        KeyBinding([c("i")], "i", .toggleIdempotency, "idempotency on / off"),
        KeyBinding(
            [c("k")], "k", .togglePaymentConsumer, "kill / restart payment",
            footer: ("kill payment", "kill pay"),
            priority: 8),
        KeyBinding([c("K")], "K", .killOnePaymentInstance, "kill one payment instance"),
        KeyBinding([c("d")], "d", .killPaymentBeforeCommit, "kill payment before commit"),
        KeyBinding(
            [c("n")], "n", .toggleNotificationConsumer, "kill / restart notification",
            footer: ("kill notify", "kill notif"), priority: 7),
        KeyBinding(
            [c("c")], "c", .crashMidPublish, "crash: commit, no publish", footer: ("crash", "crash"), priority: 5
        ),
        KeyBinding([c("e")], "e", .crashOutboxRelay, "crash relay before its mark"),
        KeyBinding(
            [c("b")], "b", .rejectSends, "broker rejects next 5 sends", footer: ("reject", "reject"), priority: 3),
        KeyBinding([c("l")], "l", .toggleSlowProvider, "provider 10× slow / normal"),
        KeyBinding([c("M")], "M", .toggleMaxPollRecords, "max.poll.records 500 / 10"),
        KeyBinding([c("x")], "x", .cancelSelectedOrder, "cancel the selected order"),
        KeyBinding([.enter], "Enter", .followSelectedOrder, "journey, or open the record"),
        KeyBinding([c("/")], "/", .findOrder, "find an order by its id"),
        KeyBinding([c("r")], "r", .reconcile, "reconciliation sweep", footer: ("reconcile", "reconcile"), priority: 2),
        KeyBinding([c("R")], "R", .repair, "repair: republish events"),
        KeyBinding(
            [c("D")], "D", .redrive, "redrive the DLTs", footer: ("redrive DLT", "redrive"), priority: 4,
            when: .deadLetterTopics),
        // One row for the nine digits: the digit pressed picks the broker (`action(for:in:)`).
        KeyBinding(
            (1...9).map { c(Character(String($0))) }, "1-9", .toggleBroker(1), "kill / restart N; S N stops",
            footer: ("kill broker", "broker"), priority: 8, when: .clusterRunning),
        // Shares the digits' help row: S, then a digit, stops that broker (controlled shutdown).
        KeyBinding([c("S")], "S", .armBrokerStop, "kill / restart N; S N stops", when: .clusterRunning),
        KeyBinding(
            [c("a")], "a", .cycleAcks, "brokers: acks all → 1 → 0", footer: ("acks", "acks"), priority: 6,
            when: .clusterRunning),
        // One help row for both (80×24 has no row to spare): u switches the config, U elects now.
        KeyBinding([c("u")], "u", .toggleUncleanElection, "unclean on / off, elect now", when: .clusterRunning),
        KeyBinding([c("U")], "U", .electUnclean, "unclean on / off, elect now", when: .clusterRunning),
        KeyBinding(
            [c("g")], "g", .nextScenarioStep, "guided: go to the next step", footer: ("next step", "next"),
            priority: 10,
            when: .scenarioPlaying),
        KeyBinding(
            [c("]")], "]", .nextStepNow, "scenario: next step now", footer: ("next now", "skip"),
            priority: 6, when: .scenarioPlaying),
        KeyBinding(
            [c("[")], "[", .backOneStep, "scenario: back one step", footer: ("back", "back"), priority: 5,
            when: .scenarioPlaying),
        KeyBinding([c("0")], "0", .restartScenario, "scenario: restart from 0s", when: .scenarioPlaying),
        // One help row for the three (80×24 has no row to spare): the same words on each.
        KeyBinding([c("w")], "w", .toggleRecording, Self.toolsHelp),
        KeyBinding([c("s")], "s", .saveScreen, Self.toolsHelp),
        KeyBinding([c("z")], "z", .toggleZoom, Self.toolsHelp),
        KeyBinding([c(" ")], "space", .togglePause, "pause / resume", footer: ("pause", "pause"), priority: 9),
        KeyBinding([c(">")], ">", .speedUp, "faster / slower (1×…max)"),
        KeyBinding([c("<")], "<", .slowDown, "faster / slower (1×…max)"),
        KeyBinding([c(".")], ".", .stepOneSecond, "paused: step 1 virtual s"),
        KeyBinding([.tab], "Tab", .focusNext, "focus next / previous pane", footer: ("focus", "focus"), priority: 1),
        KeyBinding([.backTab], "S-Tab", .focusPrevious, "focus next / previous pane"),
        KeyBinding([.up], "Up", .scrollUp, "select an order / scroll"),
        KeyBinding([.down], "Down", .scrollDown, "select an order / scroll"),
        KeyBinding([.pageUp], "PgUp", .pageUp, "scroll a page up / down"),
        KeyBinding([.pageDown], "PgDn", .pageDown, "scroll a page up / down"),
        KeyBinding([.home], "Home", .scrollTop, "scroll to the top / bottom"),
        KeyBinding([.end], "End", .scrollBottom, "scroll to the top / bottom"),
        KeyBinding(
            [c("?")], "?", .toggleHelp, "keys, or the pane's help", footer: ("help", "help"), priority: 10),
        KeyBinding([.escape], "Esc", .closeOverlay, "close the overlay / unfocus"),
        KeyBinding([c("q")], "q", .quit, "quit (Ctrl-C too)", footer: ("quit", "quit"), priority: 10),
    ]

    static let toolsHelp = "record · save screen · zoom"

    /// The binding of a key, enabled or not.
    package static func binding(for key: Key) -> KeyBinding? {
        bindings.first { $0.keys.contains(key) }
    }

    /// The action of a key that is enabled in `context`; nil for an unknown or disabled key.
    package static func action(for key: Key, in context: BindingContext) -> DashboardAction? {
        guard let binding = binding(for: key), binding.enabled.holds(in: context) else { return nil }
        if case .toggleBroker = binding.action, case .character(let digit) = key, let n = digit.wholeNumberValue {
            return .toggleBroker(n)
        }
        return binding.action
    }

    /// The footer's entries in `context`, in the table's order.
    package static func footerBindings(in context: BindingContext) -> [KeyBinding] {
        bindings.filter { $0.footer != nil && $0.enabled.holds(in: context) }
    }
}
