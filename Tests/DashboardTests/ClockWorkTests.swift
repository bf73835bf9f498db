import Bus
import Simulation
import Testing

@testable import Dashboard

/// `]`, `[` and `0` in slices: a step 100 virtual hours away, with traffic all the way, keeps the
/// dashboard drawing frames and answering `q` and Space at once.
@Suite struct ClockWorkTests {
    static let faraway = """
        name: faraway
        description: A step a hundred virtual hours away, traffic all the way.
        steps:
          - {at: 0s, do: traffic, rate: 2, say: Two orders a second.}
          - {at: 0s, do: traffic, on: true}
          - {at: 100h, say: A hundred hours later.}
        """

    static func controller() throws -> DashboardController {
        let scenario = try Scenario.parse(faraway, file: "faraway.yaml", name: "faraway")
        let config = try scenario.config(over: OrderflowConfig())
        let make = { try Simulation(config: config) }
        let c = DashboardController(
            simulation: try make(), player: ScenarioPlayer(scenario: scenario, guided: true), makeSimulation: make)
        c.runsClockWorkInSlices = true
        return c
    }

    /// A frame's budget, counted in looks at the clock rather than timed.
    static func budget(_ looks: Int) -> () -> Bool {
        var left = looks
        return {
            left -= 1
            return left <= 0
        }
    }

    @Test func nextStepYieldsBetweenFramesShowsProgressAndQuitsAtOnce() throws {
        let c = try Self.controller()
        c.apply(.nextScenarioStep)  // leave step 1
        c.apply(.nextStepNow)
        #expect(c.isBusy, "the key returns after its first slice")
        var frames = 0
        for _ in 0..<5 {
            c.continueWork(until: Self.budget(3))
            _ = c.frame(width: 80, height: 24, glyphs: .unicode)
            frames += 1
        }
        #expect(frames == 5 && c.isBusy)
        #expect(c.simulation.now > .zero && c.simulation.now < .zero + .seconds(360_000))
        #expect(c.state.message?.hasPrefix("running to step 2: ") == true, "\(c.state.message ?? "")")
        let before = c.simulation.now
        c.handle(.character("q"))
        #expect(c.state.quitRequested, "q quits while the work runs")
        #expect(c.simulation.now == before, "and runs no more of it")
    }

    @Test func spaceStopsTheRunWhereItGotToPaused() throws {
        let c = try Self.controller()
        c.apply(.nextScenarioStep)
        c.apply(.nextStepNow)
        c.continueWork(until: Self.budget(4))
        c.handle(.character(" "))
        #expect(!c.isBusy)
        #expect(c.state.paused)
        #expect(c.player?.narratedRun == 1, "still at step 1, stopped on the way")
        #expect(c.state.message?.hasPrefix("stopped on the way at") == true)
    }

    /// Sliced or not, `]` lands on the same state: the slices only decide when frames are drawn.
    @Test func slicedWorkLandsWhereTheWholeRunLands() throws {
        let sliced = try PresenterTests.controller("outage-312")
        sliced.runsClockWorkInSlices = true
        let whole = try PresenterTests.controller("outage-312")
        for c in [sliced, whole] {
            c.apply(.nextScenarioStep)
            c.apply(.nextStepNow)
            while c.isBusy { c.continueWork(until: Self.budget(1)) }
            c.apply(.nextStepNow)
            while c.isBusy { c.continueWork(until: Self.budget(2)) }
            c.apply(.backOneStep)
            while c.isBusy { c.continueWork(until: Self.budget(1)) }
        }
        #expect(sliced.player?.narratedRun == whole.player?.narratedRun)
        #expect(sliced.simulation.snapshot() == whole.simulation.snapshot())
        #expect(sliced.state.message == whole.state.message)
    }
}
