import Bus
import Foundation
import GRDB
import Logging

/// The outbox's relay: it reads unpublished rows in id order, publishes each, then marks it.
///
/// Id order keeps the order per key. A send the broker refuses ends the pass, so no later row
/// overtakes it. Between the publish and the mark lies the relay's own window: a crash there
/// leaves the row unpublished in the table, and the next pass sends it again (at-least-once).
public final class OutboxRelay {
    public enum State: Equatable, Sendable {
        case running
        /// Crashed between a publish and its mark; restarts by itself.
        case crashed(restartAt: VirtualTime)
        /// The order service, which runs the relay, is down.
        case down
    }

    public enum Pass: Equatable, Sendable {
        case published(Int)
        /// The broker refused a send; the row waits for the next pass.
        case blocked(published: Int)
        case crashed(published: Int)
    }

    private let orders: OrderService
    private let broker: Broker
    private let logger: Logger
    public var state = State.running
    /// The next pass dies after its first publish, before marking it.
    public var crashArmed = false
    public private(set) var published = 0
    public private(set) var crashes = 0

    public init(orders: OrderService, broker: Broker, logger: Logger) {
        self.orders = orders
        self.broker = broker
        self.logger = logger
    }

    public var pending: Int { orders.outboxPending }

    /// When the oldest unpublished row was committed.
    public func oldestPending() -> VirtualTime? {
        guard pending > 0 else { return nil }
        let created = try? orders.database.read { db in
            try Int64.fetchOne(db.cachedStatement(sql: "SELECT created_at FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT 1"))
        }
        return created.flatMap { $0 }.map(VirtualTime.init(milliseconds:))
    }

    /// Publishes up to `batch` rows.
    public func runPass(now: VirtualTime, batch: Int) throws -> Pass {
        guard state == .running, pending > 0 else { return .published(0) }
        let rows = try orders.database.read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT id, order_id, topic, event_type, event_id, payload FROM outbox
                WHERE published_at IS NULL ORDER BY id LIMIT ?
                """), arguments: [batch])
        }
        var sent = 0
        for row in rows {
            let orderId: String = row["order_id"], topic: String = row["topic"]
            let payload: Data = row["payload"]
            do {
                try broker.send(topic: topic, key: Array(orderId.utf8), value: Array(payload),
                                headers: RecordHeaders(eventType: row["event_type"], eventId: row["event_id"], correlationId: orderId),
                                timestamp: now)
            } catch {
                logger.warning("outbox relay: \(error); row \(row["id"] as Int64) waits for the next pass")
                return .blocked(published: sent)
            }
            published += 1
            sent += 1
            if crashArmed {
                crashArmed = false
                crashes += 1
                logger.warning("outbox relay crashed after publishing row \(row["id"] as Int64) and before marking it")
                return .crashed(published: sent)
            }
            try orders.database.executeCached("UPDATE outbox SET published_at = ? WHERE id = ?", [now.milliseconds, row["id"] as Int64])
            orders.outboxPending -= 1
        }
        return .published(sent)
    }
}
