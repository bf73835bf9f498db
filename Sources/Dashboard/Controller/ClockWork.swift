import Bus
import Simulation

/// Clock work too long for one frame: `]` running to the next narrated step, `[` and `0`
/// replaying a fresh run. The frame loop gives it a slice of wall time per frame
/// (`continueWork(until:)`), draws the progress between slices, and keys still answer: `q` and
/// signals quit at once, Space stops the work where it is.
final class ClockWork {
    enum Kind {
        /// `]`: from this many narrated steps run to the next one.
        case nextStep(from: Int)
        /// `[` to narrated step `target`, or `0` (target 0) from the beginning.
        case replay(Replay)
    }

    let kind: Kind
    /// Virtual time to move per call: one second at the start of each slice, doubled at each
    /// look at the wall clock that finds time left, so a quiet stretch costs a few calls and a
    /// busy one overruns its slice by about what the slice already ran.
    private var chunk = firstChunk
    static let firstChunk = VirtualDuration.seconds(1)
    static let largestChunk = VirtualDuration.seconds(600)

    init(_ kind: Kind) { self.kind = kind }

    /// A new slice starts small again.
    func newSlice() { chunk = Self.firstChunk }

    /// Runs `player` on `sim` towards `time` (through the steps due on the way) until it is
    /// there, the player holds at a narrated step, or `enough()`. Returns whether it got there.
    func reach(_ time: VirtualTime, _ player: ScenarioPlayer, _ sim: Simulation, enough: () -> Bool) -> Bool {
        while true {
            let to = sim.now + chunk
            player.advance(sim, to: min(time, to))
            if sim.now >= time || player.waiting { return true }
            if enough() { return false }
            chunk = min(Self.largestChunk, chunk + chunk)
        }
    }

    /// A fresh run replayed to just after narrated step `target` with the trainer's actions from
    /// before it, as `Presenter.swift` describes; resumable between slices.
    final class Replay {
        let fresh: Simulation
        let replayer: ScenarioPlayer
        let kept: [DashboardController.RecordedAction]
        let target: Int
        /// `0` (speed and pause as the scenario opens) rather than `[` back to the beginning.
        let restart: Bool
        /// Where the replay is heading, for the progress line.
        let until: VirtualTime
        private var nextAction = 0

        init(
            fresh: Simulation, replayer: ScenarioPlayer, kept: [DashboardController.RecordedAction], target: Int,
            restart: Bool
        ) {
            self.restart = restart
            self.fresh = fresh
            self.replayer = replayer
            self.kept = kept
            self.target = target
            let steps = replayer.scenario.steps.filter { $0.narration != nil }
            let stepTime = target > 0 && target <= steps.count ? .zero + steps[target - 1].at : VirtualTime.zero
            until = max(stepTime, kept.last?.at ?? .zero)
        }

        /// Returns whether the replay is done.
        func work(_ work: ClockWork, enough: () -> Bool) -> Bool {
            while nextAction < kept.count {
                let action = kept[nextAction]
                // The same steps run, then the same virtual time: the place the key was pressed.
                if replayer.stepsRun < action.stepsRun, let due = replayer.nextStepAt {
                    replayer.proceed()
                    guard work.reach(due, replayer, fresh, enough: enough) else { return false }
                    continue
                }
                if !action.held { replayer.proceed() }
                if action.at > fresh.now {
                    guard work.reach(action.at, replayer, fresh, enough: enough) else { return false }
                }
                _ = fresh.perform(action.action)
                nextAction += 1
            }
            while replayer.narratedRun < target, let due = replayer.nextStepAt {
                replayer.proceed()
                guard work.reach(due, replayer, fresh, enough: enough) else { return false }
            }
            return true
        }
    }
}
