import Bus
import KafkaClient
import Logging

/// The outbox's relay: it reads unpublished rows in id order, publishes each, and marks a row
/// once the cluster acknowledged it.
///
/// Id order keeps the order per key. A send refused at once ends the pass, so no later row
/// overtakes it; sends still waiting for their answer (acks=all, retries) hold the next pass
/// back, and a row whose send failed waits unmarked for it. Between the publish and the mark
/// lies the relay's own window: a crash there leaves the row unpublished in the table, and the
/// next pass sends it again (at-least-once).
package final class OutboxRelay {
    package enum State: Equatable, Sendable {
        case running
        /// Crashed between a publish and its mark; restarts by itself.
        case crashed(restartAt: VirtualTime)
        /// The order service, which runs the relay, is down.
        case down
    }

    package enum Pass: Equatable, Sendable {
        case published(Int)
        /// The broker refused a send; the row waits for the next pass.
        case blocked(published: Int)
        case crashed(published: Int)
    }

    private let outbox: Outbox
    private let producer: Producer
    private let logger: Logger
    package var state = State.running {
        didSet { if state != .running { life += 1 } }
    }
    /// The next pass dies after its first publish, before marking it.
    package var crashArmed = false
    package private(set) var published = 0
    package private(set) var crashes = 0
    /// Passes that stopped at a refused send, and sends given up later; the row is sent again
    /// on the next pass.
    package private(set) var blockedPasses = 0
    /// Sends of this relay not answered yet: the next pass waits for them.
    package private(set) var inFlight = 0
    /// A mark that could not be written after a late acknowledgement.
    package var onStorageFailure: ((any Error) -> Void)?
    /// Bumped when the relay stops: answers for sends of an earlier life mark nothing, as the
    /// process that would have marked them is gone.
    private var life = 0

    package init(outbox: Outbox, producer: Producer, logger: Logger) {
        self.outbox = outbox
        self.producer = producer
        self.logger = logger
    }

    package var pending: Int { outbox.pending }

    /// When the oldest unpublished row was committed.
    package func oldestPending() -> VirtualTime? { outbox.oldestPending() }

    /// Publishes up to `batch` rows.
    package func runPass(now: VirtualTime, batch: Int) throws -> Pass {
        guard state == .running, pending > 0, inFlight == 0 else { return .published(0) }
        var sent = 0
        for row in try outbox.unpublished(limit: batch) {
            let crashing = crashArmed
            let life = self.life
            let answer = producer.send(
                topic: row.topic, key: Array(row.orderId.utf8), value: row.payload,
                headers: RecordHeaders(eventType: row.eventType, eventId: row.eventId, correlationId: row.orderId),
                now: now
            ) { [unowned self] outcome, at in
                inFlight -= 1
                answered(outcome, row: row, at: at, markable: !crashing && life == self.life)
            }
            if let answer {
                answered(answer, row: row, at: now, markable: !crashing)
                // A send refused at once ends the pass, so no later row overtakes it.
                if case .failed = answer { return .blocked(published: sent) }
            } else {
                inFlight += 1
            }
            published += 1
            sent += 1
            if crashing {
                crashArmed = false
                crashes += 1
                logger.warning("outbox relay crashed after publishing row \(row.id) and before marking it")
                return .crashed(published: sent)
            }
        }
        return .published(sent)
    }

    /// A row's answer: acknowledged, it is marked (unless the relay crashed after the publish:
    /// that relay never marks it); failed, it waits for the next pass.
    private func answered(_ outcome: Producer.Outcome, row: Outbox.Row, at: VirtualTime, markable: Bool) {
        switch outcome {
        case .acknowledged:
            guard markable else { return }
            do { try outbox.markPublished(row.id, now: at) } catch { onStorageFailure?(error) }
        case .failed(let failure):
            logger.warning("outbox relay: \(failure); row \(row.id) waits for the next pass")
            blockedPasses += 1
        }
    }
}
