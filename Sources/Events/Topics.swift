/// The topic names, as the services and the config spell them.
package enum Topic {
    package static let orderCreated = "order.created"
    package static let paymentCompleted = "payment.completed"
    package static let paymentFailed = "payment.failed"

    package static let all = [orderCreated, paymentCompleted, paymentFailed]
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
