import Bus
import Events
import Foundation
import Services
import Simulation
import Testing

/// Lag in time against what was injected and against the log itself: the oldest waiting record
/// is the one placed when the consumer stopped, and in every shipped scenario, at every
/// second, a lag of N records is N records in the log whose oldest waited exactly as long as
/// the row says.
@Suite struct TimeLagTests {
    func payment(_ sim: Simulation) -> [GroupDescriptionRow] {
        sim.coordinator.partitionLags(group: ServiceName.payment.rawValue)
    }

    @Test func theOldestWaitingRecordIsTheFirstOrderPlacedAfterTheConsumerStopped() throws {
        let sim = try Simulation(config: testConfig())
        sim.perform(.placeOrders(3))
        sim.advance(to: seconds(5))
        sim.perform(.stop(.payment))
        sim.advance(to: seconds(12))
        sim.perform(.placeOrders(1))
        sim.advance(to: seconds(20))
        sim.perform(.placeOrders(4))
        sim.advance(to: seconds(30))
        let group = try #require(sim.timeLag(group: payment(sim)))
        // Placed at 12 s; the record is appended within the order service's few milliseconds.
        #expect(group.oldest >= .seconds(18) && group.oldest <= .seconds(18.1), "\(group.oldest)")
        #expect(group.catchUp == .never, "stopped: nothing consumed for ten seconds")
        let waiting = payment(sim).filter { ($0.lag ?? 0) > 0 }
        #expect(waiting.count >= 1)
        for row in payment(sim) where row.lag != nil {
            let time = try #require(sim.timeLag(row))
            #expect((row.lag == 0) == (time.catchUp == .caughtUp))
            #expect(time.oldest <= group.oldest)
        }
        // Back: it consumes, the estimate turns finite, then the lag is gone.
        sim.perform(.start(.payment))
        sim.advance(to: seconds(33))
        sim.perform(.placeOrders(6))
        sim.advance(to: seconds(60))
        let drained = try #require(sim.timeLag(group: payment(sim)))
        #expect(drained == TimeLag(oldest: .zero, catchUp: .caughtUp))
    }

    /// Commits per record, so the rate the estimate reads is the rate records are consumed at
    /// (a batch commit moves the offsets only when its batch ends).
    @Test func aSteadyConsumerCatchesUpInItsLagOverItsRate() throws {
        let sim = try Simulation(config: testConfig { $0.commit = .record })
        sim.perform(.setTrafficRate(5))
        sim.perform(.setTraffic(on: true))
        sim.advance(to: seconds(30))
        sim.perform(.stop(.payment))
        sim.advance(to: seconds(40))
        sim.perform(.setTraffic(on: false))
        sim.perform(.start(.payment))
        sim.perform(.slowProvider(factor: 10))
        sim.advance(to: seconds(45))
        let rows = payment(sim)
        let lag = rows.compactMap(\.lag).reduce(0, +)
        let time = try #require(sim.timeLag(group: rows))
        guard case .after(let eta) = time.catchUp else {
            Issue.record("consuming, with lag \(lag): \(time.catchUp)")
            return
        }
        // Measured against what happens: the lag is gone within a few times the estimate.
        let estimate = sim.now + eta
        while (payment(sim).compactMap(\.lag).reduce(0, +)) > 0 && sim.now < estimate + eta * 4 {
            sim.advance(by: .seconds(1))
        }
        #expect(payment(sim).compactMap(\.lag).reduce(0, +) == 0, "caught up by \(sim.now), estimate \(estimate)")
    }

    /// Every shipped scenario, second by second: each row's lag in time agrees with the log.
    @Test(arguments: ReportFixtureTests.shipped)
    func lagInTimeAgreesWithTheRecordsInTheLog(name: String) throws {
        let scenario = try Scenario.load(path: ScenarioTests.directory.appendingPathComponent(name + ".yaml").path)
        let sim = try Simulation(config: try scenario.config(over: OrderflowConfig()))
        let player = ScenarioPlayer(scenario: scenario, guided: false)
        let end = (scenario.steps.map(\.at).max() ?? .zero) + .seconds(5)
        var t = VirtualTime.zero
        while t <= .zero + end {
            player.advance(sim, to: t)
            for service in ServiceName.allCases {
                for row in sim.coordinator.partitionLags(group: service.rawValue) {
                    try check(row, sim, "\(name) at \(t)")
                }
            }
            t = t + .seconds(1)
        }
    }

    func check(_ row: GroupDescriptionRow, _ sim: Simulation, _ at: String) throws {
        let time = sim.timeLag(row)
        guard let lag = row.lag, let committed = row.currentOffset else {
            #expect(time == nil, "\(at) \(row.group) \(row.topic)-\(row.partition): unknown lag, unknown time")
            return
        }
        let found = try #require(time, "\(at): a known lag has a time")
        let tp = TopicPartition(row.topic, row.partition)
        // The records the lag counts, read from the log one by one.
        let first = max(committed, sim.cluster.logStartOffset(tp))
        let waiting = (first..<(committed + lag)).compactMap { sim.cluster.record(tp, at: $0) }
        #expect(Int64(waiting.count) == lag - (first - committed), "\(at) \(tp): the lag is records in the log")
        if let oldest = waiting.map(\.timestamp).min() {
            #expect(found.oldest == sim.now - oldest, "\(at) \(row.group) \(tp)")
            #expect(found.catchUp != .caughtUp)
        } else {
            #expect(found == TimeLag(oldest: .zero, catchUp: .caughtUp), "\(at) \(row.group) \(tp)")
        }
    }
}
