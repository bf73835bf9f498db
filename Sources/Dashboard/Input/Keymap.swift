/// A key as the backend reports it.
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, pageUp, pageDown, home, end
    case tab, backTab
    case enter, escape
}

/// What a key asks for. The controller applies it; the help overlay describes it.
public enum DashboardAction: Hashable, Sendable, CaseIterable {
    case placeOrder, placeTenOrders
    case toggleTraffic, raiseRate, lowerRate
    case toggleDesign, togglePublish, toggleIdempotency
    case togglePaymentConsumer, killOnePaymentInstance, killPaymentBeforeCommit, toggleNotificationConsumer
    case crashOrderService, crashOutboxRelay, rejectSends
    case cancelSelectedOrder, followSelectedOrder, reconcile, repair
    case nextScenarioStep
    case togglePause, speedUp, slowDown, stepOneSecond
    case focusNext, focusPrevious, scrollUp, scrollDown, pageUp, pageDown, scrollTop, scrollBottom
    case toggleHelp, closeOverlay, quit
}

public struct KeyBinding: Sendable {
    public var keys: [Key]
    /// How the help overlay and footer spell the keys.
    public var label: String
    public var action: DashboardAction
    public var help: String
    /// The short word the footer shows; nil keeps the key to the help overlay.
    public var footer: String?
}

/// The one table of keys. The input handler looks keys up here and the help overlay and the
/// footer print it, so they cannot disagree.
///
/// `k` always kills: scrolling is on the arrow and page keys only, so no key changes meaning
/// with the focus.
public enum Keymap {
    public static let bindings: [KeyBinding] = [
        KeyBinding(keys: [.character("o")], label: "o", action: .placeOrder, help: "place one order", footer: "order"),
        KeyBinding(keys: [.character("O")], label: "O", action: .placeTenOrders, help: "place 10 orders", footer: nil),
        KeyBinding(keys: [.character("t")], label: "t", action: .toggleTraffic, help: "auto traffic on / off", footer: "traffic"),
        KeyBinding(keys: [.character("+"), .character("=")], label: "+", action: .raiseRate, help: "raise the traffic rate", footer: nil),
        KeyBinding(keys: [.character("-"), .character("_")], label: "-", action: .lowerRate, help: "lower the traffic rate", footer: nil),
        KeyBinding(keys: [.character("m")], label: "m", action: .toggleDesign,
                   help: "design honest / optimistic", footer: nil),
        KeyBinding(keys: [.character("p")], label: "p", action: .togglePublish,
                   help: "publish best-effort / outbox", footer: nil),
        KeyBinding(keys: [.character("i")], label: "i", action: .toggleIdempotency, help: "idempotency on / off", footer: nil),
        KeyBinding(keys: [.character("k")], label: "k", action: .togglePaymentConsumer,
                   help: "kill / restart payment-service", footer: "kill payment"),
        KeyBinding(keys: [.character("K")], label: "K", action: .killOnePaymentInstance,
                   help: "kill one payment instance", footer: nil),
        KeyBinding(keys: [.character("d")], label: "d", action: .killPaymentBeforeCommit,
                   help: "kill payment before its commit", footer: nil),
        KeyBinding(keys: [.character("n")], label: "n", action: .toggleNotificationConsumer,
                   help: "kill / restart notification", footer: "kill notify"),
        KeyBinding(keys: [.character("c")], label: "c", action: .crashOrderService,
                   help: "crash: commit, then no publish", footer: "crash"),
        KeyBinding(keys: [.character("e")], label: "e", action: .crashOutboxRelay,
                   help: "crash relay: publish, no mark", footer: nil),
        KeyBinding(keys: [.character("b")], label: "b", action: .rejectSends, help: "broker rejects next 5 sends", footer: "reject"),
        KeyBinding(keys: [.character("x")], label: "x", action: .cancelSelectedOrder,
                   help: "cancel the selected order", footer: nil),
        KeyBinding(keys: [.enter], label: "Enter", action: .followSelectedOrder, help: "follow the selected order", footer: nil),
        KeyBinding(keys: [.character("r")], label: "r", action: .reconcile, help: "reconciliation sweep", footer: "reconcile"),
        KeyBinding(keys: [.character("R")], label: "R", action: .repair,
                   help: "repair: republish lost events", footer: nil),
        KeyBinding(keys: [.character("g")], label: "g", action: .nextScenarioStep,
                   help: "guided: go to the next step", footer: nil),
        KeyBinding(keys: [.character(" ")], label: "space", action: .togglePause, help: "pause / resume", footer: "pause"),
        KeyBinding(keys: [.character(">")], label: ">",
                   action: .speedUp, help: "speed up: 1× 2× 5× … 100× max", footer: nil),
        KeyBinding(keys: [.character("<")], label: "<", action: .slowDown, help: "slow down", footer: nil),
        KeyBinding(keys: [.character(".")], label: ".", action: .stepOneSecond, help: "step 1 virtual s while paused", footer: nil),
        KeyBinding(keys: [.tab], label: "Tab", action: .focusNext, help: "focus the next pane", footer: "focus"),
        KeyBinding(keys: [.backTab], label: "S-Tab", action: .focusPrevious, help: "focus the previous pane", footer: nil),
        KeyBinding(keys: [.up], label: "Up", action: .scrollUp, help: "select an order / scroll", footer: nil),
        KeyBinding(keys: [.down], label: "Down", action: .scrollDown, help: "select an order / scroll", footer: nil),
        KeyBinding(keys: [.pageUp], label: "PgUp", action: .pageUp, help: "scroll a page up", footer: nil),
        KeyBinding(keys: [.pageDown], label: "PgDn", action: .pageDown, help: "scroll a page down", footer: nil),
        KeyBinding(keys: [.home], label: "Home", action: .scrollTop, help: "scroll to the top", footer: nil),
        KeyBinding(keys: [.end], label: "End", action: .scrollBottom, help: "scroll to the bottom", footer: nil),
        KeyBinding(keys: [.character("?")], label: "?", action: .toggleHelp, help: "this help", footer: "help"),
        KeyBinding(keys: [.escape], label: "Esc", action: .closeOverlay, help: "close the overlay / unfocus", footer: nil),
        KeyBinding(keys: [.character("q")], label: "q", action: .quit, help: "quit (Ctrl-C too)", footer: "quit"),
    ]

    public static func action(for key: Key) -> DashboardAction? {
        bindings.first { $0.keys.contains(key) }?.action
    }
}
