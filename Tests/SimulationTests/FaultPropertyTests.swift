import Bus
import Events
import Foundation
import Services
import Simulation
import Testing

/// Many seeded random fault schedules. With the outbox and idempotency on, no fault may lose an
/// order, charge twice or email twice; best-effort, the invariant checker and the reconciliation
/// sweep must agree on exactly which orders were never announced.
@Suite struct FaultPropertyTests {
    /// 250 keeps `swift test` quick; `ORDERFLOW_FAULT_SCHEDULES=2000 swift test --filter FaultProperty` digs deeper.
    static let schedules = Int(ProcessInfo.processInfo.environment["ORDERFLOW_FAULT_SCHEDULES"] ?? "") ?? 250

    /// Orders over 20 virtual seconds with 3 to 8 random faults among them, then every service
    /// started again and the flow drained. Returns whether it drained.
    static func runSchedule(seed: UInt64, flow: FlowSettings) throws -> Simulation {
        var config = OrderflowConfig()
        config.seed = seed
        config.trafficAuto = false
        config.flow = flow
        config.orderServiceCrashDowntime = .seconds(3)
        let sim = try Simulation(config: config)
        var random = SeededRandom(seed: seed, stream: "fault-schedule")
        sim.perform(.placeOrdersOver(count: 30, over: .seconds(20)))
        let services = ServiceName.allCases
        for _ in 0..<random.int(in: 3...8) {
            let at = VirtualTime(milliseconds: Int64(random.int(in: 0...20_000)))
            let service = services[random.int(in: 0...services.count - 1)]
            let action: SimulationAction =
                switch random.int(in: 0...8) {
                case 0: .stop(service)
                case 1: .kill(service, instance: random.int(in: 0...1) == 0 ? nil : 1)
                case 2, 3: .killPaymentBeforeCommit
                case 4: .crashOrderServiceMidPublish(downtime: nil)
                case 5, 6: .crashOutboxRelay
                case 7: .rejectSends(random.int(in: 1...4))
                default: .cancelNewestPending(1)
                }
            sim.schedule(action, at: at)
            // Stopped and killed services come back at a random later time, or at the end.
            if case .stop = action, random.int(in: 0...1) == 0 {
                sim.schedule(.start(service), at: at + .milliseconds(Int64(random.int(in: 500...15_000))))
            }
        }
        sim.advance(to: .zero + .seconds(25))
        for service in services { sim.perform(.start(service)) }
        #expect(sim.runUntilDrained(deadline: sim.now + .minutes(30)), "seed \(seed) did not drain")
        return sim
    }

    @Test func outboxWithIdempotencyLosesNothingAndDoesNothingTwice() throws {
        var relayCrashes = 0
        var dedupHits = 0
        var redeliveries = 0
        for seed in 0..<UInt64(Self.schedules) {
            let sim = try Self.runSchedule(
                seed: seed, flow: FlowSettings(design: .honest, publish: .outbox, idempotency: .on))
            let counts = sim.orderService.board.counts
            #expect(counts[.pendingPayment] == 0, "seed \(seed): an order still waits")
            #expect(
                (counts[.confirmed] ?? 0) + (counts[.paymentFailed] ?? 0) + (counts[.cancelled] ?? 0)
                    == sim.orderService.board.total)
            let invariants = sim.checkInvariants()
            #expect(invariants.ordersWithoutEvent == 0, "seed \(seed)")
            #expect(invariants.doubleCharges == 0, "seed \(seed)")
            #expect(invariants.duplicateEmails == 0, "seed \(seed)")
            #expect(invariants.confirmedWithoutCharge == 0, "seed \(seed)")
            let sweep = sim.reconcile()
            #expect(
                sweep.ordersWithoutEvent.isEmpty && sweep.doubleCharges.isEmpty && sweep.duplicateEmails.isEmpty,
                "seed \(seed)")
            relayCrashes += sim.relay.crashes
            dedupHits += sim.dedupHits.values.reduce(0, +)
            redeliveries += sim.redeliveries
        }
        print(
            "outbox + idempotency: \(Self.schedules) random fault schedules, \(relayCrashes) relay crashes, "
                + "\(redeliveries) redeliveries, \(dedupHits) dedup hits, no loss and no duplicate")
        // The faults must actually have bitten, or the property proves nothing.
        #expect(relayCrashes > 0 && dedupHits > 0 && redeliveries > 0)
    }

    @Test func bestEffortLossesAreExactlyWhatTheSweepFinds() throws {
        var lost = 0
        for seed in 0..<UInt64(Self.schedules) {
            let idempotency: Idempotency = seed % 2 == 0 ? .off : .on
            let sim = try Self.runSchedule(
                seed: seed, flow: FlowSettings(design: .honest, publish: .bestEffort, idempotency: idempotency))
            let sweep = sim.reconcile()
            let unannounced = sim.invariantViolations().ordersWithoutEvent
            #expect(Set(sweep.ordersWithoutEvent) == unannounced, "seed \(seed)")
            #expect(sweep.ordersWithoutEvent.count == sim.checkInvariants().ordersWithoutEvent, "seed \(seed)")
            lost += unannounced.count
        }
        print(
            "best-effort: \(Self.schedules) random fault schedules, \(lost) orders never announced, each found by the sweep"
        )
        #expect(lost > 0)
    }
}
