import Bus
import Events
import GRDB
import KafkaClient
import Logging

/// Consumes `order.created`, charges the provider, and publishes the outcome.
///
/// With idempotency on, the payment row and the event's id in `processed_events` commit in one
/// transaction after the charge, and the provider gets the order id as idempotency key: a
/// repeated event charges nothing and only publishes the recorded result if that had not
/// happened yet, with the result's original event id so the notification service can skip it too.
package final class PaymentService {
    package let database: any DatabaseWriter
    package let provider: PaymentProvider
    private let producer: Producer
    private let logger: Logger
    private var ids: SeededRandom
    /// Events skipped because their id was already in `processed_events`.
    package private(set) var dedupHits = 0

    package init(
        location: DatabaseLocation, producer: Producer, provider: PaymentProvider, seed: UInt64, logger: Logger
    )
        throws
    {
        database = try location.open("payments.sqlite") { migrator in
            migrator.registerMigration("create payments") { db in
                try db.execute(
                    sql: """
                        CREATE TABLE payments (
                          id INTEGER PRIMARY KEY AUTOINCREMENT,
                          order_id TEXT NOT NULL,
                          order_event_id TEXT NOT NULL,
                          outcome TEXT NOT NULL,
                          charge_id TEXT,
                          reason TEXT,
                          idempotency_key TEXT,
                          result_event_id TEXT NOT NULL,
                          result_published INTEGER NOT NULL DEFAULT 0,
                          consumed_at INTEGER NOT NULL,
                          processed_at INTEGER NOT NULL
                        );
                        CREATE INDEX payments_order ON payments(order_id);
                        CREATE TABLE processed_events (
                          event_id TEXT PRIMARY KEY NOT NULL,
                          payment_id INTEGER NOT NULL
                        );
                        """)
            }
        }
        self.producer = producer
        self.provider = provider
        self.logger = logger
        ids = SeededRandom(seed: seed, stream: "payment-service-ids")
    }

    /// Processing one record takes as long as the provider call.
    package func processingTime() -> VirtualDuration { provider.nextLatency() }

    /// How a later answer reaches the consumer: nil when the result is published, else why not.
    package typealias Answer = (ProcessingError?, VirtualTime) -> Void

    /// `polledAt` is when the consumer took the record; `now`, when the provider answered.
    ///
    /// The listener waits for its result's send to be answered, as one calling `send(...).get()`
    /// does: true when that answer came at once; false when it comes later through `answer`.
    /// A failure (at once: thrown) makes the consumer seek back and read the record again.
    package func handle(
        _ record: Bus.Record, polledAt: VirtualTime, now: VirtualTime, idempotency: Idempotency,
        answer: @escaping Answer = { _, _ in }
    ) throws -> Bool {
        let order = try EventCodec.decode(OrderCreatedEvent.self, from: record.value)
        if idempotency.isOn,
            let earlier = try read({ db in
                try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT p.* FROM processed_events e JOIN payments p ON p.id = e.payment_id WHERE e.event_id = ?
                            """), arguments: [order.eventId])
            })
        {
            dedupHits += 1
            guard earlier["result_published"] == 0 else { return true }
            let outcome: PaymentProvider.Outcome =
                earlier["outcome"] == "succeeded"
                ? .succeeded(chargeId: earlier["charge_id"]) : .declined(reason: earlier["reason"] ?? "declined")
            return try publishResult(
                outcome, of: order, eventId: earlier["result_event_id"],
                at: VirtualTime(milliseconds: earlier["processed_at"]), now: now, marking: earlier["id"],
                answer: answer)
        }

        let key = idempotency.isOn ? order.orderId : nil
        let outcome: PaymentProvider.Outcome
        let resultEventId = ids.uuid()
        let paymentId: Int64
        do {
            outcome = try provider.charge(
                orderId: order.orderId, amountCents: order.amountCents, currency: order.currency,
                idempotencyKey: key, now: now)
            let (name, chargeId, reason): (String, String?, String?) =
                switch outcome {
                case .succeeded(let id): ("succeeded", id, nil)
                case .declined(let reason): ("declined", nil, reason)
                }
            paymentId = try database.writeAtomically { db in
                try db.cachedStatement(
                    sql: """
                        INSERT INTO payments (order_id, order_event_id, outcome, charge_id, reason, idempotency_key, result_event_id,
                                              consumed_at, processed_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """
                ).execute(arguments: [
                    order.orderId, order.eventId, name, chargeId, reason, key, resultEventId,
                    polledAt.milliseconds, now.milliseconds,
                ])
                let id = db.lastInsertedRowID
                if idempotency.isOn {
                    try db.cachedStatement(sql: "INSERT INTO processed_events (event_id, payment_id) VALUES (?, ?)")
                        .execute(arguments: [order.eventId, id])
                }
                return id
            }
        } catch let refusal as PaymentProvider.Refusal {
            throw ProcessingError.providerRefused(refusal.description)
        } catch {
            throw ProcessingError.database(String(describing: error))
        }
        return try publishResult(
            outcome, of: order, eventId: resultEventId, at: now, now: now,
            marking: idempotency.isOn ? paymentId : nil, answer: answer)
    }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try database.read(body) } catch { throw ProcessingError.database(String(describing: error)) }
    }

    private func markPublished(_ paymentId: Int64) throws {
        do {
            try database.executeCached("UPDATE payments SET result_published = 1 WHERE id = ?", [paymentId])
        } catch {
            throw ProcessingError.database(String(describing: error))
        }
    }

    /// Publishes the result and, once acknowledged, marks the payment row published. Returns
    /// true when answered at once (a failure then is thrown), false when `answer` follows.
    private func publishResult(
        _ outcome: PaymentProvider.Outcome, of order: OrderCreatedEvent, eventId: String,
        at time: VirtualTime, now: VirtualTime, marking paymentId: Int64?, answer: @escaping Answer
    ) throws -> Bool {
        // The answer's meaning for the record: nil, published (and marked); else why not.
        let settle = { [unowned self] (outcome: Producer.Outcome) -> ProcessingError? in
            switch outcome {
            case .acknowledged:
                do { if let paymentId { try markPublished(paymentId) } } catch let failure {
                    return (failure as? ProcessingError) ?? .database(String(describing: failure))
                }
                return nil
            case .failed(let failure):
                logger.warning("payment-service charged \(order.orderId) but could not publish the result: \(failure)")
                return .publishFailed(failure)
            }
        }
        let later: Producer.Completion = { outcome, at in answer(settle(outcome), at) }
        let atOnce: Producer.Outcome?
        switch outcome {
        case .succeeded(let chargeId):
            atOnce = producer.publish(
                PaymentCompletedEvent(
                    eventId: eventId, orderId: order.orderId, amountCents: order.amountCents,
                    currency: order.currency, chargeId: chargeId,
                    orderCreatedAt: order.createdAt, completedAt: time.milliseconds), now: now, later: later)
        case .declined(let reason):
            atOnce = producer.publish(
                PaymentFailedEvent(
                    eventId: eventId, orderId: order.orderId, amountCents: order.amountCents,
                    currency: order.currency, reason: reason,
                    orderCreatedAt: order.createdAt, failedAt: time.milliseconds), now: now, later: later)
        }
        guard let atOnce else { return false }
        if let error = settle(atOnce) { throw error }
        return true
    }
}
