/// The order's business state. On creation it is the honest PENDING_PAYMENT: nothing about the
/// payment is known yet, and only the consumer of `payment.completed` may claim CONFIRMED.
/// Only PENDING_PAYMENT ever moves on (`OrderService.transition` guards it in SQL), so a late
/// or repeated event never sends an order backwards or out of CANCELLED. The one exception is the
/// optimistic design's false claim: a CONFIRMED-on-creation order whose payment fails becomes
/// PAYMENT_FAILED.
package enum OrderStatus: String, CaseIterable, Codable, Sendable {
    case pendingPayment = "PENDING_PAYMENT"
    case confirmed = "CONFIRMED"
    case paymentFailed = "PAYMENT_FAILED"
    case cancelled = "CANCELLED"
}

/// An order id as screens, reports and answers print it: its first eight characters, enough to
/// tell the orders of a lesson apart and to find one again with `/` or `--trace`.
package func shortOrderId(_ orderId: String) -> String { String(orderId.prefix(8)) }
