import Bus
import Events
import Foundation
import Services
import Simulation
import Testing

/// Idle virtual time is jumped over (`Engine/IdleTime.swift`), and the jump changes no byte: the
/// same runs with and without it give the same JSON report. The schedules mix bursts of orders
/// with long quiet stretches, kills and restarts, every commit mode, and a cluster.
@Suite struct IdleTimeTests {
    static func report(seed: UInt64, skipping: Bool) throws -> (String, VirtualTime) {
        var random = SeededRandom(seed: seed, stream: "idle-schedule")
        var config = OrderflowConfig()
        config.seed = seed
        config.trafficAuto = false
        config.commit = OrderflowConfig.CommitMode.allCases[Int(seed % 3)]
        if seed % 4 == 3 {
            config.cluster = ClusterConfig(brokers: 3, replicationFactor: 3, minInsyncReplicas: 2)
        }
        let sim = try Simulation(config: config)
        sim.skipsIdleTime = skipping
        var at = VirtualTime.zero
        for _ in 0..<6 {
            at = at + .milliseconds(Int64(random.int(in: 0...1_200_000)))
            let action: SimulationAction
            switch random.int(in: 0...6) {
            case 0: action = .kill(.payment, instance: nil)
            case 1: action = .start(.payment)
            case 2: action = .crashMidPublish(downtime: .seconds(Double(random.int(in: 0...30))))
            case 3 where seed % 4 == 3: action = .killBroker(random.int(in: 1...3))
            case 4 where seed % 4 == 3: action = .restartBroker(random.int(in: 1...3))
            default:
                action = .placeOrdersOver(count: random.int(in: 1...20), over: .seconds(Double(random.int(in: 0...60))))
            }
            sim.schedule(action, at: at)
        }
        // Advanced in uneven strides, as a dashboard would.
        while sim.now < at + .minutes(5) {
            sim.advance(to: sim.now + .milliseconds(Int64(random.int(in: 1...300_000))))
        }
        let drained = sim.runUntilDrained(deadline: sim.now + .minutes(30))
        return (try SimulationReport(simulation: sim, drained: drained).json(), sim.now)
    }

    @Test func theJumpChangesNoByteOfTheReport() throws {
        for seed in UInt64(0)..<8 {
            let (jumped, end) = try Self.report(seed: seed, skipping: true)
            let (stepped, _) = try Self.report(seed: seed, skipping: false)
            #expect(jumped == stepped, "seed \(seed): the report differs with the jump (ended at \(end))")
        }
    }

    /// An idle virtual day runs a few hundred jobs, not the 4.7 million its polls and samples
    /// would be one by one: counted, not timed (speed targets live in the benchmarks).
    @Test(arguments: [false, true])
    func anIdleDayRunsAlmostNoJobs(cluster: Bool) throws {
        var config = OrderflowConfig()
        config.trafficAuto = false
        if cluster { config.cluster = ClusterConfig(brokers: 3, replicationFactor: 3, minInsyncReplicas: 2) }
        let sim = try Simulation(config: config)
        sim.perform(.placeOrders(3))
        sim.advance(to: .zero + .seconds(86_400))
        #expect(sim.now == .zero + .seconds(86_400))
        #expect(sim.jobsRun < 2_000, "\(sim.jobsRun) jobs for an idle day")
        #expect(sim.isDrained)
        #expect(sim.orderService.board.counts.values.reduce(0, +) == 3)
    }
}
