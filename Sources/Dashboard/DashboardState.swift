import Bus

/// The panes, in Tab order. Their titles are what a trainer says out loud. A scenario's
/// Narration pane takes the Events pane's place.
package enum PaneID: Int, CaseIterable, Sendable {
    case orders, topics, consumerGroups, services, events, invariants, narration

    /// The panes on screen: six, with Narration instead of Events while a scenario plays.
    package static func visible(narrating: Bool) -> [PaneID] {
        allCases.filter { $0 != (narrating ? .events : .narration) }
    }

    /// With a cluster, the Topics pane is the Brokers pane: the same partitions, seen replica by replica.
    package func title(cluster: Bool) -> String { self == .topics && cluster ? "Brokers" : title }

    package var title: String {
        switch self {
        case .orders: "Orders"
        case .topics: "Topics"
        case .consumerGroups: "Consumer groups"
        case .services: "Services"
        case .events: "Events"
        case .invariants: "Invariants"
        case .narration: "Narration"
        }
    }
}

/// How fast virtual time runs against the wall clock.
package enum Speed: Int, CaseIterable, Sendable {
    case x1, x2, x5, x10, x50, x100, max

    /// Virtual seconds per wall second; nil for "as fast as the machine goes".
    package var multiplier: Double? {
        switch self {
        case .x1: 1
        case .x2: 2
        case .x5: 5
        case .x10: 10
        case .x50: 50
        case .x100: 100
        case .max: nil
        }
    }

    package var label: String { multiplier.map { "\(Int($0))×" } ?? "max" }

    /// The speed with this multiplier (nil: `max`), if the dashboard has one.
    package init?(multiplier: Double?) {
        guard let speed = Self.allCases.first(where: { $0.multiplier == multiplier }) else { return nil }
        self = speed
    }
}

/// A box drawn over the panes; Esc closes it.
package enum Overlay: Sendable, Equatable {
    case help
    /// What one pane means: `?` with that pane focused.
    case paneHelp(PaneID)
    /// The last reconciliation sweep, re-taken every virtual second while open.
    case reconciliation
    /// One order's journey, by id.
    case journey(orderId: String)
    /// One record, opened from the Events pane.
    case record(RecordMetadata)
}

/// Everything about the dashboard that is not the simulation: focus, scroll, overlays, speed.
package struct DashboardState: Sendable, Equatable {
    /// Nil until Tab is pressed: then the arrow keys belong to that pane.
    package var focus: PaneID?
    package var scroll: [PaneID: Int] = [:]
    /// The order selected in the Orders pane, by id so new arrivals do not move the selection.
    package var selectedOrderId: String?
    /// While `/` is typing an order id's first characters: what was typed so far.
    package var search: String?
    /// The record selected in the Events pane.
    package var selectedRecord: RecordMetadata?
    /// What covers the panes, if anything.
    package var overlay: Overlay?
    /// `w` or `--record` is recording the session (the header says REC).
    package var recording = false
    /// `z`: the focused pane fills the screen (Tab moves the zoom to the next pane).
    package var zoomed = false
    package var paused = false
    package var speed: Speed = .x1
    /// The answer to the last key: what just happened and what to watch. It stands in the
    /// footer's place for `messageLifetime` of wall time, then the keys come back.
    package var message: String? {
        didSet { messageAge = 0 }
    }
    /// Wall milliseconds since the message was set.
    package var messageAge = 0.0
    /// `S` was pressed: the next broker digit stops that broker (controlled shutdown) instead of
    /// killing it. Any other key disarms it.
    package var brokerStopArmed = false
    package static let messageLifetime = 6_000.0
    /// The answer to the last key is fresh enough to be on screen.
    package var showsMessage: Bool { message != nil && messageAge < Self.messageLifetime }
    package var quitRequested = false

    package init() {}

    package func scrollOffset(_ pane: PaneID) -> Int { scroll[pane] ?? 0 }
}
