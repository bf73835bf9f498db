import Bus
import Simulation

/// The frame's snapshot, which every key is judged by: what the class saw, or what the next
/// frame will show when the run has moved since.
extension DashboardController {
    /// What the key table's conditions are judged against: the same rule the view's footer and
    /// help overlay judge by, from the frame's snapshot.
    package var bindingContext: BindingContext {
        BindingContext(snapshot: currentSnapshot(), scenarioPlaying: player != nil)
    }

    /// The snapshot a key is judged by: the last frame's while nothing has moved since, else a
    /// fresh one (keys pressed between frames, or by a test, see what the next frame will show).
    /// A frame always takes a `fresh` one.
    func currentSnapshot(fresh: Bool = false) -> Snapshot {
        let stamp = SnapshotStamp(
            simulation: ObjectIdentifier(simulation), now: simulation.now, jobsRun: simulation.jobsRun,
            actions: simulation.actionsPerformed)
        if !fresh, let lastSnapshot, lastSnapshotStamp == stamp { return lastSnapshot }
        let snapshot = simulation.snapshot()
        lastSnapshot = snapshot
        lastSnapshotStamp = stamp
        return snapshot
    }
}

/// When a snapshot was taken: a simulation that has not run a job, moved its clock or taken an
/// action since would give the same one.
struct SnapshotStamp: Equatable {
    var simulation: ObjectIdentifier
    var now: VirtualTime
    var jobsRun: Int
    var actions: Int
}
