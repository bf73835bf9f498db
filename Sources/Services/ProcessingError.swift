import Bus
import KafkaClient

/// Why a consumed record could not be processed and must be read again. Thrown by the payment
/// and notification services; the consumer loop seeks back and retries after a backoff.
package enum ProcessingError: Error, CustomStringConvertible {
    /// The result could not be published; the record is retried, and the provider is called again.
    case publishFailed(Producer.SendFailure)
    case database(String)
    /// The payment provider refused the request (`PaymentProvider.Refusal`): every retry gets
    /// the same answer until the cause is fixed.
    case providerRefused(String)

    package var description: String {
        switch self {
        case .publishFailed(let e): "publish failed: \(e)"
        case .database(let e): "database error: \(e)"
        case .providerRefused(let e): "payment provider refused: \(e)"
        }
    }
}
