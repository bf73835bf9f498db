import Bus
import Simulation

/// The virtual clock as the dashboard runs it: wall time × speed, pauses, single steps, and
/// a guided scenario holding the clock at a narrated step.
extension DashboardController {
    func applyClock(_ action: DashboardAction) {
        switch action {
        case .togglePause:
            state.paused.toggle()
            carry = 0
            if waitingForTrainer {
                state.message =
                    state.paused
                    ? "paused; the scenario also waits here for g" : "resumed; the scenario still waits for g"
            } else {
                state.message = state.paused ? "paused (. steps one virtual second)" : "running"
            }
        case .speedUp:
            state.speed = Speed(rawValue: min(Speed.allCases.count - 1, state.speed.rawValue + 1)) ?? state.speed
            state.message = "speed \(state.speed.label)"
        case .slowDown:
            state.speed = Speed(rawValue: max(0, state.speed.rawValue - 1)) ?? state.speed
            state.message = "speed \(state.speed.label)"
        case .stepOneSecond:
            if waitingForTrainer {
                state.message = "the scenario waits at this step: g goes on, then . steps"
            } else if state.paused {
                advanceClock(by: .seconds(1))
                state.message = "stepped to \(simulation.now)"
            } else {
                state.message = "pause first (space), then . steps one virtual second"
            }
        default: break
        }
    }

    /// Advances the virtual clock by `wallMilliseconds` of real time at the current speed.
    /// At `max` it does nothing: the backend calls `runFlatOut` instead.
    /// `enough` is the frame loop's watchdog: a frame whose share of virtual time takes too long
    /// to run stops short, and the rest is dropped (the run falls behind the wall clock, its
    /// result unchanged), so a frame is drawn at least every few hundred milliseconds.
    package func tick(wallMilliseconds: Double, until enough: () -> Bool = { false }) {
        guard !isBusy, !state.paused, !waitingForTrainer, let multiplier = state.speed.multiplier else { return }
        carry += max(0, wallMilliseconds) * multiplier
        let whole = Int64(carry)
        carry -= Double(whole)
        let target = simulation.now + .milliseconds(whole)
        // One call covers a frame up to 20× at 50 ms; faster frames split and look at the clock.
        var chunk = VirtualDuration.seconds(1)
        while simulation.now < target, !waitingForTrainer {
            advanceClock(by: min(chunk, target - simulation.now))
            if enough() { break }
            chunk = chunk + chunk
        }
        if waitingForTrainer { carry = 0 }
    }

    /// At `max` speed: virtual seconds one after another until `enough()` says the frame's time is up.
    package func runFlatOut(until enough: () -> Bool) {
        guard !isBusy, !state.paused, state.speed == .max else { return }
        while !waitingForTrainer {
            advanceClock(by: .milliseconds(250))
            if enough() { break }
        }
    }

    /// A guided scenario holds the clock at a narrated step until `g`.
    package var waitingForTrainer: Bool { player?.waiting ?? false }

    /// Moves the virtual clock, through the scenario's steps when one plays.
    func advanceClock(by duration: VirtualDuration) {
        let target = simulation.now + duration
        if let player { player.advance(simulation, to: target) } else { simulation.advance(to: target) }
    }
}
