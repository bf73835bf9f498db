import Bus
import Simulation

/// `w` and `--record FILE`: the session so far as a scenario file a trainer can replay and narrate.
///
/// The controller already keeps every action a key performed, with its place among the
/// scenario's steps (`performRecorded`), for `[` and `0`. A recording is that list merged with
/// the steps that ran, from time zero, whatever moment `w` was pressed: the replay needs them
/// all to reach the same state. Writing the file is the shell's job (`saveRecording`).
extension DashboardController {
    /// Starts recording now: inputs from here on get a `say:` placeholder.
    package func startRecording() {
        recordingSince = simulation.now
        state.recording = true
    }

    /// `w`: start, or stop and write.
    func toggleRecording() {
        guard recordingSince != nil else {
            startRecording()
            state.message = "recording from \(simulation.now) · w stops it and writes the scenario file"
            return
        }
        state.message = stopRecording()
    }

    /// Stops recording and hands the file to `saveRecording`; the answer says where it went.
    @discardableResult
    package func stopRecording() -> String {
        let recording = sessionRecording()
        recordingSince = nil
        state.recording = false
        guard let saveRecording else { return "recording stopped: this dashboard has nowhere to write it" }
        return saveRecording(recording)
    }

    /// The session from time zero to now as a scenario: the steps that ran and the keys'
    /// actions, in the order they ran.
    package func sessionRecording() -> Recording {
        let steps = player?.scenario.steps ?? []
        let run = min(player?.stepsRun ?? 0, steps.count)
        var entries: [Recording.Entry] = []
        var next = 0
        func stepsUpTo(_ count: Int) {
            while next < min(count, run) {
                let step = steps[next]
                var entry = Recording.Entry(
                    at: .zero + step.at, action: step.action, narration: step.narration, focus: step.focus)
                entry.claims = step.claims
                entries.append(entry)
                next += 1
            }
        }
        for action in recorded {
            stepsUpTo(action.stepsRun)
            let live = recordingSince.map { action.at >= $0 } ?? false
            entries.append(Recording.Entry(at: action.at, action: action.action, placeholder: live))
        }
        stepsUpTo(run)
        var origin = recordingOrigin
        origin.scenario = player?.scenario.name
        let from = player.map { " of \($0.scenario.name)" } ?? ""
        return Recording(
            name: "recorded-session", description: "A live session\(from) recorded to \(simulation.now)",
            config: simulation.config, speed: player?.scenario.speed, origin: origin, entries: entries,
            endsAt: simulation.now)
    }
}
