import Bus
import Simulation
import Testing

@testable import Dashboard

/// The Consumer groups pane rendered alone from a literal snapshot: describe's rows, the
/// owner in the widest form that fits, Kafka's warning while rebalancing.
@Suite struct LiteralGroupsPaneTests {
    @Test func consumerGroupsMarkAGrowingLag() {
        let grid = renderAlone(.consumerGroups, Literal.snapshot, width: 44, height: 5)
        #expect(
            grid.lines == [
                "┌─ Consumer groups ────────────────────────┐",
                "│TOPIC         P CURRENT-OFFSET   LAG      │",
                "│payment-service Stable · lag 8        ▂▃▅█│",
                "│order.created 0              4    8▲      │",
                "└──────────────────────────────────────────┘",
            ])
        #expect(grid[17, 2].style.foreground == .green, "Stable is green")
        #expect(grid[1, 3].style.foreground == .red && grid[1, 3].style.bold)
        #expect(grid[34, 3].style.foreground == .red && grid[34, 3].style.bold, "the lag cell is bold red")
        #expect(!grid[20, 3].style.bold, "other cells of the row are red, not bold")
    }

    @Test func consumerGroupsInTheCompactLayoutShortenTheOffsetTitles() {
        let grid = renderAlone(.consumerGroups, Literal.snapshot, width: 60, height: 5, compact: true)
        #expect(grid.lines[1] == "│TOPIC         P CURRENT LOG-END   LAG CLIENT-ID           │")
        #expect(grid.lines[3] == "│order.created 0       4      12    8▲ payment-service-1   │")
    }

    /// Too narrow for a client id (the 80×24 screen): the owner is the instance number the
    /// Services pane uses, so a rebalance lesson still shows who reads what.
    @Test func consumerGroupsNameTheOwningInstanceWhereNoIdFits() {
        let grid = renderAlone(.consumerGroups, Literal.snapshot, width: 44, height: 5, compact: true)
        #expect(grid.lines[1] == "│TOPIC         P CURRENT LOG-END   LAG #   │")
        #expect(grid.lines[3] == "│order.created 0       4      12    8▲ #1  │")
    }

    /// A rebalancing group: Kafka's warning above its rows, which show nobody's ownership.
    @Test func consumerGroupsPrintKafkasWarningWhileRebalancing() {
        var snapshot = Literal.snapshot
        snapshot.groups[0].state = .preparingRebalance
        snapshot.groups[0].notice = "Warning: Consumer group 'payment-service' is rebalancing."
        snapshot.groups[0].rows = [
            Literal.row("payment-service", "order.created", 0, committed: 4, end: 12, owner: nil)
        ]
        snapshot.groups[0].members = [
            .init(
                consumerId: "payment-service-1-0a1b", host: "/127.0.0.1", clientId: "payment-service-1", partitions: 0)
        ]
        snapshot.groups[0].assignmentStrategy = "range"
        let grid = renderAlone(.consumerGroups, snapshot, width: 60, height: 7)
        #expect(
            grid.lines == [
                "┌─ Consumer groups ────────────────────────────────────────┐",
                "│TOPIC         P CURRENT-OFFSET LOG-END-OFFSET   LAG       │",
                "│payment-service PreparingRebalance · lag 8            ▂▃▅█│",
                "│Warning: Consumer group 'payment-service' is rebalancing. │",
                "│order.created 0              4             12    8▲       │",
                "│                                                          │",
                "└──────────────────────────────────────────────────────────┘",
            ])
        #expect(grid[17, 2].style.foreground == .yellow, "a rebalance is yellow")
        #expect(grid[1, 3].style.foreground == .yellow)
        // The compact layout shortens the state; Kafka's name is in the pane's help.
        let compact = renderAlone(.consumerGroups, snapshot, width: 44, height: 7, compact: true).lines
        #expect(compact[2] == "│payment-service Preparing · lag 8     ▂▃▅█│")
        #expect(compact[3] == "│Warning: Consumer group 'payment-service' │")
        #expect(compact[4] == "│is rebalancing.                           │")
    }
}
