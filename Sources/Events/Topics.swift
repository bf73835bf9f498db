/// The topic names, as the services and the config spell them.
package enum Topic {
    package static let orderCreated = "order.created"
    package static let paymentCompleted = "payment.completed"
    package static let paymentFailed = "payment.failed"

    package static let all = [orderCreated, paymentCompleted, paymentFailed]

    /// Spring Kafka's dead-letter topic for a topic: its name with `.DLT` after it.
    package static func deadLetter(of topic: String) -> String { topic + ".DLT" }
    /// The topic a dead-letter topic holds the failures of; nil for any other topic.
    package static func source(ofDeadLetter topic: String) -> String? {
        topic.hasSuffix(".DLT") ? String(topic.dropLast(4)) : nil
    }
}

/// The consumer groups: one per consuming service, named after it, so each keeps its own offsets.
package enum ServiceName: String, CaseIterable, Codable, Sendable {
    case order = "order-service"
    case payment = "payment-service"
    case notification = "notification-service"

    /// The topics the service's consumers subscribe to. The notification service reads
    /// `payment.completed` only: a customer is told when an order is confirmed, not when it arrived.
    package var subscriptions: [String] {
        switch self {
        case .order: [Topic.paymentCompleted, Topic.paymentFailed]
        case .payment: [Topic.orderCreated]
        case .notification: [Topic.paymentCompleted]
        }
    }
}
