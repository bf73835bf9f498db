import Bus
import Events
import Foundation
import Services
import Simulation
import Testing

/// The brokers lessons (`acks-1-failover`, `acks-all-min-isr`, `unclean-election`,
/// `divergent-epochs`), run headless, each against the end state it teaches.
@Suite struct BrokersScenarioTests {
    static let directory = ScenarioTests.directory

    /// The brokers lesson: acks=1 and a leader that dies before its followers fetched. The records
    /// lost are exactly the ones only broker 1 had, and the orders without an event are exactly
    /// the orders those records announced.
    @Test func acksOneFailoverLosesAcknowledgedEventsAndTheSweepFindsExactlyThoseOrders() throws {
        let scenario = try Scenario.load(path: Self.directory.appendingPathComponent("acks-1-failover.yaml").path)
        let config = try scenario.config(over: OrderflowConfig())
        #expect(
            config.cluster
                == ClusterConfig(brokers: 3, replicationFactor: 3, minInsyncReplicas: 2, replicaLagTime: .seconds(10)))
        let sim = try Simulation(config: config)
        let player = ScenarioPlayer(scenario: scenario, guided: false)
        player.advance(sim, to: seconds(4.9))
        let leaderOne = sim.cluster.topics.flatMap { sim.cluster.partitions(of: $0.name) }
            .filter { sim.cluster.replicaState($0)?.leader == 1 }
        #expect(leaderOne.map(\.partition) == [0, 0, 0], "broker 1 leads partition 0 of each topic")
        player.advance(sim, to: seconds(13.9))
        #expect(sim.cluster.lostRecords.isEmpty, "broker 1 is not fenced yet")
        #expect(sim.cluster.replicaState(TopicPartition(Topic.orderCreated, 0))?.leader == 1)
        player.advance(sim, to: seconds(14))
        let onlyOnBrokerOne = sim.cluster.lostRecords
        #expect(!onlyOnBrokerOne.isEmpty && onlyOnBrokerOne.allSatisfy { $0.topicPartition.partition == 0 })
        #expect(sim.cluster.replicaState(TopicPartition(Topic.orderCreated, 0))?.leader == 2)
        player.advance(sim, to: seconds(60))
        #expect(sim.runUntilDrained(deadline: seconds(600)))
        let sweep = try #require(sim.sweeps.last)
        let lostOrders = Set(onlyOnBrokerOne.filter { $0.topicPartition.topic == Topic.orderCreated }.map(\.key))
        #expect(Set(sweep[.ordersWithoutEvent]) == lostOrders)
        #expect(sim.invariantViolations()[.ordersWithoutEvent] == lostOrders, "the checker agrees with what was lost")
        #expect(sim.count(.pendingPayment) == lostOrders.count)
        #expect(sim.cluster.brokerStates.allSatisfy { $0.liveness.serves })
        #expect(sim.cluster.clusterMetrics.underReplicatedPartitions == 0, "broker 1 caught up and rejoined every ISR")
    }

    /// The canonical demo on the order flow, as Kafka 4 runs it: RF 3, min.insync.replicas 2,
    /// acks=all. A crashed broker holds acks=all until it is fenced (9 s), then orders flow on
    /// two replicas; with two fenced, every send is refused with NotEnoughReplicas: best-effort
    /// loses exactly the events it gave up on, the outbox holds its rows until a broker returns,
    /// and nothing acknowledged is lost.
    @Test func acksAllWithMinIsrRefusesInsteadOfLosing() throws {
        let scenario = try Scenario.load(path: Self.directory.appendingPathComponent("acks-all-min-isr.yaml").path)
        let config = try scenario.config(over: OrderflowConfig())
        #expect(config.producer.acks == .all && config.cluster.minInsyncReplicas == 2)
        #expect(config.cluster.brokerSessionTimeout == .seconds(9), "Kafka's broker.session.timeout.ms")
        let sim = try Simulation(config: config)
        var gaveUp: [String] = []
        sim.orderService.onEventLost = { orderId, failure, _ in
            #expect(failure.name == "TimeoutException")
            gaveUp.append(orderId)
        }
        let p2 = TopicPartition(Topic.orderCreated, 2)
        let player = ScenarioPlayer(scenario: scenario, guided: false)
        player.advance(sim, to: seconds(11.9))
        #expect(sim.cluster.brokerStates.last?.liveness == .unresponsive(fencedAt: seconds(12)))
        #expect(sim.cluster.replicaState(p2)?.leader == 3 && sim.cluster.replicaState(p2)?.isr.count == 3)
        #expect(sim.count(.pendingPayment) == 5, "the second five wait for broker 3, dead and not fenced")
        player.advance(sim, to: seconds(14))
        #expect(sim.cluster.replicaState(p2)?.leader == 1 && sim.cluster.replicaState(p2)?.isr == [1, 2])
        #expect(sim.count(.pendingPayment) == 0, "fenced: two replicas acknowledged the ten orders")
        player.advance(sim, to: seconds(25))
        #expect(sim.cluster.replicaState(p2)?.isr == [1] && sim.cluster.replicaState(p2)?.elr == [2])
        player.advance(sim, to: seconds(28))
        #expect(sim.cluster.producerErrors["NotEnoughReplicas", default: 0] > 0)
        #expect(sim.relay.pending == 0)
        player.advance(sim, to: seconds(39.9))
        #expect(gaveUp.count == 5, "the best-effort orders placed while two brokers were fenced")
        #expect(sim.relay.pending == 5, "the outbox rows wait for a broker")
        player.advance(sim, to: seconds(60))
        #expect(sim.runUntilDrained(deadline: seconds(600)))
        #expect(sim.cluster.lostRecords.isEmpty, "nothing acknowledged is lost")
        #expect(sim.relay.pending == 0)
        let sweep = try #require(sim.sweeps.last)
        #expect(Set(sweep[.ordersWithoutEvent]) == Set(gaveUp))
        #expect(sim.invariantViolations()[.ordersWithoutEvent] == Set(gaveUp))
        #expect(sim.count(.pendingPayment) == gaveUp.count)
        #expect(sim.orderService.eventsLostToProducerErrors == gaveUp.count)
        let paid = try #require(sim.orderService.board.recent.first { $0.status == .confirmed })
        let journey = try #require(try OrderJourney.trace(paid.orderId, in: sim.records))
        #expect(journey.steps.contains { $0.what == "replication" && $0.detail.hasSuffix(", acknowledged") })
    }

    /// Unclean leader election: two followers stall and partition 0's ISR shrinks to its leader;
    /// the leader crashes and, fenced 9 s later with unclean election off, the partition waits
    /// offline (ELR: broker 1) and nothing is lost; turned on, at the controller's next periodic
    /// check an out-of-sync replica leads and the acknowledged events only the old
    /// leader had are gone, though the outbox marked their rows published. The sweep finds
    /// exactly those orders.
    @Test func uncleanElectionLosesAcknowledgedEventsEvenThroughTheOutbox() throws {
        let scenario = try Scenario.load(path: Self.directory.appendingPathComponent("unclean-election.yaml").path)
        let sim = try Simulation(config: try scenario.config(over: OrderflowConfig()))
        var announced: [String] = []
        sim.recordObservers.append { record in
            if record.topic == Topic.orderCreated { announced.append(record.keyString) }
        }
        let p0 = TopicPartition(Topic.orderCreated, 0)
        let player = ScenarioPlayer(scenario: scenario, guided: false)
        player.advance(sim, to: seconds(13))
        let state = try #require(sim.cluster.replicaState(p0))
        #expect(state.leader == 1 && state.isr == [1], "the stalled followers left partition 0's ISR")
        #expect(sim.cluster.brokerStates.allSatisfy { $0.liveness.serves }, "no broker died for it")
        #expect(sim.relay.pending == 0, "acknowledged by broker 1 alone, and marked")
        // What only broker 1 has: the records past broker 2's log end.
        let onlyOnBrokerOne = Set(
            sim.cluster.records(p0, from: state.endOffsets[2] ?? 0, limit: 100).map(\.keyString))
        #expect(!onlyOnBrokerOne.isEmpty)
        player.advance(sim, to: seconds(23.9))
        #expect(sim.cluster.replicaState(p0)?.leader == 1, "crashed, not fenced: still the leader")
        player.advance(sim, to: seconds(29.9))
        #expect(sim.cluster.replicaState(p0)?.isOffline == true, "unclean election off: partition 0 waits offline")
        #expect(sim.cluster.replicaState(p0)?.isr == [] && sim.cluster.replicaState(p0)?.elr == [1])
        #expect(sim.cluster.config.uncleanLeaderElection, "turned on at 27s; the periodic check has not run")
        // The report says so with every key: an offline partition's leader is null, not missing.
        let report = try SimulationReport(simulation: sim, drained: false).json()
        let json = try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any]
        let partitions = (json?["cluster"] as? [String: Any])?["partitions"] as? [[String: Any]] ?? []
        let first = partitions.first { $0["topic"] as? String == Topic.orderCreated && $0["partition"] as? Int == 0 }
        #expect(first?["leader"] is NSNull, "\(first ?? [:])")
        #expect(sim.cluster.lostRecords.isEmpty)
        #expect(sim.relay.pending > 0, "rows for partition 0 wait")
        player.advance(sim, to: seconds(30))
        let lost = Set(sim.cluster.lostRecords.filter { $0.topicPartition.topic == Topic.orderCreated }.map(\.key))
        #expect(lost == onlyOnBrokerOne, "exactly what only broker 1 had")
        #expect(sim.cluster.replicaState(p0)?.leader == 2)
        player.advance(sim, to: seconds(60))
        #expect(sim.runUntilDrained(deadline: seconds(600)))
        #expect(sim.relay.pending == 0, "every outbox row is marked published, the lost ones too")
        let sweep = try #require(sim.sweeps.last)
        #expect(Set(sweep[.ordersWithoutEvent]) == lost)
        #expect(sim.invariantViolations()[.ordersWithoutEvent] == lost)
        #expect(sim.count(.pendingPayment) == lost.count)
        #expect(lost.isSubset(of: announced))
        let lostOrder = try #require(lost.sorted().first)
        let journey = try #require(try OrderJourney.trace(lostOrder, in: sim.records))
        #expect(journey.steps.first { $0.what == "lost in a truncation" }?.mark == .wrong)
        #expect(journey.steps.last?.mark == .missing, "still PENDING_PAYMENT, and nothing will change it")
    }

    /// Two unclean elections in a row: the orders placed while broker 1 led alone lose their
    /// events at the first and get them back at the second (broker 1 kept its log); the orders
    /// placed while broker 2 led are the ones lost for good, and exactly those stay
    /// PENDING_PAYMENT without an event.
    @Test func divergentEpochsKeepWhatTheLastLeaderHad() throws {
        let scenario = try Scenario.load(path: Self.directory.appendingPathComponent("divergent-epochs.yaml").path)
        let sim = try Simulation(config: try scenario.config(over: OrderflowConfig()))
        var placedAt: [(time: VirtualTime, orderId: String)] = []
        sim.orderObservers.append { placed in placedAt.append((sim.now, placed.orderId)) }
        let player = ScenarioPlayer(scenario: scenario, guided: false)
        player.advance(sim, to: seconds(60))
        #expect(sim.runUntilDrained(deadline: seconds(600)))
        let underBrokerOneAlone = Set(placedAt.filter { $0.time == seconds(5) }.map(\.orderId))
        let underBrokerTwo = Set(placedAt.filter { $0.time == seconds(19) }.map(\.orderId))
        #expect(underBrokerOneAlone.count == 4 && underBrokerTwo.count == 3)
        let lost = Set(sim.cluster.lostRecords.filter { $0.topicPartition.topic == Topic.orderCreated }.map(\.key))
        #expect(lost == underBrokerTwo, "what broker 2 alone wrote")
        #expect(Set(sim.sweeps.last?[.ordersWithoutEvent] ?? []) == underBrokerTwo)
        #expect(sim.invariantViolations()[.ordersWithoutEvent] == underBrokerTwo)
        #expect(sim.count(.pendingPayment) == 3)
        for id in underBrokerOneAlone {
            #expect(
                try sim.orderService.order(id)?.status != .pendingPayment, "\(id): its event came back and was paid")
        }
        #expect(sim.cluster.lossHistory.filter { $0.topicPartition.topic == Topic.orderCreated }.count == 7)
    }
}
