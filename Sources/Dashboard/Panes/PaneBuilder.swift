import Bus
import Events
import Services
import Simulation

/// What every pane is built from: a snapshot, the dashboard's state and the room it has.
/// Each pane's lines are built in its own file, as an extension of this type; a test builds
/// one from a literal snapshot and renders a single pane, no simulation needed.
struct PaneBuilder {
    let snapshot: Snapshot
    let state: DashboardState
    let config: OrderflowConfig
    let glyphs: Glyphs
    /// The pane's inner width.
    let width: Int
    /// The 80×24 layout, which drops what does not fit rather than wrapping it.
    let compact: Bool
    var scenario: ScenarioProgress? = nil
    /// The pane's inner height, for panes that choose what to show by the room they have.
    var height = Int.max

    func content(for pane: PaneID) -> PaneContent {
        switch pane {
        case .orders: orders()
        case .topics: topics()
        case .consumerGroups: consumerGroups()
        case .services: services()
        case .events: events()
        case .invariants: invariants()
        case .narration: narration()
        }
    }
}

extension OrderStatus {
    /// The status's colour everywhere: yellow waits, green is done, red failed.
    var color: Color {
        switch self {
        case .pendingPayment: .yellow
        case .confirmed: .green
        case .paymentFailed: .red
        case .cancelled: .magenta
        }
    }
}

extension GroupState {
    var color: Color {
        switch self {
        case .stable: .green
        case .preparingRebalance, .completingRebalance, .assigning, .reconciling: .yellow
        case .empty: .red
        }
    }

    /// The pane's name for the state: Kafka's, the two rebalance halves shortened (the pane's
    /// help gives the full names).
    var shortName: String {
        switch self {
        case .preparingRebalance: "Preparing"
        case .completingRebalance: "Completing"
        case .empty, .stable, .assigning, .reconciling: rawValue
        }
    }
}
