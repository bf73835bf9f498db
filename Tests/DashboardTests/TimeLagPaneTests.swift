import Simulation
import Testing

@testable import Dashboard

/// Lag in time on screen, from literal snapshots: the line under a waiting group and the
/// per-partition columns.
@Suite struct TimeLagPaneTests {
    /// A group whose oldest record has waited: its lag in time under its line, terse at 80
    /// columns; per partition after Kafka's columns where the pane is wide.
    @Test func consumerGroupsShowLagInTimeWhileARecordWaits() {
        var snapshot = Literal.snapshot
        snapshot.groups[0].timeLag = TimeLag(oldest: .seconds(1199), catchUp: .never)
        snapshot.groups[0].rowTimeLags = [TimeLag(oldest: .seconds(1199), catchUp: .never)]
        let narrow = renderAlone(.consumerGroups, snapshot, width: 44, height: 6, compact: true)
        #expect(narrow.lines[3] == "│ oldest record waited 19m59s · catch-up ∞ │")
        let wide = renderAlone(.consumerGroups, snapshot, width: 100, height: 6)
        #expect(wide.lines[3].hasPrefix("│ oldest record waited 19m59s · catch-up ∞: no commit in 10s "))
        #expect(wide.lines[1].hasSuffix("TIME-LAG CATCH-UP│"))
        #expect(wide.lines[4].hasSuffix("  19m59s        ∞│"))
        // Two seconds or less is the flow working: no line, no columns.
        snapshot.groups[0].timeLag = TimeLag(oldest: .seconds(1), catchUp: .after(.seconds(1)))
        snapshot.groups[0].rowTimeLags = [TimeLag(oldest: .seconds(1), catchUp: .after(.seconds(1)))]
        let calm = renderAlone(.consumerGroups, snapshot, width: 100, height: 6)
        #expect(!calm.lines.joined().contains("oldest") && !calm.lines[1].contains("TIME-LAG"))
    }
}
