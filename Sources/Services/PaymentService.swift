import Bus
import Events
import GRDB
import Logging

/// Why a record could not be processed and must be read again.
public enum ProcessingError: Error, CustomStringConvertible {
    /// The result could not be published; the record is retried, and the provider is called again.
    case publishFailed(BrokerError)
    case database(String)

    public var description: String {
        switch self {
        case .publishFailed(let e): "publish failed: \(e)"
        case .database(let e): "database error: \(e)"
        }
    }
}

/// Consumes `order.created`, charges the provider, and publishes the outcome.
public final class PaymentService {
    public let database: any DatabaseWriter
    public let provider: PaymentProvider
    private let broker: Broker
    private let logger: Logger
    private var ids: SeededRandom

    public init(location: DatabaseLocation, broker: Broker, provider: PaymentProvider, seed: UInt64, logger: Logger) throws {
        database = try location.open("payments.sqlite") { migrator in
            migrator.registerMigration("create payments") { db in
                try db.execute(sql: """
                    CREATE TABLE payments (
                      id INTEGER PRIMARY KEY AUTOINCREMENT,
                      order_id TEXT NOT NULL,
                      order_event_id TEXT NOT NULL,
                      outcome TEXT NOT NULL,
                      charge_id TEXT,
                      processed_at INTEGER NOT NULL
                    );
                    CREATE INDEX payments_order ON payments(order_id);
                    """)
            }
        }
        self.broker = broker
        self.provider = provider
        self.logger = logger
        ids = SeededRandom(seed: seed, stream: "payment-service-ids")
    }

    /// Processing one record takes as long as the provider call.
    public func processingTime() -> VirtualDuration { provider.nextLatency() }

    public func handle(_ record: Bus.Record, now: VirtualTime) throws -> Void {
        let order = try EventCodec.decode(OrderCreatedEvent.self, from: record.value)
        let outcome: PaymentProvider.Outcome
        do {
            outcome = try provider.charge(orderId: order.orderId, amountCents: order.amountCents, currency: order.currency,
                                          idempotencyKey: nil, now: now)
            let (name, chargeId): (String, String?) = switch outcome {
            case .succeeded(let id): ("succeeded", id)
            case .declined: ("declined", nil)
            }
            try database.executeCached(
                "INSERT INTO payments (order_id, order_event_id, outcome, charge_id, processed_at) VALUES (?, ?, ?, ?, ?)",
                [order.orderId, order.eventId, name, chargeId, now.milliseconds])
        } catch {
            throw ProcessingError.database(String(describing: error))
        }
        do throws(BrokerError) {
            switch outcome {
            case .succeeded(let chargeId):
                try broker.publish(PaymentCompletedEvent(eventId: ids.uuid(), orderId: order.orderId, amountCents: order.amountCents,
                                                         currency: order.currency, chargeId: chargeId,
                                                         orderCreatedAt: order.createdAt, completedAt: now.milliseconds), now: now)
            case .declined(let reason):
                try broker.publish(PaymentFailedEvent(eventId: ids.uuid(), orderId: order.orderId, amountCents: order.amountCents,
                                                      currency: order.currency, reason: reason,
                                                      orderCreatedAt: order.createdAt, failedAt: now.milliseconds), now: now)
            }
        } catch {
            logger.warning("payment-service charged \(order.orderId) but could not publish the result: \(error)")
            throw ProcessingError.publishFailed(error)
        }
    }
}
