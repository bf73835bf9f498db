import Bus
import Foundation
import Simulation
import Testing

@testable import Dashboard

/// Restart, next step now and back one step, as a trainer uses them in front of a class.
@Suite struct PresenterTests {
    static func controller(_ name: String, guided: Bool = true) throws -> DashboardController {
        let scenario = try OneTruthTests.scenario(name)
        let config = try OneTruthTests.config(name)
        let make = { try Simulation(config: config) }
        return DashboardController(
            simulation: try make(), player: ScenarioPlayer(scenario: scenario, guided: guided), makeSimulation: make)
    }

    /// Plays guided at 100× in 50 ms frames, `g` at each step, until step `n` is on screen.
    static func play(_ c: DashboardController, toStep n: Int, pressing keys: [Int: DashboardAction] = [:]) {
        var pressed: Set<Int> = []
        while c.player?.narratedRun ?? 0 < n {
            if let step = c.player?.narratedRun, let key = keys[step], !pressed.contains(step) {
                pressed.insert(step)
                c.apply(key)
            }
            if c.waitingForTrainer { c.apply(.nextScenarioStep) }
            c.tick(wallMilliseconds: 50)
        }
    }

    @Test func backOneStepLandsOnTheSnapshotThatPlayingToThatStepShowed() throws {
        let c = try Self.controller("outage-312")
        // The trainer places an order at step 2 and arms a crash at step 3: the replay must redo both.
        Self.play(c, toStep: 4, pressing: [2: .placeOrder, 3: .crashMidPublish])
        let atStep4 = c.simulation.snapshot()
        let reference = try Self.controller("outage-312")
        Self.play(reference, toStep: 4, pressing: [2: .placeOrder, 3: .crashMidPublish])
        #expect(reference.simulation.snapshot() == atStep4, "the same play lands on the same state")
        let third = try Self.controller("outage-312")
        Self.play(third, toStep: 3, pressing: [2: .placeOrder])
        let atStep3 = third.simulation.snapshot()

        Self.play(c, toStep: 5, pressing: [4: .placeTenOrders])
        c.apply(.backOneStep)
        #expect(c.player?.narratedRun == 4)
        #expect(c.waitingForTrainer, "back lands held at the step, g goes on")
        #expect(c.simulation.snapshot() == atStep4)
        c.apply(.backOneStep)
        #expect(c.player?.narratedRun == 3)
        #expect(c.simulation.snapshot() == atStep3, "the crash armed at step 3 is forgotten, the order of step 2 kept")
        #expect(c.state.message?.contains("back at step 3 of 9") == true)
    }

    @Test func restartStartsOverAsTheFirstStartDid() throws {
        let c = try Self.controller("outage-312")
        let first = c.simulation.snapshot()
        Self.play(c, toStep: 3, pressing: [1: .placeTenOrders])
        c.apply(.restartScenario)
        #expect(c.player?.narratedRun == 0 && !c.waitingForTrainer, "outage-312 narrates from 1s on")
        #expect(c.simulation.snapshot() == first)
        #expect(c.recorded.isEmpty)
    }

    @Test func nextStepNowRunsFlatOutToTheNextNarratedStepAndHoldsThere() throws {
        let c = try Self.controller("outage-312", guided: false)
        #expect(c.state.speed == .x10, "the scenario starts at its own speed")
        c.apply(.nextStepNow)
        c.apply(.nextStepNow)
        c.apply(.nextStepNow)
        #expect(c.player?.narratedRun == 3)
        #expect(c.simulation.now == .zero + .seconds(10))
        #expect(c.waitingForTrainer)
        #expect(c.state.message == "at step 3 of 9 (00:00:10.000): g goes on")
        let reference = try Self.controller("outage-312")
        Self.play(reference, toStep: 3)
        #expect(reference.simulation.snapshot() == c.simulation.snapshot())
    }

    @Test func presenterKeysWorkOnlyWhileAScenarioPlays() throws {
        let c = try fixtureController()
        c.handle(.character("0"))
        c.handle(.character("["))
        c.handle(.character("]"))
        #expect(c.state.message == nil, "outside a scenario the keys are disabled")
    }

    @Test func withDatabasesOnDiskRestartSaysWhyItCannot() throws {
        let scenario = try OneTruthTests.scenario("happy-path")
        let c = DashboardController(
            simulation: try Simulation(config: OrderflowConfig()),
            player: ScenarioPlayer(scenario: scenario, guided: true))
        c.apply(.restartScenario)
        #expect(c.state.message == "restart and back need the databases in memory (this run writes to --db-dir)")
    }
}
