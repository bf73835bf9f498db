import Bus
import Events
import GRDB
import Services
import Simulation

func seconds(_ s: Double) -> VirtualTime { .zero + .seconds(s) }

/// A quiet config for tests: no traffic unless a test turns it on, and `auto.offset.reset`
/// earliest, so a test of another mechanism sees every record even on a partition that never
/// committed (Kafka's default, latest, has its own tests in `OffsetResetTests`).
func testConfig(_ change: (inout OrderflowConfig) -> Void = { _ in }) -> OrderflowConfig {
    var c = OrderflowConfig()
    c.trafficAuto = false
    c.autoOffsetReset = .earliest
    change(&c)
    return c
}

extension Simulation {
    func count(_ status: OrderStatus) -> Int { orderService.board.counts[status] ?? 0 }

    func totalLag(_ service: ServiceName) -> Int64? { coordinator.totalLag(group: service.rawValue) }

    func describeAll() -> [GroupDescriptionRow] {
        ServiceName.allCases.flatMap { coordinator.partitionLags(group: $0.rawValue) }
    }

    func emailRows() throws -> [String] {
        try notificationService.database.read { db in
            try String.fetchAll(db, sql: "SELECT order_id FROM emails ORDER BY id")
        }
    }

    func orderIds(with status: OrderStatus) throws -> [String] {
        try orderService.database.read { db in
            try String.fetchAll(
                db, sql: "SELECT id FROM orders WHERE status = ? ORDER BY id", arguments: [status.rawValue])
        }
    }
}
