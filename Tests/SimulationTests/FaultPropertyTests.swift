import Bus
import Events
import Foundation
import GRDB
import Services
import Simulation
import Testing

/// Many seeded random fault schedules, across commit modes, the three assignors and one to three
/// payment instances, with faults through the whole run. With the outbox and idempotency on, no
/// fault may lose an order, charge twice or email twice (read from the databases); best-effort,
/// the orders the sweep and the checker find without an event must be exactly the ones whose
/// publish the injected faults prevented. A database error inside either detector fails the run.
@Suite struct FaultPropertyTests {
    /// 250 keeps `swift test` quick; `ORDERFLOW_FAULT_SCHEDULES=2000 swift test --filter FaultProperty` digs deeper.
    static let schedules = Int(ProcessInfo.processInfo.environment["ORDERFLOW_FAULT_SCHEDULES"] ?? "") ?? 250

    struct Run {
        var sim: Simulation
        /// Orders order-service accepted whose OrderCreatedEvent never reached the log when placed.
        var unpublished: Set<String>
        var config: String
    }

    /// 30 orders over 40 virtual seconds with 3 to 8 random faults anywhere in the first 45,
    /// then every service started again and the flow drained.
    /// `deadLetter`: the listeners dead-letter after 0 to 3 retries, and the provider refuses
    /// charges above 200.00 (about a fifth of the orders) for the whole run.
    static func runSchedule(seed: UInt64, flow: FlowSettings, deadLetter: Bool = false) throws -> Run {
        var random = SeededRandom(seed: seed, stream: "fault-schedule")
        var config = OrderflowConfig()
        config.seed = seed
        config.trafficAuto = false
        config.flow = flow
        config.orderServiceCrashDowntime = .seconds(3)
        // The guarantees below need every partition read from its start when it has no commit:
        // with Kafka's default (latest) a restart skips such a partition's backlog for good.
        config.autoOffsetReset = .earliest
        config.commit = OrderflowConfig.CommitMode.allCases[Int(seed / 3 % 3)]
        config.assignor = AssignorKind.allCases[Int(seed % 3)]
        config.services[.payment]?.instances = random.int(in: 1...3)
        if deadLetter {
            config.deadLetter = true
            config.retries = random.int(in: 0...3)
            config.retryBackoff = .milliseconds(200)
            config.providerLimitCents = 20_000
        }
        let sim = try Simulation(config: config)
        var unpublished: Set<String> = []
        sim.orderObservers.append { placed in
            if placed.published == nil { unpublished.insert(placed.orderId) }
        }
        sim.perform(.placeOrdersOver(count: 30, over: .seconds(40)))
        let services = ServiceName.allCases
        for _ in 0..<random.int(in: 3...8) {
            let at = VirtualTime(milliseconds: Int64(random.int(in: 0...45_000)))
            let service = services[random.int(in: 0...services.count - 1)]
            let action: SimulationAction =
                switch random.int(in: 0...9) {
                case 0: .stop(service)
                case 1: .kill(service, instance: random.int(in: 0...1) == 0 ? nil : 1)
                case 2, 3: .killPaymentBeforeCommit
                case 4: .crashMidPublish(downtime: nil)
                case 5, 6: .crashOutboxRelay
                case 7: .rejectSends(random.int(in: 1...4))
                case 8: .poison(topic: [Topic.orderCreated, Topic.paymentCompleted][random.int(in: 0...1)])
                default: .cancelNewestPending(1)
                }
            sim.schedule(action, at: at)
            // Stopped and killed services come back at a random later time, or at the end.
            if case .stop = action, random.int(in: 0...1) == 0 {
                sim.schedule(.start(service), at: at + .milliseconds(Int64(random.int(in: 500...15_000))))
            }
        }
        sim.advance(to: .zero + .seconds(50))
        for service in services { sim.perform(.start(service)) }
        #expect(sim.runUntilDrained(deadline: sim.now + .minutes(30)), "seed \(seed) did not drain")
        let described =
            "\(config.commit.rawValue), \(config.assignor.rawValue), \(config.instances(of: .payment)) payment"
        return Run(sim: sim, unpublished: unpublished, config: described)
    }

    static func count(_ sim: Simulation, status: OrderStatus) throws -> Int {
        try sim.orderService.database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM orders WHERE status = ?", arguments: [status.rawValue])
                ?? -1
        }
    }

    @Test func outboxWithIdempotencyLosesNothingAndDoesNothingTwice() throws {
        var relayCrashes = 0
        var dedupHits = 0
        var redeliveries = 0
        var poison = 0
        for seed in 0..<UInt64(Self.schedules) {
            let run = try Self.runSchedule(
                seed: seed, flow: FlowSettings(design: .honest, publish: .outbox, idempotency: .on))
            let sim = run.sim
            // From the orders table itself, not from a running count.
            #expect(
                try Self.count(sim, status: .pendingPayment) == 0, "seed \(seed) (\(run.config)): an order still waits")
            let settled =
                try Self.count(sim, status: .confirmed) + Self.count(sim, status: .paymentFailed)
                + Self.count(sim, status: .cancelled)
            let rows = try sim.orderService.database.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM orders")
            }
            #expect(settled == rows, "seed \(seed): every order in the table settled")
            #expect(settled + sim.rejectedOrders == 30, "seed \(seed): every order was accepted or refused by the API")
            let invariants = try sim.checkInvariantsStrictly()
            #expect(invariants[.ordersWithoutEvent] == 0, "seed \(seed) (\(run.config))")
            #expect(invariants[.doubleCharges] == 0, "seed \(seed) (\(run.config))")
            #expect(invariants[.duplicateEmails] == 0, "seed \(seed) (\(run.config))")
            #expect(invariants[.confirmedWithoutCharge] == 0, "seed \(seed) (\(run.config))")
            let sweep = try ReconciliationReport.sweep(sim.records, at: sim.now)
            #expect(
                sweep[.ordersWithoutEvent].isEmpty && sweep[.doubleCharges].isEmpty && sweep[.duplicateEmails].isEmpty,
                "seed \(seed) (\(run.config))")
            #expect(sim.storageFailure == nil)
            relayCrashes += sim.relay.crashes
            dedupHits += sim.dedupHits.values.reduce(0, +)
            redeliveries += sim.redeliveries
            poison += sim.poisonRecords
        }
        print(
            "outbox + idempotency: \(Self.schedules) random fault schedules, \(relayCrashes) relay crashes, "
                + "\(redeliveries) redeliveries, \(dedupHits) dedup hits, \(poison) poison records, no loss and no duplicate"
        )
        // The faults must actually have bitten, or the property proves nothing.
        #expect(relayCrashes > 0 && dedupHits > 0 && redeliveries > 0 && poison > 0)
    }

    @Test func bestEffortLossesAreExactlyTheInjectedOnes() throws {
        var lost = 0
        for seed in 0..<UInt64(Self.schedules) {
            let idempotency: Idempotency = seed % 2 == 0 ? .off : .on
            let run = try Self.runSchedule(
                seed: seed, flow: FlowSettings(design: .honest, publish: .bestEffort, idempotency: idempotency))
            let sweep = try ReconciliationReport.sweep(run.sim.records, at: run.sim.now)
            _ = try run.sim.checkInvariantsStrictly()
            let checker = run.sim.invariantViolations()[.ordersWithoutEvent]
            // What the faults did (an order whose publish a crash or a refused send prevented) is
            // what each detector must find: no more, no fewer.
            #expect(Set(sweep[.ordersWithoutEvent]) == run.unpublished, "seed \(seed) (\(run.config)): the sweep")
            #expect(checker == run.unpublished, "seed \(seed) (\(run.config)): the checker")
            lost += run.unpublished.count
        }
        print(
            "best-effort: \(Self.schedules) random fault schedules, \(lost) publishes lost to injected faults, "
                + "each found by the sweep and the checker")
        #expect(lost > 0)
    }
}
