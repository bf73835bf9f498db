/// A key as the backend reports it.
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, pageUp, pageDown, home, end
    case tab, backTab
    case enter, escape, backspace
}

/// What a key asks for. The controller applies it; the help overlay describes it.
public enum DashboardAction: Hashable, Sendable, CaseIterable {
    case placeOrder, placeTenOrders
    case toggleTraffic, raiseRate, lowerRate
    case toggleDesign, togglePublish, toggleIdempotency
    case togglePaymentConsumer, killOnePaymentInstance, killPaymentBeforeCommit, toggleNotificationConsumer
    case crashOrderService, crashOutboxRelay, rejectSends, toggleSlowProvider, toggleMaxPollRecords
    case cancelSelectedOrder, followSelectedOrder, findOrder, reconcile, repair
    case nextScenarioStep, nextStepNow, backOneStep, restartScenario
    case togglePause, speedUp, slowDown, stepOneSecond
    case focusNext, focusPrevious, scrollUp, scrollDown, pageUp, pageDown, scrollTop, scrollBottom
    case toggleHelp, closeOverlay, quit
}

/// When a binding does anything: the input handler ignores a disabled key and the footer
/// leaves it out; the help overlay lists it with the condition.
public enum BindingCondition: Sendable, Equatable {
    case always
    /// Only while a scenario plays (`g`).
    case scenarioPlaying

    func holds(in context: BindingContext) -> Bool {
        switch self {
        case .always: true
        case .scenarioPlaying: context.scenarioPlaying
        }
    }
}

/// What the conditions are judged against.
public struct BindingContext: Sendable, Equatable {
    public var scenarioPlaying: Bool

    public init(scenarioPlaying: Bool) {
        self.scenarioPlaying = scenarioPlaying
    }
}

/// One row of the key table.
public struct KeyBinding: Sendable {
    public var keys: [Key]
    /// How the help overlay and footer spell the keys.
    public var label: String
    public var action: DashboardAction
    public var help: String
    /// The footer's word for it, and a shorter one for a narrow footer; nil keeps the key to
    /// the help overlay.
    public var footer: (label: String, short: String)?
    /// Which footer entries stay when the footer is narrow: the highest priority survives longest.
    public var footerPriority: Int
    public var enabled: BindingCondition

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
public enum Keymap {
    private static func c(_ ch: Character) -> Key { .character(ch) }

    public static let bindings: [KeyBinding] = [
        KeyBinding([c("o")], "o", .placeOrder, "place one order", footer: ("order", "order"), priority: 9),
        KeyBinding([c("O")], "O", .placeTenOrders, "place 10 orders"),
        KeyBinding([c("t")], "t", .toggleTraffic, "auto traffic on / off", footer: ("traffic", "traffic"), priority: 4),
        KeyBinding([c("+"), c("=")], "+", .raiseRate, "raise the traffic rate"),
        KeyBinding([c("-"), c("_")], "-", .lowerRate, "lower the traffic rate"),
        KeyBinding([c("m")], "m", .toggleDesign, "design honest / optimistic"),
        KeyBinding([c("p")], "p", .togglePublish, "publish best-effort / outbox"),
        KeyBinding([c("i")], "i", .toggleIdempotency, "idempotency on / off"),
        KeyBinding(
            [c("k")], "k", .togglePaymentConsumer, "kill / restart payment-service",
            footer: ("kill payment", "kill pay"),
            priority: 8),
        KeyBinding([c("K")], "K", .killOnePaymentInstance, "kill one payment instance"),
        KeyBinding([c("d")], "d", .killPaymentBeforeCommit, "kill payment before its commit"),
        KeyBinding(
            [c("n")], "n", .toggleNotificationConsumer, "kill / restart notification",
            footer: ("kill notify", "kill notif"), priority: 7),
        KeyBinding(
            [c("c")], "c", .crashOrderService, "crash: commit, then no publish", footer: ("crash", "crash"), priority: 5
        ),
        KeyBinding([c("e")], "e", .crashOutboxRelay, "crash relay: publish, no mark"),
        KeyBinding(
            [c("b")], "b", .rejectSends, "broker rejects next 5 sends", footer: ("reject", "reject"), priority: 3),
        KeyBinding([c("l")], "l", .toggleSlowProvider, "provider 10× slower / normal"),
        KeyBinding([c("M")], "M", .toggleMaxPollRecords, "max.poll.records 500 / 10"),
        KeyBinding([c("x")], "x", .cancelSelectedOrder, "cancel the selected order"),
        KeyBinding([.enter], "Enter", .followSelectedOrder, "journey, or open the record"),
        KeyBinding([c("/")], "/", .findOrder, "find an order by its id's start"),
        KeyBinding([c("r")], "r", .reconcile, "reconciliation sweep", footer: ("reconcile", "reconcile"), priority: 2),
        KeyBinding([c("R")], "R", .repair, "repair: republish lost events"),
        KeyBinding(
            [c("g")], "g", .nextScenarioStep, "guided: go to the next step", footer: ("next step", "next"),
            priority: 10,
            when: .scenarioPlaying),
        KeyBinding(
            [c("]")], "]", .nextStepNow, "scenario: next step, flat out", footer: ("next now", "skip"),
            priority: 6, when: .scenarioPlaying),
        KeyBinding(
            [c("[")], "[", .backOneStep, "scenario: back one step", footer: ("back", "back"), priority: 5,
            when: .scenarioPlaying),
        KeyBinding([c("0")], "0", .restartScenario, "scenario: restart from 0s", when: .scenarioPlaying),
        KeyBinding([c(" ")], "space", .togglePause, "pause / resume", footer: ("pause", "pause"), priority: 9),
        KeyBinding([c(">")], ">", .speedUp, "speed up: 1× 2× 5× … 100× max"),
        KeyBinding([c("<")], "<", .slowDown, "slow down"),
        KeyBinding([c(".")], ".", .stepOneSecond, "step 1 virtual s while paused"),
        KeyBinding([.tab], "Tab", .focusNext, "focus the next pane", footer: ("focus", "focus"), priority: 1),
        KeyBinding([.backTab], "S-Tab", .focusPrevious, "focus the previous pane"),
        KeyBinding([.up], "Up", .scrollUp, "select an order / scroll"),
        KeyBinding([.down], "Down", .scrollDown, "select an order / scroll"),
        KeyBinding([.pageUp], "PgUp", .pageUp, "scroll a page up"),
        KeyBinding([.pageDown], "PgDn", .pageDown, "scroll a page down"),
        KeyBinding([.home], "Home", .scrollTop, "scroll to the top"),
        KeyBinding([.end], "End", .scrollBottom, "scroll to the bottom"),
        KeyBinding(
            [c("?")], "?", .toggleHelp, "keys, or the pane's help", footer: ("help", "help"), priority: 10),
        KeyBinding([.escape], "Esc", .closeOverlay, "close the overlay / unfocus"),
        KeyBinding([c("q")], "q", .quit, "quit (Ctrl-C too)", footer: ("quit", "quit"), priority: 10),
    ]

    /// The binding of a key, enabled or not.
    public static func binding(for key: Key) -> KeyBinding? {
        bindings.first { $0.keys.contains(key) }
    }

    /// The action of a key that is enabled in `context`; nil for an unknown or disabled key.
    public static func action(for key: Key, in context: BindingContext) -> DashboardAction? {
        guard let binding = binding(for: key), binding.enabled.holds(in: context) else { return nil }
        return binding.action
    }

    /// The footer's entries in `context`, in the table's order.
    public static func footerBindings(in context: BindingContext) -> [KeyBinding] {
        bindings.filter { $0.footer != nil && $0.enabled.holds(in: context) }
    }
}
