import Bus
import Events
import Foundation
import GRDB

/// The outbox table in the orders database, and the one running count of its unpublished rows.
///
/// Order-service adds a row inside the order's own transaction; the relay reads unpublished
/// rows in id order and marks each after its publish. Both go through this type, so the count
/// and the table cannot drift apart.
package final class Outbox {
    /// One unpublished row, as the relay sends it.
    package struct Row: Sendable, Equatable {
        package var id: Int64
        package var orderId: String
        package var topic: String
        package var eventType: String
        package var eventId: String
        package var payload: [UInt8]
    }

    /// The table and its indexes, created by order-service's migration.
    static let schema = """
        CREATE TABLE outbox (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          order_id TEXT NOT NULL,
          topic TEXT NOT NULL,
          event_type TEXT NOT NULL,
          event_id TEXT NOT NULL,
          payload BLOB NOT NULL,
          created_at INTEGER NOT NULL,
          published_at INTEGER
        );
        CREATE INDEX outbox_unpublished ON outbox(id) WHERE published_at IS NULL;
        CREATE INDEX outbox_order ON outbox(order_id);
        """

    private let database: any DatabaseWriter
    /// Rows committed and not yet marked published.
    package private(set) var pending = 0

    init(database: any DatabaseWriter) {
        self.database = database
    }

    /// Adds the event's row inside the caller's transaction; `committed()` counts it once that
    /// transaction has committed.
    func insert(_ event: OrderCreatedEvent, now: VirtualTime, in db: Database) throws {
        try db.cachedStatement(
            sql:
                "INSERT INTO outbox (order_id, topic, event_type, event_id, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [
            event.orderId, OrderCreatedEvent.topic, OrderCreatedEvent.eventType, event.eventId,
            Data(EventCodec.encode(event)), now.milliseconds,
        ])
    }

    func committed() { pending += 1 }

    /// Up to `limit` unpublished rows, oldest first.
    package func unpublished(limit: Int) throws -> [Row] {
        try database.readLatest { db in
            try GRDB.Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT id, order_id, topic, event_type, event_id, payload FROM outbox
                        WHERE published_at IS NULL ORDER BY id LIMIT ?
                        """), arguments: [limit]
            ).map { row in
                Row(
                    id: row["id"], orderId: row["order_id"], topic: row["topic"], eventType: row["event_type"],
                    eventId: row["event_id"], payload: Array(row["payload"] as Data))
            }
        }
    }

    package func markPublished(_ id: Int64, now: VirtualTime) throws {
        try database.executeCached("UPDATE outbox SET published_at = ? WHERE id = ?", [now.milliseconds, id])
        pending -= 1
    }

    /// When the oldest unpublished row was committed.
    package func oldestPending() -> VirtualTime? {
        guard pending > 0 else { return nil }
        let created = try? database.readLatest { db in
            try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT created_at FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT 1"))
        }
        return created.flatMap { $0 }.map(VirtualTime.init(milliseconds:))
    }
}
