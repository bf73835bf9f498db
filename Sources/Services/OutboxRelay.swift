import Bus
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

    private let outbox: Outbox
    private let broker: Broker
    private let logger: Logger
    public var state = State.running
    /// The next pass dies after its first publish, before marking it.
    public var crashArmed = false
    public private(set) var published = 0
    public private(set) var crashes = 0
    /// Passes that stopped at a refused send; the row is sent again on the next pass.
    public private(set) var blockedPasses = 0

    public init(outbox: Outbox, broker: Broker, logger: Logger) {
        self.outbox = outbox
        self.broker = broker
        self.logger = logger
    }

    public var pending: Int { outbox.pending }

    /// When the oldest unpublished row was committed.
    public func oldestPending() -> VirtualTime? { outbox.oldestPending() }

    /// Publishes up to `batch` rows.
    public func runPass(now: VirtualTime, batch: Int) throws -> Pass {
        guard state == .running, pending > 0 else { return .published(0) }
        var sent = 0
        for row in try outbox.unpublished(limit: batch) {
            do {
                try broker.send(
                    topic: row.topic, key: Array(row.orderId.utf8), value: row.payload,
                    headers: RecordHeaders(eventType: row.eventType, eventId: row.eventId, correlationId: row.orderId),
                    timestamp: now)
            } catch {
                logger.warning("outbox relay: \(error); row \(row.id) waits for the next pass")
                blockedPasses += 1
                return .blocked(published: sent)
            }
            published += 1
            sent += 1
            if crashArmed {
                crashArmed = false
                crashes += 1
                logger.warning("outbox relay crashed after publishing row \(row.id) and before marking it")
                return .crashed(published: sent)
            }
            try outbox.markPublished(row.id, now: now)
        }
        return .published(sent)
    }
}
