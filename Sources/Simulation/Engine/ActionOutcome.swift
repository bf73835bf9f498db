import Bus
import Services

/// What an action did, or why it did nothing: the dashboard turns it into the status line, a
/// scenario step can log it, a test can assert it. Nobody has to diff counters around a call.
package enum ActionOutcome: Equatable, Sendable {
    /// Orders placed now: the ones order-service accepted, and how many its API rejected.
    case placed(accepted: [PlacedOrder], rejected: Int)
    /// Orders scheduled to arrive later (`placeOrdersOver`).
    case scheduled(orders: Int)
    /// A switch or the traffic took its new value.
    case changed
    /// The instances (client ids) that were stopped, started or killed; empty when none was in
    /// a state to be.
    case instances([String])
    /// A fault waits for its moment. `inUse` is false when the part it waits for does not run
    /// now (the relay without the outbox): it fires once that part runs again.
    case armed(inUse: Bool)
    case cancelled([String])
    case swept(ReconciliationReport)
    /// The broker rejects the next N sends.
    case rejectingSends(Int)
    /// A record was appended (the poison action), or nil when the broker rejected or refused it.
    case appended(RecordMetadata?)
    /// The API said no (a cancel).
    case rejected(Rejection)
    /// The brokers a kill or restart changed (empty: already so, or no such broker).
    case brokers([Int])
    /// Records a redrive sent back from the dead-letter topics; nil: the run has none (`consumers.deadLetter` off).
    case redriven(Int?)
    /// The partitions an unclean election gave a leader (empty: none was offline with a live replica).
    case elected([TopicPartition])

    package enum Rejection: Equatable, Sendable {
        /// order-service is down after a crash: its API answers nothing.
        case orderServiceDown
        /// Only PENDING_PAYMENT can be cancelled; nil status: no such order.
        case notCancellable(orderId: String, status: OrderStatus?)
    }
}
