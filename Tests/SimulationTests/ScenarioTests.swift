import Bus
import Events
import Foundation
import GRDB
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

    /// The list an unknown verb's error names holds every verb the shipped lessons use.
    @Test func theVerbsAnErrorNamesIncludeEveryShippedOne() throws {
        for name in ReportFixtureTests.shipped {
            let text = try String(contentsOf: Self.directory.appendingPathComponent(name + ".yaml"), encoding: .utf8)
            for line in text.split(separator: "\n") {
                guard let range = line.range(of: "do: ") else { continue }
                let verb = String(line[range.upperBound...].prefix { $0 != "," && $0 != "}" && $0 != " " })
                #expect(Scenario.verbs.contains(verb), "\(name): \(verb)")
            }
        }
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

    /// Commit before processing: the dead instance's unfinished batch is never read again. The
    /// four orders it had not charged stay PENDING_PAYMENT with lag 0, nothing is read twice.
    @Test func atMostOnceLosesTheRestOfADeadInstancesBatch() throws {
        let (sim, drained) = try run("at-most-once")
        #expect(drained)
        #expect(sim.orderService.board.total == 18)
        #expect(sim.count(.pendingPayment) == 4)
        #expect(sim.totalLag(.payment) == 0)
        #expect(sim.redeliveries == 0)
        let invariants = sim.checkInvariants()
        #expect(
            invariants[.stuckPending] == 4 && invariants[.doubleCharges] == 0 && invariants[.ordersWithoutEvent] == 0)
        // The same run committing after processing redelivers the batch instead: nothing waits.
        let (atLeastOnce, _) = try run("at-most-once") { $0.commit = .batch }
        #expect(atLeastOnce.count(.pendingPayment) == 0)
        #expect(atLeastOnce.redeliveries > 0)
    }

    /// The dead-letter lesson's end: the order the provider refused was dead-lettered after
    /// 1 + 9 attempts, redriven once the limit was raised, and charged once; the poison record
    /// went to the DLT twice (before and after the redrive) without a retry.
    @Test func deadLetterRedrivesTheRefusedOrderAndKeepsThePoisonRecord() throws {
        let (sim, drained) = try run("dead-letter")
        #expect(drained)
        #expect(sim.count(.pendingPayment) == 0)
        #expect(sim.deadLetters.byService == [.payment: 3])
        #expect(sim.deadLetters.redriven == 2)
        let dlt = sim.cluster.partitions(of: "order.created.DLT").map { sim.cluster.logEndOffset($0) }.reduce(0, +)
        #expect(dlt == 3)
        #expect(sim.poisonRecords == 2)
        #expect(sim.checkInvariants() == InvariantCounts())
        #expect(sim.sweeps.count == 1)
        #expect(sim.sweeps[0][.deadLettered].count == 1)
        #expect(sim.reconcile().isClean)
        // The refused order's ten attempts, then the one after the redrive: eleven reads, one charge.
        let order = try #require(sim.sweeps[0][.deadLettered].first)
        let charges = try sim.provider.database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM charges WHERE order_id = ?", arguments: [order])
        }
        #expect(charges == 1)
    }

    /// One crash per acks: acks=0 loses events nobody was told about, acks=1 loses events it
    /// acknowledged, acks=all loses nothing. Against the lost records the cluster recorded.
    @Test func fireAndForgetLosesSilentlyThenAcknowledgedThenNothing() throws {
        let (sim, drained) = try run("fire-and-forget")
        #expect(drained)
        #expect(sim.orderService.board.total == 66)
        let invariants = sim.checkInvariants()
        #expect(invariants[.ordersWithoutEvent] == 19)
        #expect(sim.cluster.lostRecords.filter { $0.topicPartition.topic == Topic.orderCreated }.count == 13)
        #expect(sim.count(.pendingPayment) == 19)
        // The same run starting under acks=all: the first crash loses none of its six; the
        // acks=1 round that follows still loses its thirteen.
        let (safe, _) = try run("fire-and-forget") { $0.producer.acks = .all }
        #expect(safe.checkInvariants()[.ordersWithoutEvent] == 13)
    }

    /// Retries of sends the leader had appended: three events in the log more than once and
    /// charged twice without enable.idempotence; none appended again with it; with the services'
    /// idempotency, copies again but only dedup hits. Against the same run with idempotence on
    /// from the start: the same timeouts, no copy and no double charge from the first round.
    @Test func retryDuplicatesAppendsARetryTwiceOnlyWithoutIdempotence() throws {
        let (sim, drained) = try run("retry-duplicates")
        #expect(drained)
        let records = sim.cluster.partitions(of: Topic.orderCreated).map { sim.cluster.logEndOffset($0) }.reduce(0, +)
        let orders = Int64(sim.orderService.board.total)
        #expect(orders == 12)
        #expect(records > orders, "retries appended again")
        #expect(sim.checkInvariants()[.doubleCharges] == 3)
        #expect((sim.dedupHits[.payment] ?? 0) > 0)
        let (safe, _) = try run("retry-duplicates") { $0.producer.enableIdempotence = true }
        let safeRecords = safe.cluster.partitions(of: Topic.orderCreated).map { safe.cluster.logEndOffset($0) }
            .reduce(0, +)
        #expect((safe.cluster.producerErrors["RequestTimedOut"] ?? 0) > 0, "the same timeouts")
        // The last round turns idempotence off on purpose: its copies are all that remain.
        #expect(safeRecords - Int64(safe.orderService.board.total) == 2, "no copy from the first round")
        #expect(safe.checkInvariants()[.doubleCharges] == 0)
    }

    @Test func outage312ConfirmsAndEmailsEveryUnpaidOrderThenLeavesOnlyTheLostPublishes() throws {
        let (sim, drained) = try run("outage-312")
        #expect(drained)
        #expect(sim.orderService.board.total == 9 + 312)
        #expect(sim.rejectedOrders == 0)
        try #require(sim.sweeps.count == 2)

        let endOfOutage = sim.sweeps[0]
        #expect(endOfOutage.ordersChecked == 9 + 312)
        #expect(endOfOutage[.confirmedWithoutCharge].count == 312)
        #expect(endOfOutage[.emailsWithoutCharge].count == 312)

        // One publish lost to the crash, three to the refused sends.
        let afterDrain = sim.sweeps[1]
        #expect(afterDrain[.ordersWithoutEvent].count == 4)
        #expect(afterDrain[.confirmedWithoutCharge] == afterDrain[.ordersWithoutEvent])
        let violations = sim.invariantViolations()
        #expect(violations[.confirmedWithoutCharge] == Set(afterDrain[.ordersWithoutEvent]))
        #expect(violations[.ordersWithoutEvent] == Set(afterDrain[.ordersWithoutEvent]))
        #expect(sim.reconcile()[.confirmedWithoutCharge] == afterDrain[.ordersWithoutEvent])
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
        #expect(sim.checkInvariants()[.emailsWithoutCharge] == 0)
        #expect(sim.checkInvariants()[.confirmedWithoutCharge] == 0)
        let lagAtPeak = try #require(sim.totalLag(.payment))
        #expect(lagAtPeak == 308, "312 orders less the 4 whose publish was lost")

        // The scenario's remaining steps are already scheduled: the restart, then the last sweep.
        sim.advance(to: seconds(25 * 60 + 1))
        #expect(sim.runUntilDrained(deadline: seconds(60 * 60)))
        #expect(sim.peakLag[ServiceName.payment.rawValue] == 308)
        #expect(sim.totalLag(.payment) == 0)
        let invariants = sim.checkInvariants()
        #expect(invariants[.emailsWithoutCharge] == 0)
        #expect(invariants[.confirmedWithoutCharge] == 0)
        #expect(invariants[.ordersWithoutEvent] == 4)
        #expect(sim.count(.pendingPayment) == 4, "only the dual-write losses still wait")
        #expect(Set(try sim.orderIds(with: .pendingPayment)) == sim.invariantViolations()[.ordersWithoutEvent])
        #expect(sim.reconcile()[.ordersWithoutEvent].count == 4)
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
        #expect(sim.coordinator.partitionLags(group: ServiceName.payment.rawValue).allSatisfy { $0.lag == 0 })
        try #require(sim.sweeps.count == 2)
        #expect(sim.sweeps[0][.ordersWithoutEvent].isEmpty)
        #expect(sim.sweeps[1].isClean)
    }

    @Test func redeliveryDoubleChargesWithoutIdempotencyAndDedupsWithIt() throws {
        let (sim, drained) = try run("redelivery")
        #expect(drained)
        try #require(sim.sweeps.count == 2)
        let off = sim.sweeps[0]
        // Every record of the dead instance's batch was processed and not committed (batch commit).
        #expect(off[.doubleCharges].count == 2)
        #expect(off[.duplicateEmails] == off[.doubleCharges])
        let on = sim.sweeps[1]
        #expect(on[.doubleCharges] == off[.doubleCharges], "the second redelivery charged nothing")
        #expect(on[.duplicateEmails] == off[.duplicateEmails])
        #expect(sim.dedupHits[.payment]! >= 1)
        #expect(sim.redeliveries >= 2)
        #expect(sim.count(.pendingPayment) == 0)
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
        #expect(sim.coordinator.state(ofGroup: ServiceName.payment.rawValue) == .stable)
        #expect(sim.count(.pendingPayment) == 0)
        try #require(sim.sweeps.count == 2)
        #expect(!sim.sweeps[0][.doubleCharges].isEmpty, "without idempotency the storm charged twice")
        #expect(sim.dedupHits[.payment]! > 0, "with idempotency, redeliveries are recognised")
        #expect(Set(sim.sweeps[0][.doubleCharges]).isSubset(of: Set(sim.sweeps[1][.doubleCharges])))
    }

    @Test func rebalanceMovesTheDeadInstancesPartitionsAfterTheSessionTimeout() throws {
        let scenario = try Scenario.load(path: Self.directory.appendingPathComponent("rebalance.yaml").path)
        let sim = try Simulation(config: OrderflowConfig())
        for step in scenario.steps { if let action = step.action { sim.schedule(action, at: .zero + step.at) } }
        let group = ServiceName.payment.rawValue
        var states: [(VirtualTime, GroupState)] = []
        while sim.now < seconds(60) {
            sim.advance(by: .milliseconds(100))
            if states.last?.1 != sim.coordinator.state(ofGroup: group) {
                states.append((sim.now, sim.coordinator.state(ofGroup: group)))
            }
            if sim.now == seconds(32) {
                // What the narration says at 32s.
                #expect(sim.coordinator.state(ofGroup: group) == .stable)
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
