import Bus
import Events
import GRDB
import Logging

/// Sends the confirmation email. Its consumer reads `payment.completed` only; the optimistic
/// design also calls it from the order write's hook. The simulated gateway's record of every
/// email sent is the `emails` table.
package final class NotificationService {
    package enum Trigger: String, Sendable {
        case paymentCompleted = "payment.completed"
        /// The optimistic design's hook on the order write: the email goes out before any payment.
        case orderWriteHook = "order-write-hook"
    }

    package let database: any DatabaseWriter
    private let logger: Logger
    package private(set) var emailsSent = 0
    /// Events skipped because their id was already in `processed_events`.
    package private(set) var dedupHits = 0
    /// Emails the optimistic hook sent; while there are none, no order needs the check for one.
    private var hookEmails = 0

    package init(location: DatabaseLocation, logger: Logger) throws {
        database = try location.open("notifications.sqlite") { migrator in
            migrator.registerMigration("create emails") { db in
                try db.execute(
                    sql: """
                        CREATE TABLE emails (
                          id INTEGER PRIMARY KEY AUTOINCREMENT,
                          order_id TEXT NOT NULL,
                          trigger TEXT NOT NULL,
                          payment_event_id TEXT,
                          sent_at INTEGER NOT NULL
                        );
                        CREATE INDEX emails_order ON emails(order_id, trigger);
                        CREATE TABLE processed_events (
                          event_id TEXT PRIMARY KEY NOT NULL,
                          email_id INTEGER
                        );
                        """)
            }
        }
        self.logger = logger
    }

    /// The optimistic design's hook: the customer hears "confirmed" at the moment of the write.
    package func sendFromOrderWrite(orderId: String, now: VirtualTime) {
        do {
            try database.executeCached(
                "INSERT INTO emails (order_id, trigger, sent_at) VALUES (?, ?, ?)",
                [orderId, Trigger.orderWriteHook.rawValue, now.milliseconds])
            emailsSent += 1
            hookEmails += 1
        } catch {
            logger.error("notification-service could not send the hook's email for \(orderId): \(error)")
        }
    }

    /// With idempotency on, the email and the event's id commit in one transaction and a repeated
    /// event is skipped. An order the optimistic hook already confirmed gets no second email.
    package func handle(_ record: Bus.Record, now: VirtualTime, idempotency: Idempotency) throws {
        let event = try EventCodec.decode(PaymentCompletedEvent.self, from: record.value)
        do {
            if !idempotency.isOn && hookEmails == 0 {
                // Nothing to check first: one statement in SQLite's own transaction.
                try database.executeCached(
                    "INSERT INTO emails (order_id, trigger, payment_event_id, sent_at) VALUES (?, ?, ?, ?)",
                    [event.orderId, Trigger.paymentCompleted.rawValue, event.eventId, now.milliseconds])
                emailsSent += 1
                return
            }
            try database.writeAtomically { db in
                if idempotency.isOn,
                    try Bool.fetchOne(
                        db.cachedStatement(sql: "SELECT 1 FROM processed_events WHERE event_id = ?"),
                        arguments: [event.eventId]) == true
                {
                    dedupHits += 1
                    return
                }
                let toldAtCreation =
                    try hookEmails > 0
                    && Bool.fetchOne(
                        db.cachedStatement(sql: "SELECT 1 FROM emails WHERE order_id = ? AND trigger = ? LIMIT 1"),
                        arguments: [event.orderId, Trigger.orderWriteHook.rawValue]) == true
                var emailId: Int64?
                if !toldAtCreation {
                    try db.cachedStatement(
                        sql: "INSERT INTO emails (order_id, trigger, payment_event_id, sent_at) VALUES (?, ?, ?, ?)"
                    )
                    .execute(arguments: [
                        event.orderId, Trigger.paymentCompleted.rawValue, event.eventId, now.milliseconds,
                    ])
                    emailId = db.lastInsertedRowID
                    emailsSent += 1
                }
                if idempotency.isOn {
                    try db.cachedStatement(sql: "INSERT INTO processed_events (event_id, email_id) VALUES (?, ?)")
                        .execute(arguments: [event.eventId, emailId])
                }
            }
        } catch {
            throw ProcessingError.database(String(describing: error))
        }
    }
}
