import Bus
import Events
import Foundation
import Services
import Simulation
import Testing

/// The shipped scenarios in `config/scenarios/`, run headless, each against the end state it teaches.
@Suite struct ScenarioTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("config/scenarios")

    func run(_ name: String, _ change: (inout OrderflowConfig) -> Void = { _ in }) throws -> (Simulation, Bool) {
        let scenario = try Scenario.load(path: Self.directory.appendingPathComponent(name + ".yaml").path)
        #expect(scenario.name == name)
        #expect(!scenario.description.isEmpty)
        var config = try scenario.config(over: OrderflowConfig())
        change(&config)
        let sim = try Simulation(config: config)
        let drained = HeadlessRun(scenario: scenario).run(sim)
        return (sim, drained)
    }

    @Test func happyPathDrainsWithNothingToReconcile() throws {
        let (sim, drained) = try run("happy-path")
        #expect(drained)
        #expect(sim.orderService.board.total > 100)
        #expect(sim.count(.pendingPayment) == 0)
        #expect(sim.count(.confirmed) + sim.count(.paymentFailed) == sim.orderService.board.total)
        #expect(sim.checkInvariants() == InvariantCounts())
        #expect(sim.sweeps.count == 1)
        #expect(sim.sweeps.allSatisfy { $0.isClean })
        #expect(sim.reconcile().isClean)
    }

    @Test func outage312ConfirmsAndEmailsEveryUnpaidOrderThenLeavesOnlyTheLostPublishes() throws {
        let (sim, drained) = try run("outage-312")
        #expect(drained)
        #expect(sim.orderService.board.total == 9 + 312)
        #expect(sim.rejectedOrders == 0)
        try #require(sim.sweeps.count == 2)

        let endOfOutage = sim.sweeps[0]
        #expect(endOfOutage.ordersChecked == 9 + 312)
        #expect(endOfOutage.confirmedWithoutCharge.count == 312)
        #expect(endOfOutage.emailsWithoutCharge.count == 312)

        // One publish lost to the crash, three to the refused sends.
        let afterDrain = sim.sweeps[1]
        #expect(afterDrain.ordersWithoutEvent.count == 4)
        #expect(afterDrain.confirmedWithoutCharge == afterDrain.ordersWithoutEvent)
        let violations = sim.invariantViolations()
        #expect(violations.confirmedWithoutCharge == Set(afterDrain.ordersWithoutEvent))
        #expect(violations.ordersWithoutEvent == Set(afterDrain.ordersWithoutEvent))
        #expect(sim.reconcile().confirmedWithoutCharge == afterDrain.ordersWithoutEvent)
    }

    @Test func outageHonestKeepsOrdersPendingWithoutFalseEmailsAndDrains() throws {
        let scenario = try Scenario.load(path: Self.directory.appendingPathComponent("outage-honest.yaml").path)
        let sim = try Simulation(config: OrderflowConfig())
        for step in scenario.steps { if let action = step.action { sim.schedule(action, at: .zero + step.at) } }
        sim.advance(to: seconds(10))
        let emailsBeforeTheDeploy = sim.notificationService.emailsSent
        #expect(emailsBeforeTheDeploy > 0)
        sim.advance(to: seconds(20 * 60 + 9.5))
        // The end of the deploy: every order waits, honestly, and nobody was told otherwise.
        #expect(sim.orderService.board.total == 9 + 312)
        #expect(sim.count(.pendingPayment) == 312)
        #expect(sim.notificationService.emailsSent == emailsBeforeTheDeploy)
        #expect(sim.checkInvariants().emailsWithoutCharge == 0)
        #expect(sim.checkInvariants().confirmedWithoutCharge == 0)
        let lagAtPeak = try #require(sim.totalLag(.payment))
        #expect(lagAtPeak == 308, "312 orders less the 4 whose publish was lost")

        // The scenario's remaining steps are already scheduled: the restart, then the last sweep.
        sim.advance(to: seconds(25 * 60 + 1))
        #expect(sim.runUntilDrained(deadline: seconds(60 * 60)))
        #expect(sim.peakLag[ServiceName.payment.rawValue] == 308)
        #expect(sim.totalLag(.payment) == 0)
        let invariants = sim.checkInvariants()
        #expect(invariants.emailsWithoutCharge == 0)
        #expect(invariants.confirmedWithoutCharge == 0)
        #expect(invariants.ordersWithoutEvent == 4)
        #expect(sim.count(.pendingPayment) == 4, "only the dual-write losses still wait")
        #expect(Set(try sim.orderIds(with: .pendingPayment)) == sim.invariantViolations().ordersWithoutEvent)
        #expect(sim.reconcile().ordersWithoutEvent.count == 4)
    }

    @Test func outageOutboxLosesNothing() throws {
        let (sim, drained) = try run("outage-outbox")
        #expect(drained)
        #expect(sim.orderService.board.total == 9 + 312)
        #expect(sim.count(.pendingPayment) == 0)
        #expect(sim.count(.confirmed) + sim.count(.paymentFailed) == 9 + 312)
        #expect(sim.checkInvariants() == InvariantCounts())
        #expect(sim.relay.pending == 0)
        #expect(sim.relay.published == 9 + 312)
        #expect(sim.broker.partitionLags(group: ServiceName.payment.rawValue).allSatisfy { $0.lag == 0 })
        try #require(sim.sweeps.count == 2)
        #expect(sim.sweeps[0].ordersWithoutEvent.isEmpty)
        #expect(sim.sweeps[1].isClean)
    }

    @Test func redeliveryDoubleChargesWithoutIdempotencyAndDedupsWithIt() throws {
        let (sim, drained) = try run("redelivery")
        #expect(drained)
        try #require(sim.sweeps.count == 2)
        let off = sim.sweeps[0]
        // Every record of the dead instance's batch was processed and not committed (batch commit).
        #expect(off.doubleCharges.count == 2)
        #expect(off.duplicateEmails == off.doubleCharges)
        let on = sim.sweeps[1]
        #expect(on.doubleCharges == off.doubleCharges, "the second redelivery charged nothing")
        #expect(on.duplicateEmails == off.duplicateEmails)
        #expect(sim.dedupHits[.payment]! >= 1)
        #expect(sim.redeliveries >= 2)
        #expect(sim.count(.pendingPayment) == 0)
    }

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
        let leaderOne = sim.broker.topics.flatMap { sim.broker.partitions(of: $0.name) }
            .filter { sim.broker.replicaState($0)?.leader == 1 }
        #expect(leaderOne.map(\.partition) == [0, 0, 0], "broker 1 leads partition 0 of each topic")
        player.advance(sim, to: seconds(5))
        let onlyOnBrokerOne = sim.broker.lostRecords
        #expect(!onlyOnBrokerOne.isEmpty && onlyOnBrokerOne.allSatisfy { $0.topicPartition.partition == 0 })
        #expect(sim.broker.replicaState(TopicPartition(Topic.orderCreated, 0))?.leader == 2)
        player.advance(sim, to: seconds(60))
        #expect(sim.runUntilDrained(deadline: seconds(600)))
        let sweep = try #require(sim.sweeps.last)
        let lostOrders = Set(onlyOnBrokerOne.filter { $0.topicPartition.topic == Topic.orderCreated }.map(\.key))
        #expect(Set(sweep.ordersWithoutEvent) == lostOrders)
        #expect(sim.invariantViolations().ordersWithoutEvent == lostOrders, "the checker agrees with what was lost")
        #expect(sim.count(.pendingPayment) == lostOrders.count)
        #expect(sim.broker.brokerStates.allSatisfy { $0.up })
        #expect(sim.broker.clusterMetrics.underReplicatedPartitions == 0, "broker 1 caught up and rejoined every ISR")
    }

    /// The canonical demo on the order flow: RF 3, min.insync.replicas 2, acks=all. One broker
    /// down, orders flow; two down, every send is refused with NotEnoughReplicas: best-effort
    /// loses exactly the events it gave up on, the outbox holds its rows until a broker returns,
    /// and nothing acknowledged is lost.
    @Test func acksAllWithMinIsrRefusesInsteadOfLosing() throws {
        let scenario = try Scenario.load(path: Self.directory.appendingPathComponent("acks-all-min-isr.yaml").path)
        let config = try scenario.config(over: OrderflowConfig())
        #expect(config.producer.acks == .all && config.cluster.minInsyncReplicas == 2)
        let sim = try Simulation(config: config)
        var gaveUp: [String] = []
        sim.orderService.onEventLost = { orderId, failure, _ in
            #expect(failure.name == "TimeoutException")
            gaveUp.append(orderId)
        }
        let player = ScenarioPlayer(scenario: scenario, guided: false)
        player.advance(sim, to: seconds(7.9))
        #expect(sim.count(.pendingPayment) == 0, "one broker down: the ten orders went through")
        player.advance(sim, to: seconds(12.5))
        #expect(sim.broker.producerErrors["NotEnoughReplicas", default: 0] > 0)
        #expect(sim.relay.pending == 0)
        player.advance(sim, to: seconds(24.9))
        #expect(gaveUp.count == 5, "the best-effort orders placed while two brokers were down")
        #expect(sim.relay.pending == 5, "the outbox rows wait for a broker")
        player.advance(sim, to: seconds(60))
        #expect(sim.runUntilDrained(deadline: seconds(600)))
        #expect(sim.broker.lostRecords.isEmpty, "nothing acknowledged is lost")
        #expect(sim.relay.pending == 0)
        let sweep = try #require(sim.sweeps.last)
        #expect(Set(sweep.ordersWithoutEvent) == Set(gaveUp))
        #expect(sim.invariantViolations().ordersWithoutEvent == Set(gaveUp))
        #expect(sim.count(.pendingPayment) == gaveUp.count)
        #expect(sim.orderService.eventsLostToProducerErrors == gaveUp.count)
        let paid = try #require(sim.orderService.board.recent.first { $0.status == .confirmed })
        let journey = try #require(try OrderJourney.trace(paid.orderId, in: sim.records))
        #expect(journey.steps.contains { $0.what == "replication" && $0.detail.hasSuffix(", acknowledged") })
    }

    /// Unclean leader election: two followers stall and partition 0's ISR shrinks to its leader;
    /// the leader dies and, with unclean election off, the partition waits offline and nothing is
    /// lost; turned on, an out-of-sync replica leads and the acknowledged events only the old
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
        let state = try #require(sim.broker.replicaState(p0))
        #expect(state.leader == 1 && state.isr == [1], "the stalled followers left partition 0's ISR")
        #expect(sim.broker.brokerStates.allSatisfy { $0.up }, "no broker died for it")
        #expect(sim.relay.pending == 0, "acknowledged by broker 1 alone, and marked")
        // What only broker 1 has: the records past broker 2's log end.
        let onlyOnBrokerOne = Set(
            sim.broker.records(p0, from: state.endOffsets[2] ?? 0, limit: 100).map(\.keyString))
        #expect(!onlyOnBrokerOne.isEmpty)
        player.advance(sim, to: seconds(19.9))
        #expect(sim.broker.replicaState(p0)?.isOffline == true, "unclean election off: partition 0 waits offline")
        #expect(sim.broker.lostRecords.isEmpty)
        #expect(sim.relay.pending > 0, "rows for partition 0 wait")
        player.advance(sim, to: seconds(20))
        let lost = Set(sim.broker.lostRecords.filter { $0.topicPartition.topic == Topic.orderCreated }.map(\.key))
        #expect(lost == onlyOnBrokerOne, "exactly what only broker 1 had")
        #expect(sim.broker.replicaState(p0)?.leader == 2)
        player.advance(sim, to: seconds(60))
        #expect(sim.runUntilDrained(deadline: seconds(600)))
        #expect(sim.relay.pending == 0, "every outbox row is marked published, the lost ones too")
        let sweep = try #require(sim.sweeps.last)
        #expect(Set(sweep.ordersWithoutEvent) == lost)
        #expect(sim.invariantViolations().ordersWithoutEvent == lost)
        #expect(sim.count(.pendingPayment) == lost.count)
        #expect(lost.isSubset(of: announced))
        let lostOrder = try #require(lost.sorted().first)
        let journey = try #require(try OrderJourney.trace(lostOrder, in: sim.records))
        #expect(journey.steps.first { $0.what == "lost in a truncation" }?.mark == .wrong)
        #expect(journey.steps.last?.mark == .missing, "still PENDING_PAYMENT, and nothing will change it")
    }

    /// The max-poll-interval lesson: slow batches take members out of the group and their records
    /// are processed twice; with ten records a poll the group stays whole.
    @Test func pollStormLeavesTheGroupAndRedeliversUntilBatchesAreSmall() throws {
        let scenario = try Scenario.load(path: Self.directory.appendingPathComponent("poll-storm.yaml").path)
        let config = try scenario.config(over: OrderflowConfig())
        #expect(config.maxPollInterval == .seconds(30))
        #expect(config.maxPollRecords == 500, "the scenario keeps Kafka's max.poll.records until its fix")
        let sim = try Simulation(config: config)
        for step in scenario.steps { if let action = step.action { sim.schedule(action, at: .zero + step.at) } }
        sim.advance(to: seconds(40))
        // 42 charges of 0.5–3 s in one batch outlast 30 s: the member left, its records went to the other.
        #expect(sim.pollIntervalExceeded == 1)
        #expect(sim.instanceRows.contains { $0.outOfGroup && ($0.batch?.of ?? 0) > 10 })
        #expect(sim.redeliveries > 0)
        sim.advance(to: seconds(90))
        let beforeFix = sim.pollIntervalExceeded
        #expect(beforeFix >= 2, "the redelivered batch is as slow: a storm")
        // The batches in hand at the fix (92 s) run out by 150 s; no member leaves after that.
        sim.advance(to: seconds(150))
        let afterOldBatches = sim.pollIntervalExceeded
        #expect(sim.commitFailures > 0, "the members that left could not commit their batches")
        sim.advance(to: seconds(240))
        #expect(sim.runUntilDrained(deadline: seconds(600)))
        #expect(sim.pollIntervalExceeded == afterOldBatches)
        #expect(sim.instanceRows.allSatisfy { !$0.outOfGroup })
        #expect(sim.broker.state(ofGroup: ServiceName.payment.rawValue) == .stable)
        #expect(sim.count(.pendingPayment) == 0)
        try #require(sim.sweeps.count == 2)
        #expect(!sim.sweeps[0].doubleCharges.isEmpty, "without idempotency the storm charged twice")
        #expect(sim.dedupHits[.payment]! > 0, "with idempotency, redeliveries are recognised")
        #expect(Set(sim.sweeps[0].doubleCharges).isSubset(of: Set(sim.sweeps[1].doubleCharges)))
    }

    @Test func rebalanceMovesTheDeadInstancesPartitionsAfterTheSessionTimeout() throws {
        let scenario = try Scenario.load(path: Self.directory.appendingPathComponent("rebalance.yaml").path)
        let sim = try Simulation(config: OrderflowConfig())
        for step in scenario.steps { if let action = step.action { sim.schedule(action, at: .zero + step.at) } }
        let group = ServiceName.payment.rawValue
        var states: [(VirtualTime, GroupState)] = []
        while sim.now < seconds(60) {
            sim.advance(by: .milliseconds(100))
            if states.last?.1 != sim.broker.state(ofGroup: group) {
                states.append((sim.now, sim.broker.state(ofGroup: group)))
            }
            if sim.now == seconds(32) {
                // What the narration says at 32s.
                #expect(sim.broker.state(ofGroup: group) == .stable)
                #expect(sim.instanceRows.first { $0.clientId == "payment-service-1" }?.partitions.count == 3)
            }
        }
        // Each rebalance opens with PreparingRebalance, then CompletingRebalance, then Stable.
        let rebalances = states.filter { $0.1 == .preparingRebalance }.map(\.0)
        let afterKill = try #require(rebalances.first { $0 > seconds(20) })
        #expect(afterKill >= seconds(20) + sim.config.sessionTimeout, "not before the session timeout")
        #expect(afterKill <= seconds(20) + sim.config.sessionTimeout + .seconds(1))
        #expect(states.last?.1 == .stable)
        let survivor = try #require(sim.instanceRows.first { $0.clientId == "payment-service-1" })
        #expect(survivor.partitions.count == 3)
        #expect(sim.instanceRows.first { $0.clientId == "payment-service-2" }?.state == .killed)
        #expect(sim.runUntilDrained(deadline: seconds(600)))
        #expect(sim.checkInvariants() == InvariantCounts())
    }

    /// Same scenario, same seed: the same report, byte for byte, with every switch and fault in play.
    @Test func aScenarioRunIsReproducibleToTheByte() throws {
        func report() throws -> String {
            let scenario = try Scenario.load(path: Self.directory.appendingPathComponent("outage-outbox.yaml").path)
            var config = OrderflowConfig()
            config.flow.idempotency = .on
            let sim = try Simulation(config: config)
            sim.schedule(.crashOutboxRelay, at: seconds(90))
            sim.schedule(.killPaymentBeforeCommit, at: seconds(20 * 60 + 15))
            let drained = HeadlessRun(scenario: scenario).run(sim)
            return try SimulationReport(simulation: sim, drained: drained, final: sim.reconcile()).json()
        }
        let a = try report()
        let b = try report()
        #expect(a == b)
        #expect(a.contains("\"relayCrashes\" : 1"))
    }
}
