import Bus
import Events
import GRDB
import Logging

/// One row of the orders table as the dashboard lists it.
public struct OrderSummary: Hashable, Sendable {
    public var orderId: String
    public var customerId: String
    public var amountCents: Int
    public var currency: String
    public var status: OrderStatus
    public var createdAt: VirtualTime
    public var updatedAt: VirtualTime
}

/// What `placeOrder` returns: accepted, never "confirmed".
public struct PlacedOrder: Sendable, Equatable {
    public var orderId: String
    public var status: OrderStatus
    /// Where OrderCreatedEvent landed, or nil when the publish after the commit did not happen.
    public var published: RecordMetadata?
    public var publishError: String?
}

/// Owns order state. It commits the order, then publishes OrderCreatedEvent best-effort: the
/// gap between the two is the dual-write window, and nothing here closes it.
public final class OrderService {
    public let database: any DatabaseWriter
    private let broker: Broker
    private let logger: Logger
    /// Running counts and the latest orders, kept beside the database so a dashboard frame
    /// never scans the orders table.
    public private(set) var board: OrderBoard
    /// Events that would have moved an order backwards or out of CANCELLED, and were dropped.
    public private(set) var ignoredTransitions = 0
    /// A per-write sequence number, so the invariant checker can read only what changed.
    private var changeSeq: Int64 = 0

    public init(location: DatabaseLocation, broker: Broker, recentCapacity: Int = 50, logger: Logger) throws {
        database = try location.open("orders.sqlite") { migrator in
            migrator.registerMigration("create orders") { db in
                try db.execute(sql: """
                    CREATE TABLE orders (
                      id TEXT PRIMARY KEY NOT NULL,
                      customer_id TEXT NOT NULL,
                      amount_cents INTEGER NOT NULL,
                      currency TEXT NOT NULL,
                      status TEXT NOT NULL,
                      created_at INTEGER NOT NULL,
                      updated_at INTEGER NOT NULL,
                      change_seq INTEGER NOT NULL
                    );
                    CREATE INDEX orders_status_created ON orders(status, created_at);
                    CREATE INDEX orders_change_seq ON orders(change_seq);
                    """)
            }
        }
        self.broker = broker
        self.logger = logger
        board = OrderBoard(recentCapacity: recentCapacity)
    }

    /// Writes the order as PENDING_PAYMENT and commits; then, unless the service crashes in
    /// between (`crashBeforePublish`), publishes OrderCreatedEvent.
    public func placeOrder(orderId: String, eventId: String, customerId: String, amountCents: Int, currency: String,
                           now: VirtualTime, crashBeforePublish: Bool = false) throws -> PlacedOrder {
        changeSeq += 1
        let seq = changeSeq
        try database.executeCached("""
            INSERT INTO orders (id, customer_id, amount_cents, currency, status, created_at, updated_at, change_seq)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [orderId, customerId, amountCents, currency, OrderStatus.pendingPayment.rawValue,
                  now.milliseconds, now.milliseconds, seq])
        let summary = OrderSummary(orderId: orderId, customerId: customerId, amountCents: amountCents, currency: currency,
                                   status: .pendingPayment, createdAt: now, updatedAt: now)
        board.inserted(summary)

        guard !crashBeforePublish else {
            logger.warning("order-service crashed after committing \(orderId) and before publishing it")
            return PlacedOrder(orderId: orderId, status: .pendingPayment, published: nil, publishError: "crashed before publish")
        }
        let event = OrderCreatedEvent(eventId: eventId, orderId: orderId, customerId: customerId,
                                      amountCents: amountCents, currency: currency, createdAt: now.milliseconds)
        do {
            let metadata = try broker.publish(event, now: now)
            return PlacedOrder(orderId: orderId, status: .pendingPayment, published: metadata, publishError: nil)
        } catch {
            // Best-effort: the order stays committed and no event announces it.
            logger.warning("order \(orderId) committed but not published: \(error)")
            return PlacedOrder(orderId: orderId, status: .pendingPayment, published: nil, publishError: error.description)
        }
    }

    /// Consumes `payment.completed` (→ CONFIRMED) and `payment.failed` (→ PAYMENT_FAILED).
    public func handle(_ record: Bus.Record, now: VirtualTime) throws(PoisonRecord) {
        switch record.topic {
        case Topic.paymentCompleted:
            let event = try EventCodec.decode(PaymentCompletedEvent.self, from: record.value)
            transition(event.orderId, to: .confirmed, now: now)
        case Topic.paymentFailed:
            let event = try EventCodec.decode(PaymentFailedEvent.self, from: record.value)
            transition(event.orderId, to: .paymentFailed, now: now)
        default:
            throw PoisonRecord(expectedType: "payment result", reason: "unexpected topic \(record.topic)")
        }
    }

    /// Moves an order out of PENDING_PAYMENT; returns false (and counts it) when the guard refuses.
    @discardableResult
    public func transition(_ orderId: String, to status: OrderStatus, now: VirtualTime) -> Bool {
        changeSeq += 1
        let seq = changeSeq
        let changed: Bool
        do {
            changed = try database.executeCached("""
                UPDATE orders SET status = ?, updated_at = ?, change_seq = ?
                WHERE id = ? AND status = ?
                """, [status.rawValue, now.milliseconds, seq, orderId, OrderStatus.pendingPayment.rawValue]) > 0
        } catch {
            logger.error("order-service could not update \(orderId): \(error)")
            return false
        }
        if changed {
            board.moved(orderId, from: .pendingPayment, to: status, at: now)
        } else {
            ignoredTransitions += 1
            logger.info("order-service ignored \(status.rawValue) for \(orderId): not PENDING_PAYMENT")
        }
        return changed
    }

    public func order(_ orderId: String) throws -> OrderSummary? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM orders WHERE id = ?", arguments: [orderId]).map(OrderSummary.init(row:))
        }
    }
}

extension OrderSummary {
    init(row: Row) {
        self.init(orderId: row["id"], customerId: row["customer_id"], amountCents: row["amount_cents"],
                  currency: row["currency"], status: OrderStatus(rawValue: row["status"]) ?? .pendingPayment,
                  createdAt: VirtualTime(milliseconds: row["created_at"]),
                  updatedAt: VirtualTime(milliseconds: row["updated_at"]))
    }
}

/// Counts per status and the most recent orders, updated on every committed write.
public struct OrderBoard: Sendable {
    public private(set) var counts: [OrderStatus: Int] = Dictionary(uniqueKeysWithValues: OrderStatus.allCases.map { ($0, 0) })
    /// Newest last.
    public private(set) var recent: [OrderSummary] = []
    let recentCapacity: Int

    init(recentCapacity: Int) { self.recentCapacity = recentCapacity }

    public var total: Int { counts.values.reduce(0, +) }

    mutating func inserted(_ order: OrderSummary) {
        counts[order.status, default: 0] += 1
        recent.append(order)
        if recent.count > recentCapacity { recent.removeFirst(recent.count - recentCapacity) }
    }

    mutating func moved(_ orderId: String, from old: OrderStatus, to new: OrderStatus, at time: VirtualTime) {
        counts[old, default: 0] -= 1
        counts[new, default: 0] += 1
        if let i = recent.lastIndex(where: { $0.orderId == orderId }) {
            recent[i].status = new
            recent[i].updatedAt = time
        }
    }
}

extension Broker {
    /// Encodes the event and sends it keyed by its order id, with the usual headers.
    @discardableResult
    public func publish<E: OrderFlowEvent>(_ event: E, now: VirtualTime) throws(BrokerError) -> RecordMetadata {
        try send(topic: E.topic, key: Array(event.orderId.utf8), value: EventCodec.encode(event),
                 headers: RecordHeaders(eventType: E.eventType, eventId: event.eventId, correlationId: event.orderId),
                 timestamp: now)
    }
}
