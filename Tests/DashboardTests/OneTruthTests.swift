import Bus
import Foundation
import Simulation
import Testing

@testable import Dashboard

/// One truth: a scenario's result does not depend on how its clock is advanced. Each shipped
/// scenario runs flat out (`orderflow simulate`) and in the dashboard, frame by frame at
/// several speeds, with pauses and single steps; the JSON reports must be identical bytes.
@Suite struct OneTruthTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("config/scenarios")

    static var shipped: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    static func scenario(_ name: String) throws -> Scenario {
        try Scenario.load(path: directory.appendingPathComponent(name + ".yaml").path)
    }

    /// The defaults with the scenario's `config:` block over them, as `--scenario` runs it.
    static func config(_ name: String) throws -> OrderflowConfig {
        try scenario(name).config(over: OrderflowConfig())
    }

    /// How the dashboard's clock is driven in one run.
    enum Driving: CustomStringConvertible {
        /// Frames of `frameMs` wall milliseconds at a speed; a full render every `renderEvery` frames.
        case frames(frameMs: Double, speed: Speed, renderEvery: Int)
        /// `max`: 250 ms virtual steps, a render after each batch.
        case flatOut
        /// Paused, stepping one virtual second at a time with `.`.
        case stepping
        /// Guided: 50 ms frames at 100×, `g` pressed at every narrated step the clock waits at.
        case guided

        var description: String {
            switch self {
            case .frames(let ms, let speed, let every): "\(ms) ms frames at \(speed.label), render every \(every)"
            case .flatOut: "max speed"
            case .stepping: "paused, stepping with ."
            case .guided: "guided, g at every step"
            }
        }
    }

    static func headless(_ name: String) throws -> String { try headless(scenario(name)) }

    static func headless(_ scenario: Scenario) throws -> String {
        let run = HeadlessRun(scenario: scenario)
        let sim = try Simulation(config: try scenario.config(over: OrderflowConfig()))
        let drained = run.run(sim)
        return try SimulationReport(simulation: sim, drained: drained).json()
    }

    static func dashboard(_ name: String, _ driving: Driving) throws -> String {
        try dashboard(scenario(name), driving)
    }

    static func dashboard(_ scenario: Scenario, _ driving: Driving) throws -> String {
        let run = HeadlessRun(scenario: scenario)
        let sim = try Simulation(config: try scenario.config(over: OrderflowConfig()))
        let guided: Bool = if case .guided = driving { true } else { false }
        let controller = DashboardController(
            simulation: sim, player: ScenarioPlayer(scenario: scenario, guided: guided))
        let end = max(run.trafficEnd(sim) ?? .zero, run.scenarioEnd)
        var frames = 0
        func frame() {
            frames += 1
            if case .frames(_, _, let every) = driving, frames % every != 0 { return }
            _ = controller.frame(width: 120, height: 40, glyphs: .unicode)
        }
        while sim.now < end {
            switch driving {
            case .frames(let ms, let speed, _):
                controller.state.speed = speed
                let remaining = Double((end - sim.now).milliseconds)
                // The last frame lands on the end exactly, as a trainer's pause would.
                if ms * (speed.multiplier ?? 1) >= remaining {
                    controller.advanceClock(by: end - sim.now)
                } else {
                    controller.tick(wallMilliseconds: ms)
                }
            case .flatOut:
                controller.state.speed = .max
                var batch = 0
                controller.runFlatOut {
                    batch += 1
                    return batch == 7 || sim.now + .milliseconds(250) > end
                }
                if sim.now + .milliseconds(250) > end, sim.now < end { controller.advanceClock(by: end - sim.now) }
            case .guided:
                controller.state.speed = .x100
                if controller.waitingForTrainer { controller.apply(.nextScenarioStep) }
                if 5000 >= (end - sim.now).milliseconds {
                    controller.advanceClock(by: end - sim.now)
                } else {
                    controller.tick(wallMilliseconds: 50)
                }
            case .stepping:
                if !controller.state.paused { controller.apply(.togglePause) }
                if sim.now + .seconds(1) > end {
                    controller.advanceClock(by: end - sim.now)
                } else {
                    controller.apply(.stepOneSecond)
                }
            }
            frame()
        }
        let drained = run.finish(sim)
        return try SimulationReport(simulation: sim, drained: drained).json()
    }

    static let drivings: [Driving] = [
        .frames(frameMs: 50, speed: .x100, renderEvery: 1), .frames(frameMs: 33, speed: .x5, renderEvery: 30),
        .flatOut, .stepping, .guided,
    ]

    /// A session recorded live (`Tests/Fixtures/recorded-session.yaml`) is a scenario like the others.
    @Test func aRecordedSessionEndsTheSameAtAnySpeed() throws {
        let recorded = try Scenario.load(path: RecordingTests.fixture.path)
        let flat = try Self.headless(recorded)
        for driving in Self.drivings {
            #expect(try Self.dashboard(recorded, driving) == flat, "recorded session, \(driving)")
        }
    }

    @Test(arguments: shipped)
    func theDashboardAtAnySpeedEndsWhereTheHeadlessRunEnds(name: String) throws {
        let flat = try Self.headless(name)
        for driving in Self.drivings {
            let ticked = try Self.dashboard(name, driving)
            #expect(ticked == flat, "\(name), \(driving): the report differs from the headless run")
            if ticked != flat { break }
        }
    }
}
