import Bus
import Simulation

/// A trainer's controls over a scenario in front of a class: restart it, run at full speed to
/// the next narrated step, or go back one step.
///
/// Going back is a replay: the core is deterministic, so a fresh simulation fed the scenario's
/// steps and the trainer's own actions, each at the point it happened, lands on the identical
/// state. Every action the controller performs is recorded for that.
extension DashboardController {
    /// A trainer's action, and where in the run it happened.
    struct RecordedAction {
        var at: VirtualTime
        /// Steps already run and whether the clock was held at a narrated one: together with
        /// `at`, the exact place among the scenario's steps.
        var stepsRun: Int
        var held: Bool
        /// Narrated steps shown before it: going back to step N keeps what happened before N.
        var narrated: Int
        var action: SimulationAction
    }

    /// Performs a simulation action for a key, recording it for replays and for `w`'s recording
    /// (without a scenario there are no steps to place it among).
    func performRecorded(_ action: SimulationAction) -> ActionOutcome {
        recorded.append(
            RecordedAction(
                at: simulation.now, stepsRun: player?.stepsRun ?? 0, held: player?.waiting ?? false,
                narrated: player?.narratedRun ?? 0, action: action))
        return simulation.perform(action)
    }

    /// Back to time zero: a fresh simulation, the scenario from its first step.
    func restartScenario() {
        guard player != nil else { return }
        startReplay(toNarrated: 0, restart: true)
    }

    /// Back to the narrated step before the one on screen, the clock held there.
    func backOneStep() {
        guard let player else { return }
        startReplay(toNarrated: max(0, player.narratedRun - 1))
    }

    /// Runs at full speed to the next narrated step and holds the clock there, a slice per frame.
    func nextStepNow() {
        guard let player else { return }
        player.proceed()
        work = ClockWork(.nextStep(from: player.narratedRun))
        continueWork(until: { false }, slices: runsClockWorkInSlices ? 1 : .max)
    }

    /// Whether `]`, `[` or `0` is still running (the frame loop then gives it its slices).
    package var isBusy: Bool { work != nil }

    /// Goes on with the clock work in hand until it is done or `enough()` says the frame's
    /// time is up; the progress line says how far it got. `slices` bounds the calls of
    /// `enough` that may answer no before the work yields anyway (the first call of a key).
    package func continueWork(until enough: () -> Bool, slices: Int = .max) {
        guard let work else { return }
        work.newSlice()
        var asked = 0
        let stop = {
            asked += 1
            return asked >= slices || enough()
        }
        switch work.kind {
        case .nextStep(let before):
            guard let player else {
                self.work = nil
                return
            }
            while player.narratedRun == before, let due = player.nextStepAt {
                guard work.reach(due, player, simulation, enough: stop) else {
                    let next = player.nextNarratedAt.map { " of \($0)" } ?? ""
                    state.message = "running to step \(before + 1): \(simulation.now)\(next) · space stops, q quits"
                    return
                }
            }
            self.work = nil
            if player.narratedRun == before {
                state.message = "no step is left; the flow runs on"
                return
            }
            player.hold()
            carry = 0
            state.message =
                "at step \(player.narratedRun) of \(player.scenario.narratedSteps) (\(simulation.now)): g goes on"
        case .replay(let replay):
            guard replay.work(work, enough: stop) else {
                state.message =
                    "\(replay.target == 0 ? "restarting" : "back to step \(replay.target)"): \(replay.fresh.now) of \(replay.until) · space stops, q quits"
                return
            }
            self.work = nil
            finishReplay(replay)
        }
    }

    /// Space while the work runs: `]` stops where it got to, paused; a replay is dropped and
    /// the run on screen stays as it was.
    func stopWork() {
        guard let work else { return }
        self.work = nil
        switch work.kind {
        case .nextStep:
            state.paused = true
            carry = 0
            state.message = "stopped on the way at \(simulation.now); paused (space resumes)"
        case .replay:
            state.message = "stopped replaying; the run on screen is as it was"
        }
    }

    /// A fresh run, to be replayed flat out to just after narrated step `target` (0: the start)
    /// with the trainer's recorded actions from before that step; later ones are forgotten.
    private func startReplay(toNarrated target: Int, restart: Bool = false) {
        guard let old = player, let makeSimulation else {
            state.message = "restart and back need the databases in memory (this run writes to --db-dir)"
            return
        }
        let fresh: Simulation
        do {
            fresh = try makeSimulation()
        } catch {
            state.message = "could not start over: \(error)"
            return
        }
        // Target 0 starts exactly as the first start did; any other holds at its narrated step.
        let replayer = ScenarioPlayer(scenario: old.scenario, guided: target == 0 ? old.guided : true)
        replayer.advance(fresh, to: fresh.now)
        let kept = target == 0 ? [] : recorded.filter { $0.narrated < target }
        work = ClockWork(.replay(.init(fresh: fresh, replayer: replayer, kept: kept, target: target, restart: restart)))
        continueWork(until: { false }, slices: runsClockWorkInSlices ? 1 : .max)
    }

    private func finishReplay(_ replay: ClockWork.Replay) {
        let target = replay.target
        if target > 0, let old = player {
            replay.replayer.guided = old.guided
            replay.replayer.hold()
        }
        recorded = replay.kept
        replace(simulation: replay.fresh, player: replay.replayer)
        // Back before the recording began: what the trainer does from here is recorded input.
        if let since = recordingSince, since > simulation.now { recordingSince = simulation.now }
        if replay.restart {
            if let speed = replay.replayer.scenario.speed { state.speed = Speed(multiplier: speed) ?? .x1 }
            state.paused = false
            state.message = "restarted \(replay.replayer.scenario.name) from the beginning"
        } else {
            state.message =
                target == 0
                ? "back at the beginning"
                : "back at step \(target) of \(replay.replayer.scenario.narratedSteps): g goes on"
        }
    }
}
