import Bus
import Events
import Services
import Simulation

@testable import Dashboard

/// A snapshot written out as a literal: no simulation, no SQLite. Each pane test changes the
/// fields it is about and renders the pane alone, ratatui `Buffer` style.
enum Literal {
    static let now = VirtualTime(milliseconds: 65_000)

    static func order(_ id: String, cents: Int, _ status: OrderStatus, createdSecondsAgo: Int64) -> OrderSummary {
        let created = VirtualTime(milliseconds: now.milliseconds - createdSecondsAgo * 1000)
        return OrderSummary(
            orderId: id, customerId: "C-0001", amountCents: cents, currency: "EUR", status: status,
            createdAt: created, updatedAt: created)
    }

    static func row(_ group: String, _ topic: String, _ p: Int, committed: Int64?, end: Int64, owner: String?)
        -> GroupDescriptionRow
    {
        GroupDescriptionRow(
            group: group, topic: topic, partition: p, currentOffset: committed, logEndOffset: end,
            lag: committed.map { end - $0 }, consumerId: owner, host: owner.map { _ in "/127.0.0.1" },
            clientId: owner.map { String($0.prefix(17)) })
    }

    static func instance(
        _ service: ServiceName, _ number: Int, _ state: InstanceState, processed: Int,
        redeliveries: Int = 0
    ) -> Snapshot.InstanceRow {
        Snapshot.InstanceRow(
            service: service, number: number, clientId: "\(service.rawValue)-\(number)",
            memberId: "\(service.rawValue)-\(number)-0a1b", state: state, processed: processed,
            redeliveries: redeliveries, poisonRecords: 0, partitions: [])
    }

    static var snapshot: Snapshot {
        Snapshot(
            now: now, settings: FlowSettings(), seed: 7, trafficOn: true, trafficRate: 2,
            orderCounts: [.pendingPayment: 2, .confirmed: 5, .paymentFailed: 1, .cancelled: 0], rejectedOrders: 3,
            recentOrders: [
                order("aaaaaaaa-1111", cents: 1999, .confirmed, createdSecondsAgo: 70),
                order("bbbbbbbb-2222", cents: 505, .pendingPayment, createdSecondsAgo: 4),
            ],
            partitions: [
                Snapshot.PartitionRow(
                    topic: "order.created", partition: 0, logStartOffset: 0, logEndOffset: 12,
                    recordsPerSecond: 3, appendHistory: [0, 1, 2, 4])
            ],
            groups: [
                Snapshot.GroupRow(
                    group: "payment-service", state: .stable, generation: 2,
                    rows: [
                        row(
                            "payment-service", "order.created", 0, committed: 4, end: 12,
                            owner: "payment-service-1-0a1b")
                    ],
                    growing: [true], totalLag: 8, lagHistory: [1, 2, 4, 8])
            ],
            instances: [
                instance(.order, 1, .running, processed: 5),
                instance(.payment, 1, .killed, processed: 4, redeliveries: 2),
                instance(.payment, 2, .crashed(restartAt: VirtualTime(milliseconds: 67_500)), processed: 1),
            ],
            recentRecords: [
                Snapshot.RecordRow(
                    timestamp: VirtualTime(milliseconds: 64_000), topic: "order.created",
                    partition: 0, offset: 11, key: "bbbbbbbb-2222", eventType: "OrderCreated"),
                Snapshot.RecordRow(
                    timestamp: VirtualTime(milliseconds: 64_500), topic: "payment.failed",
                    partition: 2, offset: 0, key: "cccccccc-3333", eventType: "PaymentFailed"),
            ],
            invariants: InvariantCounts([.ordersWithoutEvent: 1, .doubleCharges: 2]), emailsSent: 5, charges: 6,
            redeliveries: 2, orderServiceDownUntil: nil, crashArmed: false, killBeforeCommitArmed: false,
            pendingRejections: 0,
            outbox: Snapshot.OutboxRow(pending: 0, relay: .running, published: 0, crashes: 0, crashArmed: false),
            dedupHits: [.payment: 0, .notification: 0])
    }
}

/// One pane alone, from a literal snapshot, in a grid of its own size (the view's own drawing).
func renderAlone(
    _ pane: PaneID, _ snapshot: Snapshot, state: DashboardState = DashboardState(), width: Int, height: Int,
    compact: Bool = false, scenario: ScenarioProgress? = nil
) -> Grid {
    var view = DashboardView(snapshot: snapshot, state: state, config: OrderflowConfig(), glyphs: .unicode)
    view.scenario = scenario
    return view.renderPane(pane, width: width, height: height, compact: compact)
}

/// A one-line widget drawn into a grid `width` wide, as the text it leaves there.
func renderLine(_ line: Line, width: Int) -> String {
    var grid = Grid(width: width, height: 1)
    grid.draw(line, x: 0, y: 0, maxX: width)
    return grid.lines[0]
}
