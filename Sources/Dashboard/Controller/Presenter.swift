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

    /// Performs a simulation action for a key, recording it for replays.
    func performRecorded(_ action: SimulationAction) -> ActionOutcome {
        if let player {
            recorded.append(
                RecordedAction(
                    at: simulation.now, stepsRun: player.stepsRun, held: player.waiting, narrated: player.narratedRun,
                    action: action))
        }
        return simulation.perform(action)
    }

    /// Back to time zero: a fresh simulation, the scenario from its first step.
    func restartScenario() {
        guard player != nil else { return }
        recorded = []
        guard replay(toNarrated: 0) else { return }
        if let speed = player?.scenario.speed { state.speed = Speed(multiplier: speed) ?? .x1 }
        state.paused = false
        state.message = "restarted \(player?.scenario.name ?? "the scenario") from the beginning"
    }

    /// Back to the narrated step before the one on screen, the clock held there.
    func backOneStep() {
        guard let player else { return }
        let target = max(0, player.narratedRun - 1)
        guard replay(toNarrated: target) else { return }
        state.message =
            target == 0
            ? "back at the beginning" : "back at step \(target) of \(player.scenario.narratedSteps): g goes on"
    }

    /// Runs at full speed to the next narrated step and holds the clock there.
    func nextStepNow() {
        guard let player else { return }
        let before = player.narratedRun
        player.proceed()
        while player.narratedRun == before, let due = player.nextStepAt {
            player.advance(simulation, to: due)
        }
        if player.narratedRun == before {
            state.message = "no step is left; the flow runs on"
            return
        }
        player.hold()
        carry = 0
        state.message =
            "at step \(player.narratedRun) of \(player.scenario.narratedSteps) (\(simulation.now)): g goes on"
    }

    /// A fresh run replayed flat out to just after narrated step `target` (0: the start), with
    /// the trainer's recorded actions from before that step; later ones are forgotten.
    private func replay(toNarrated target: Int) -> Bool {
        guard let old = player, let makeSimulation else {
            state.message = "restart and back need the databases in memory (this run writes to --db-dir)"
            return false
        }
        let fresh: Simulation
        do {
            fresh = try makeSimulation()
        } catch {
            state.message = "could not start over: \(error)"
            return false
        }
        // Target 0 starts exactly as the first start did; any other holds at its narrated step.
        let replayer = ScenarioPlayer(scenario: old.scenario, guided: target == 0 ? old.guided : true)
        replayer.advance(fresh, to: fresh.now)
        let kept = target == 0 ? [] : recorded.filter { $0.narrated < target }
        for action in kept {
            // The same steps run, then the same virtual time: the place the key was pressed.
            while replayer.stepsRun < action.stepsRun, let due = replayer.nextStepAt {
                replayer.proceed()
                replayer.advance(fresh, to: due)
            }
            if !action.held { replayer.proceed() }
            if action.at > fresh.now { replayer.advance(fresh, to: action.at) }
            _ = fresh.perform(action.action)
        }
        while replayer.narratedRun < target, let due = replayer.nextStepAt {
            replayer.proceed()
            replayer.advance(fresh, to: due)
        }
        if target > 0 {
            replayer.guided = old.guided
            replayer.hold()
        }
        recorded = kept
        replace(simulation: fresh, player: replayer)
        return true
    }
}
