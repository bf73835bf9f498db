import Bus
import Events
import GRDB
import Services
import Simulation
import Testing

/// `stuckPending` is counted without keeping ids (a backlog costs no memory). The count must be
/// exactly the orders a full scan finds PENDING_PAYMENT past the threshold, at every check,
/// under outages, cancels, design switches and payment failures.
@Suite struct StuckPendingTests {
    @Test func theCountIsWhatAScanOfTheOrdersFinds() throws {
        var checked = 0
        var seen = 0
        for seed in UInt64(0)..<10 {
            var random = SeededRandom(seed: seed, stream: "stuck-schedule")
            var config = OrderflowConfig()
            config.seed = seed
            config.trafficAuto = false
            config.stuckPendingAfter = .seconds(Double(random.int(in: 1...20)))
            config.providerFailureRate = 0.2
            let sim = try Simulation(config: config)
            var at = VirtualTime.zero
            for _ in 0..<12 {
                at = at + .milliseconds(Int64(random.int(in: 0...20_000)))
                let action: SimulationAction =
                    switch random.int(in: 0...6) {
                    case 0: .stop(.payment)
                    case 1: .start(.payment)
                    case 2: .cancelNewestPending(random.int(in: 1...3))
                    case 3: .setDesign(random.int(in: 0...1) == 0 ? .honest : .optimistic)
                    default: .placeOrdersOver(count: random.int(in: 1...30), over: .seconds(10))
                    }
                sim.schedule(action, at: at)
            }
            for second in stride(from: 1, through: Int(at.seconds) + 120, by: 3) {
                sim.advance(to: .zero + .seconds(Double(second)))
                let counted = try sim.checkInvariantsStrictly()[.stuckPending]
                let cutoff = (sim.now - config.stuckPendingAfter).milliseconds
                let scanned = try sim.orderService.database.read { db in
                    try Int.fetchOne(
                        db, sql: "SELECT COUNT(*) FROM orders WHERE status = 'PENDING_PAYMENT' AND created_at <= ?",
                        arguments: [cutoff]) ?? -1
                }
                #expect(counted == scanned, "seed \(seed) at \(second)s: counted \(counted), the scan finds \(scanned)")
                checked += 1
                seen += scanned
            }
        }
        #expect(checked > 100 && seen > 0, "the schedules must leave orders stuck, or this proves nothing")
    }
}
