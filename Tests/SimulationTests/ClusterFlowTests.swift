import Bus
import Events
import Services
import Simulation
import Testing

/// The cluster under the order flow with acks=1: a leader dying
/// before its followers fetched loses acknowledged OrderCreated events, and the business sees
/// exactly those orders as orders without an event.
@Suite struct ClusterFlowTests {
    func clusterConfig(_ change: (inout ClusterConfig) -> Void = { _ in }) -> OrderflowConfig {
        testConfig { c in
            var cluster = ClusterConfig(
                brokers: 3, replicationFactor: 3, minInsyncReplicas: 2, replicaLagTime: .seconds(10),
                replicaFetchInterval: .seconds(2), brokerSessionTimeout: .zero, eligibleLeaderReplicas: false)
            change(&cluster)
            c.cluster = cluster
            c.producer.acks = .leader
            c.trafficRate = 5
        }
    }

    @Test func aLeadersDeathLosesExactlyTheRecordsItsFollowersHadNotFetched() throws {
        let sim = try Simulation(config: clusterConfig())
        sim.perform(.setTraffic(on: true))
        sim.advance(to: seconds(9.5))
        let unfetched = sim.cluster.topics.flatMap { sim.cluster.partitions(of: $0.name) }
            .filter { sim.cluster.replicaState($0)?.leader == 1 }
            .reduce(0) { $0 + Int(sim.cluster.logEndOffset($1) - sim.cluster.highWatermark($1)) }
        #expect(sim.perform(.killBroker(1)) == .brokers([1]))
        sim.perform(.setTraffic(on: false))
        #expect(sim.cluster.lostRecords.count == unfetched, "what broker 1 alone had, and nothing else")
        #expect(unfetched > 0, "the fault must bite, or the test proves nothing")
        sim.advance(to: seconds(12))
        #expect(sim.perform(.restartBroker(1)) == .brokers([1]))
        #expect(sim.runUntilDrained(deadline: seconds(600)))
        let sweep = try ReconciliationReport.sweep(sim.records, at: sim.now)
        let lostAnnouncements = Set(
            sim.cluster.lostRecords.filter { $0.topicPartition.topic == Topic.orderCreated }.map(\.key))
        #expect(Set(sweep[.ordersWithoutEvent]) == lostAnnouncements)
        #expect(sim.invariantViolations()[.ordersWithoutEvent] == lostAnnouncements)
        sim.advance(by: .seconds(3))  // broker 1's replicas fetch (every 2 s here) and rejoin the ISRs
        let report = SimulationReport(simulation: sim, drained: true)
        #expect(report.cluster?.acknowledgedRecordsLost == sim.cluster.lostRecords.count)
        #expect(report.cluster?.brokers.map(\.state) == ["up", "up", "up"])
        #expect(report.cluster?.partitions.allSatisfy { $0.leader != nil && $0.isr.count == 3 } == true)
    }

    @Test func oneBrokerLeavesTheReportWithoutACluster() throws {
        let sim = try Simulation(config: testConfig())
        sim.perform(.placeOrders(3))
        sim.advance(to: seconds(5))
        #expect(SimulationReport(simulation: sim, drained: true).cluster == nil)
        #expect(sim.perform(.killBroker(1)) == .brokers([]), "no cluster: nothing to kill")
    }

    @Test func aReplicationFactorLargerThanTheBrokersIsAConfigError() {
        #expect(throws: InputError.self) {
            _ = try OrderflowConfig.parse("bus:\n  brokers: 2\n  replicationFactor: 3\n", file: "c.yaml")
        }
        let c = try? OrderflowConfig.parse(
            "bus:\n  brokers: 3\n  replicationFactor: 3\n  minInsyncReplicas: 2\n  uncleanLeaderElection: true\n",
            file: "c.yaml")
        #expect(
            c?.cluster
                == ClusterConfig(brokers: 3, replicationFactor: 3, minInsyncReplicas: 2, uncleanLeaderElection: true))
    }
}
