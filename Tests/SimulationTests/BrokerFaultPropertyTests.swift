import Bus
import Events
import Foundation
import GRDB
import KafkaClient
import Services
import Simulation
import Testing

/// Seeded random schedules of broker crashes, controlled shutdowns and restarts under the order
/// flow (three brokers, replication factor 3, a random session timeout before a crashed broker
/// is fenced, ELR on or off). With acks=all, min.insync.replicas 2, unclean election off, the outbox
/// and idempotency, no acknowledged record may be lost and every order settles once; with acks=1
/// or unclean election on, the orders the sweep and the checker find without an event must be
/// exactly the ones whose acknowledged event a truncation removed or whose send was given up.
@Suite struct BrokerFaultPropertyTests {
    /// 60 keeps `swift test` quick; `ORDERFLOW_BROKER_SCHEDULES=1000` digs deeper.
    static let schedules = Int(ProcessInfo.processInfo.environment["ORDERFLOW_BROKER_SCHEDULES"] ?? "") ?? 60

    struct Run {
        var sim: Simulation
        /// Order ids whose OrderCreatedEvent order-service's producer gave up on (best-effort).
        var gaveUp: Set<String>
        /// Every OrderCreated append, by order id: where it went, and how many records truncations
        /// had cut before it (offsets are reused after a cut: only a later cut can remove it).
        var appended: [String: [(tp: TopicPartition, offset: Int64, cutsBefore: Int)]]
        var accepted: Set<String>
        var described: String
    }

    /// 30 orders over 40 virtual seconds; 2 to 5 broker deaths at random times in the first 45,
    /// each broker back after a random while or at the end; then the flow drains.
    static func run(
        seed: UInt64, acks: Acks, unclean: Bool, flow: FlowSettings, paymentKills: Bool = false
    ) throws -> Run {
        var random = SeededRandom(seed: seed, stream: "broker-schedule")
        var config = OrderflowConfig()
        config.seed = seed
        config.trafficAuto = false
        config.flow = flow
        config.autoOffsetReset = .earliest
        config.cluster = ClusterConfig(
            brokers: 3, replicationFactor: 3, minInsyncReplicas: 2, uncleanLeaderElection: unclean,
            replicaLagTime: .seconds(10), replicaFetchInterval: .milliseconds(Int64(random.int(in: 20...400))),
            brokerSessionTimeout: .milliseconds(Int64(random.int(in: 0...9_000))),
            eligibleLeaderReplicas: random.int(in: 0...3) > 0)
        config.producer = ProducerConfig(acks: acks, deliveryTimeout: .seconds(Double(random.int(in: 2...20))))
        config.commit = OrderflowConfig.CommitMode.allCases[Int(seed % 3)]
        let sim = try Simulation(config: config)
        var gaveUp: Set<String> = []
        sim.orderService.onEventLost = { orderId, _, _ in gaveUp.insert(orderId) }
        var appended: [String: [(tp: TopicPartition, offset: Int64, cutsBefore: Int)]] = [:]
        sim.recordObservers.append { [unowned sim] record in
            guard record.topic == Topic.orderCreated else { return }
            appended[record.keyString, default: []].append(
                (record.topicPartition, record.offset, sim.cluster.truncatedRecords.count))
        }
        var accepted: Set<String> = []
        sim.orderObservers.append { accepted.insert($0.orderId) }
        sim.perform(.placeOrdersOver(count: 30, over: .seconds(40)))
        for _ in 0..<random.int(in: 2...5) {
            let broker = random.int(in: 1...3)
            let at = VirtualTime(milliseconds: Int64(random.int(in: 0...45_000)))
            let back = at + .milliseconds(Int64(random.int(in: 200...20_000)))
            switch random.int(in: 0...3) {
            case 0:
                // A stall leaves a live replica out of sync: what an unclean election elects.
                sim.schedule(.stallBroker(broker), at: at)
                sim.schedule(.resumeBroker(broker), at: back)
            case 1: sim.schedule(.stopBroker(broker), at: at)
            default: sim.schedule(.killBroker(broker), at: at)
            }
            if random.int(in: 0...2) > 0 { sim.schedule(.restartBroker(broker), at: back) }
            if paymentKills && random.int(in: 0...1) == 0 {
                sim.schedule(.killPaymentBeforeCommit, at: at + .milliseconds(Int64(random.int(in: 0...3_000))))
            }
        }
        sim.advance(to: .zero + .seconds(70))
        for id in 1...3 {
            sim.perform(.resumeBroker(id))
            sim.perform(.restartBroker(id))
        }
        #expect(sim.runUntilDrained(deadline: sim.now + .minutes(30)), "seed \(seed) did not drain")
        let described =
            "acks=\(acks.rawValue), unclean \(unclean), \(flow.publish.rawValue), \(config.commit.rawValue), "
            + "session \(config.cluster.brokerSessionTimeout), ELR \(config.cluster.eligibleLeaderReplicas)"
        return Run(sim: sim, gaveUp: gaveUp, appended: appended, accepted: accepted, described: described)
    }

    static func count(_ sim: Simulation, _ sql: String) throws -> Int {
        try sim.orderService.database.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }

    @Test func acksAllWithMinIsrTwoLosesNothingAcknowledgedAndSettlesEveryOrderOnce() throws {
        var refusals = 0
        for seed in 0..<UInt64(Self.schedules) {
            let run = try Self.run(
                seed: seed, acks: .all, unclean: false,
                flow: FlowSettings(design: .honest, publish: .outbox, idempotency: .on), paymentKills: true)
            let sim = run.sim
            #expect(sim.cluster.lostRecords.isEmpty, "seed \(seed) (\(run.described)): an acknowledged record was lost")
            #expect(
                try Self.count(sim, "SELECT COUNT(*) FROM orders WHERE status = 'PENDING_PAYMENT'") == 0,
                "seed \(seed) (\(run.described)): an order still waits")
            #expect(try Self.count(sim, "SELECT COUNT(*) FROM orders") + sim.rejectedOrders == 30)
            let invariants = try sim.checkInvariantsStrictly()
            #expect(invariants[.ordersWithoutEvent] == 0, "seed \(seed) (\(run.described))")
            #expect(invariants[.doubleCharges] == 0, "seed \(seed) (\(run.described))")
            #expect(invariants[.duplicateEmails] == 0, "seed \(seed) (\(run.described))")
            let sweep = try ReconciliationReport.sweep(sim.records, at: sim.now)
            #expect(
                sweep[.ordersWithoutEvent].isEmpty && sweep[.doubleCharges].isEmpty && sweep[.duplicateEmails].isEmpty,
                "seed \(seed) (\(run.described))")
            #expect(sim.storageFailure == nil)
            refusals += sim.cluster.producerErrors.values.reduce(0, +)
        }
        print("acks=all, min ISR 2: \(Self.schedules) broker fault schedules, \(refusals) refused sends, nothing lost")
        // The faults must have bitten: sends were refused, or the property proves nothing.
        #expect(refusals > 0)
    }

    @Test(arguments: [(Acks.leader, false), (Acks.all, true)])
    func lossesAreExactlyTheTruncatedAcknowledgedEventsAndTheSendsGivenUp(acks: Acks, unclean: Bool) throws {
        var truncated = 0
        for seed in 0..<UInt64(Self.schedules) {
            let publish: PublishStrategy = seed % 2 == 0 ? .bestEffort : .outbox
            let run = try Self.run(
                seed: seed, acks: acks, unclean: unclean,
                flow: FlowSettings(design: .honest, publish: publish, idempotency: .on))
            let sim = run.sim
            // What the faults did, from the appends and the cluster's cuts as they happened: an
            // order is without an event when none of its appends survived a truncation.
            let cuts = sim.cluster.truncatedRecords
            let injected = run.accepted.filter { order in
                !(run.appended[order] ?? []).contains { append in
                    !cuts[append.cutsBefore...].contains {
                        $0.topicPartition == append.tp && $0.offset == append.offset
                    }
                }
            }
            // Each is an acknowledged record lost (the new invariant) or a send given up.
            let lost = Set(
                sim.cluster.lostRecords.filter { $0.topicPartition.topic == Topic.orderCreated }.map(\.key))
            #expect(lost.isSubset(of: injected), "seed \(seed): an acknowledged loss with an event left")
            #expect(injected.subtracting(lost).isSubset(of: run.gaveUp), "seed \(seed): a loss nobody was told of")
            let sweep = try ReconciliationReport.sweep(sim.records, at: sim.now)
            _ = try sim.checkInvariantsStrictly()
            #expect(Set(sweep[.ordersWithoutEvent]) == injected, "seed \(seed) (\(run.described)): the sweep")
            #expect(sim.invariantViolations()[.ordersWithoutEvent] == injected, "seed \(seed) (\(run.described))")
            if publish == .outbox { #expect(run.gaveUp.isEmpty, "the outbox retries what the producer gave up") }
            truncated += lost.count
        }
        print("acks=\(acks.rawValue), unclean \(unclean): \(truncated) acknowledged OrderCreated records lost")
        #expect(truncated > 0, "the faults must lose something, or the property proves nothing")
    }
}

/// Hostile schedules: any order of every broker action (deaths, restarts, stalls, resumes, acks
/// and unclean election switched at random) under retentions as small as one record. Nothing may
/// trap or hang, and the offsets stay consistent at every checkpoint: each log's start at or
/// below its high watermark, no committed offset past it, and every deadline ahead of the clock.
@Suite struct BrokerActionOrderPropertyTests {
    @Test func anyOrderOfBrokerActionsUnderSmallRetentionsKeepsTheOffsetsConsistent() throws {
        let actions = 40
        for seed in UInt64(0)..<UInt64(BrokerFaultPropertyTests.schedules / 2) {
            var random = SeededRandom(seed: seed, stream: "broker-action-order")
            var config = OrderflowConfig()
            config.seed = seed
            config.trafficAuto = false
            config.retention = [1, 2, 5, 10, 100][random.int(in: 0...4)]
            config.commit = OrderflowConfig.CommitMode.allCases[random.int(in: 0...2)]
            config.cluster = ClusterConfig(
                brokers: 3, replicationFactor: random.int(in: 2...3), minInsyncReplicas: random.int(in: 1...3),
                uncleanLeaderElection: random.int(in: 0...1) == 1,
                replicaLagTime: .seconds(Double(random.int(in: 1...10))),
                brokerSessionTimeout: .milliseconds(Int64(random.int(in: 0...9_000))),
                uncleanElectionInterval: .seconds(Double(random.int(in: 1...20))),
                eligibleLeaderReplicas: random.int(in: 0...1) == 1)
            let sim = try Simulation(config: config)
            sim.perform(.placeOrdersOver(count: 60, over: .seconds(60)))
            for _ in 0..<actions {
                let at = VirtualTime(milliseconds: Int64(random.int(in: 0...70_000)))
                let id = random.int(in: 1...3)
                let action: SimulationAction =
                    switch random.int(in: 0...8) {
                    case 0: .killBroker(id)
                    case 1: .restartBroker(id)
                    case 2: .stallBroker(id)
                    case 3: .resumeBroker(id)
                    case 4: .setAcks([Acks.none, .leader, .all][random.int(in: 0...2)])
                    case 5: .setUncleanLeaderElection(random.int(in: 0...1) == 1)
                    case 6: .electUnclean
                    case 7: .stopBroker(id)
                    default: .kill(.payment, instance: nil)
                    }
                sim.schedule(action, at: at)
            }
            for checkpoint in stride(from: 5, through: 90, by: 5) {
                sim.advance(to: .zero + .seconds(Double(checkpoint)))
                for topic in config.topics {
                    for tp in sim.cluster.partitions(of: topic.name) {
                        let start = sim.cluster.logStartOffset(tp)
                        let hw = sim.cluster.highWatermark(tp)
                        #expect(
                            start <= hw, "seed \(seed) at \(checkpoint)s: \(tp) starts at \(start) past its HW \(hw)")
                        #expect(hw <= sim.cluster.logEndOffset(tp), "seed \(seed): \(tp)")
                        // The partition's log is its leader's, and every in-sync replica holds a
                        // prefix of it (each replica's own log: `LeaderEpochTests`).
                        if let replicas = sim.cluster.replicaState(tp), let leader = replicas.leader {
                            #expect(
                                replicas.endOffsets[leader] == sim.cluster.logEndOffset(tp),
                                "seed \(seed) at \(checkpoint)s: \(tp)'s log is not leader \(leader)'s")
                            for id in replicas.isr {
                                #expect((replicas.endOffsets[id] ?? 0) <= (replicas.endOffsets[leader] ?? 0))
                            }
                        }
                        for group in sim.coordinator.groupIds {
                            if let c = sim.coordinator.committedOffset(group: group, tp) {
                                #expect(
                                    c <= hw,
                                    "seed \(seed) at \(checkpoint)s: \(group) committed \(c) past \(tp)'s HW \(hw)")
                            }
                        }
                    }
                }
                for next in [sim.cluster.nextDeadline(), sim.coordinator.nextDeadline()].compactMap(\.self) {
                    #expect(next > sim.now, "seed \(seed) at \(checkpoint)s: a deadline stays due")
                }
            }
            for id in 1...3 {
                sim.perform(.resumeBroker(id))
                sim.perform(.restartBroker(id))
            }
            sim.runUntilDrained(deadline: sim.now + .minutes(10))
            #expect(sim.storageFailure == nil)
            _ = try SimulationReport(simulation: sim, drained: true).json()
        }
    }
}
