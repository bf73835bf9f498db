import Bus
import Events
import GRDB
import Logging

/// Consumes `payment.completed` only and sends the confirmation email. The simulated gateway's
/// record of every email sent is the `emails` table.
public final class NotificationService {
    public let database: any DatabaseWriter
    private let logger: Logger
    public private(set) var emailsSent = 0

    public init(location: DatabaseLocation, logger: Logger) throws {
        database = try location.open("notifications.sqlite") { migrator in
            migrator.registerMigration("create emails") { db in
                try db.execute(sql: """
                    CREATE TABLE emails (
                      id INTEGER PRIMARY KEY AUTOINCREMENT,
                      order_id TEXT NOT NULL,
                      payment_event_id TEXT NOT NULL,
                      sent_at INTEGER NOT NULL
                    );
                    CREATE INDEX emails_order ON emails(order_id);
                    """)
            }
        }
        self.logger = logger
    }

    public func handle(_ record: Bus.Record, now: VirtualTime) throws {
        let event = try EventCodec.decode(PaymentCompletedEvent.self, from: record.value)
        do {
            try database.executeCached("INSERT INTO emails (order_id, payment_event_id, sent_at) VALUES (?, ?, ?)",
                                       [event.orderId, event.eventId, now.milliseconds])
        } catch {
            throw ProcessingError.database(String(describing: error))
        }
        emailsSent += 1
    }
}
