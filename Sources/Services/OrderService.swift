import Bus
import Events
import Foundation
import GRDB
import KafkaClient
import Logging

/// One row of the orders table as the dashboard lists it.
package struct OrderSummary: Hashable, Sendable {
    package var orderId: String
    package var customerId: String
    package var amountCents: Int
    package var currency: String
    package var status: OrderStatus
    package var createdAt: VirtualTime
    package var updatedAt: VirtualTime

    package init(
        orderId: String, customerId: String, amountCents: Int, currency: String, status: OrderStatus,
        createdAt: VirtualTime, updatedAt: VirtualTime
    ) {
        self.orderId = orderId
        self.customerId = customerId
        self.amountCents = amountCents
        self.currency = currency
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// What `placeOrder` returns: accepted, never "confirmed".
package struct PlacedOrder: Sendable, Equatable {
    package var orderId: String
    package var status: OrderStatus
    /// Where OrderCreatedEvent landed, or nil when the publish after the commit did not happen
    /// or its answer comes later (acks=all waiting for the in-sync replicas, a refusal retried);
    /// `publishError` says which: set when it did not happen.
    package var published: RecordMetadata?
    package var publishError: String?

    package init(orderId: String, status: OrderStatus, published: RecordMetadata? = nil, publishError: String? = nil) {
        self.orderId = orderId
        self.status = status
        self.published = published
        self.publishError = publishError
    }
}

/// Owns order state. Best-effort, it commits the order and then publishes OrderCreatedEvent:
/// the gap between the two is the dual-write window. With the outbox, the event is a row in
/// the same transaction and `OutboxRelay` publishes it.
package final class OrderService {
    package let database: any DatabaseWriter
    private let producer: Producer
    private let logger: Logger
    /// Running counts and the latest orders, kept beside the database so a dashboard frame
    /// never scans the orders table.
    package private(set) var board: OrderBoard
    /// Events that would have moved an order backwards or out of CANCELLED, and were dropped.
    package private(set) var ignoredTransitions = 0
    /// The optimistic design's hook on the order write: it sends the confirmation email.
    package var onOptimisticWrite: ((_ orderId: String, _ now: VirtualTime) -> Void)?
    /// The outbox table: written here in the order's transaction, read and marked by the relay.
    package let outbox: Outbox
    /// Best-effort orders whose OrderCreatedEvent the producer gave up on after the commit: the
    /// dual-write window, opened by the cluster instead of a crash.
    package private(set) var eventsLostToProducerErrors = 0
    /// Called when such an event is given up, with its order id (the simulation's event log).
    package var onEventLost: ((_ orderId: String, _ failure: Producer.SendFailure, _ now: VirtualTime) -> Void)?
    /// A per-write sequence number, so the invariant checker can read only what changed.
    private var changeSeq: Int64 = 0

    package init(location: DatabaseLocation, producer: Producer, recentCapacity: Int = 50, logger: Logger) throws {
        database = try location.open("orders.sqlite") { migrator in
            migrator.registerMigration("create orders") { db in
                try db.execute(
                    sql: """
                        CREATE TABLE orders (
                          id TEXT PRIMARY KEY NOT NULL,
                          customer_id TEXT NOT NULL,
                          amount_cents INTEGER NOT NULL,
                          currency TEXT NOT NULL,
                          status TEXT NOT NULL,
                          design TEXT NOT NULL,
                          created_at INTEGER NOT NULL,
                          updated_at INTEGER NOT NULL,
                          change_seq INTEGER NOT NULL
                        );
                        CREATE INDEX orders_status_created ON orders(status, created_at);
                        CREATE INDEX orders_change_seq ON orders(change_seq);
                        """)
                try db.execute(sql: Outbox.schema)
            }
        }
        outbox = Outbox(database: database)
        self.producer = producer
        self.logger = logger
        board = OrderBoard(recentCapacity: recentCapacity)
    }

    /// Commits the order (PENDING_PAYMENT, or CONFIRMED in the optimistic design) and gets its
    /// OrderCreatedEvent out the way `publish` says. `crashBeforePublish` kills the service
    /// right after the commit: best-effort, the event is lost; with the outbox, it waits in its row.
    package func placeOrder(
        orderId: String, eventId: String, customerId: String, amountCents: Int, currency: String,
        now: VirtualTime, settings: FlowSettings = FlowSettings(),
        crashBeforePublish: Bool = false
    ) throws -> PlacedOrder {
        changeSeq += 1
        let seq = changeSeq
        let status: OrderStatus = settings.design == .optimistic ? .confirmed : .pendingPayment
        let event = OrderCreatedEvent(
            eventId: eventId, orderId: orderId, customerId: customerId,
            amountCents: amountCents, currency: currency, createdAt: now.milliseconds)
        let insertOrder = """
            INSERT INTO orders (id, customer_id, amount_cents, currency, status, design, created_at, updated_at, change_seq)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        let orderArguments: StatementArguments = [
            orderId, customerId, amountCents, currency, status.rawValue,
            settings.design.rawValue, now.milliseconds, now.milliseconds, seq,
        ]
        switch settings.publish {
        case .bestEffort:
            try database.executeCached(insertOrder, orderArguments)
        case .outbox:
            try database.writeAtomically { db in
                try db.cachedStatement(sql: insertOrder).execute(arguments: orderArguments)
                try outbox.insert(event, now: now, in: db)
            }
            outbox.committed()
        }
        board.inserted(
            OrderSummary(
                orderId: orderId, customerId: customerId, amountCents: amountCents, currency: currency,
                status: status, createdAt: now, updatedAt: now))
        if settings.design == .optimistic { onOptimisticWrite?(orderId, now) }

        guard !crashBeforePublish else {
            logger.warning("order-service crashed after committing \(orderId) and before publishing it")
            return PlacedOrder(
                orderId: orderId, status: status, published: nil,
                publishError: settings.publish == .outbox ? nil : "crashed before publish")
        }
        guard settings.publish == .bestEffort else {
            return PlacedOrder(orderId: orderId, status: status, published: nil, publishError: nil)
        }
        // Best-effort: a failed send leaves the order committed and no event announces it.
        let answer = producer.publish(event, now: now) { [weak self] outcome, at in
            if case .failed(let failure) = outcome { self?.eventLost(orderId, failure, at) }
        }
        switch answer {
        case .acknowledged(let metadata)?:
            return PlacedOrder(orderId: orderId, status: status, published: metadata, publishError: nil)
        case .failed(let failure)?:
            eventLost(orderId, failure, now)
            return PlacedOrder(orderId: orderId, status: status, published: nil, publishError: failure.description)
        case nil:
            // acks=all waits for the in-sync replicas, or a refusal is being retried.
            return PlacedOrder(orderId: orderId, status: status, published: nil, publishError: nil)
        }
    }

    private func eventLost(_ orderId: String, _ failure: Producer.SendFailure, _ now: VirtualTime) {
        eventsLostToProducerErrors += 1
        logger.warning("order \(orderId) committed but not published: \(failure)")
        onEventLost?(orderId, failure, now)
    }

    /// A customer cancels: only a PENDING_PAYMENT order can be, so a payment already applied wins.
    @discardableResult
    package func cancel(_ orderId: String, now: VirtualTime) -> Bool {
        update(orderId, to: .cancelled, from: .pendingPayment, now: now, countRefusal: false)
    }

    /// Consumes `payment.completed` (→ CONFIRMED) and `payment.failed` (→ PAYMENT_FAILED).
    package func handle(_ record: Bus.Record, now: VirtualTime) throws(PoisonRecord) {
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

    /// Applies a payment result. PENDING_PAYMENT moves on; an optimistic order, CONFIRMED since
    /// its creation, takes a payment.completed as the fact it claimed and a payment.failed as
    /// the end of the claim. Anything else (CANCELLED, a repeat) is refused and counted.
    @discardableResult
    package func transition(_ orderId: String, to status: OrderStatus, now: VirtualTime) -> Bool {
        // The common case first, in one statement; only a refused update needs a second look.
        if update(orderId, to: status, from: .pendingPayment, now: now, countRefusal: false) { return true }
        let current: (status: OrderStatus, design: OrderDesign)?
        do {
            current = try database.readLatest { db in
                try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT status, design FROM orders WHERE id = ?"), arguments: [orderId]
                )
                .map {
                    (
                        OrderStatus(rawValue: $0["status"]) ?? .pendingPayment,
                        OrderDesign(rawValue: $0["design"]) ?? .honest
                    )
                }
            }
        } catch {
            logger.error("order-service could not read \(orderId): \(error)")
            return false
        }
        if let current, current.design == .optimistic, current.status == .confirmed {
            if status == .confirmed { return true }
            if status == .paymentFailed { return update(orderId, to: status, from: .confirmed, now: now) }
        }
        ignoredTransitions += 1
        logger.info(
            "order-service ignored \(status.rawValue) for \(orderId): it is \(current?.status.rawValue ?? "unknown")")
        return false
    }

    /// One guarded write: the row changes only if it is still in `from`.
    private func update(
        _ orderId: String, to status: OrderStatus, from old: OrderStatus, now: VirtualTime,
        countRefusal: Bool = true
    ) -> Bool {
        changeSeq += 1
        let seq = changeSeq
        let changed: Bool
        do {
            changed =
                try database.executeCached(
                    """
                    UPDATE orders SET status = ?, updated_at = ?, change_seq = ?
                    WHERE id = ? AND status = ?
                    """, [status.rawValue, now.milliseconds, seq, orderId, old.rawValue]) > 0
        } catch {
            logger.error("order-service could not update \(orderId): \(error)")
            return false
        }
        if changed {
            board.moved(orderId, from: old, to: status, at: now)
        } else if countRefusal {
            ignoredTransitions += 1
            logger.info("order-service ignored \(status.rawValue) for \(orderId): not \(old.rawValue)")
        }
        return changed
    }

    package func order(_ orderId: String) throws -> OrderSummary? {
        try database.readLatest { db in
            try Row.fetchOne(db, sql: "SELECT * FROM orders WHERE id = ?", arguments: [orderId]).map(
                OrderSummary.init(row:))
        }
    }
}

extension OrderSummary {
    init(row: Row) {
        self.init(
            orderId: row["id"], customerId: row["customer_id"], amountCents: row["amount_cents"],
            currency: row["currency"], status: OrderStatus(rawValue: row["status"]) ?? .pendingPayment,
            createdAt: VirtualTime(milliseconds: row["created_at"]),
            updatedAt: VirtualTime(milliseconds: row["updated_at"]))
    }
}
