/// The events of the order flow. Every service encodes and decodes them through this one
/// module, so the wire format cannot drift between producer and consumers.
package protocol OrderFlowEvent: Codable, Hashable, Sendable {
    static var eventType: String { get }
    static var topic: String { get }
    var eventId: String { get }
    /// The record key and the correlation id: one id follows an order through every topic.
    var orderId: String { get }
    /// Writes the fields in key order (what `EventCodec` puts on the wire).
    func write(to json: inout FlatJSONWriter)
    init(json: FlatJSONObject) throws(PoisonRecord)
}

/// The current version of every event's schema; a consumer can tell old records from new.
package let currentSchemaVersion = 1

/// An order was written to the order database as PENDING_PAYMENT.
package struct OrderCreatedEvent: OrderFlowEvent {
    package static let eventType = "OrderCreated"
    package static let topic = Topic.orderCreated

    package var schemaVersion: Int
    package var eventId: String
    package var orderId: String
    package var customerId: String
    package var amountCents: Int
    package var currency: String
    /// Virtual milliseconds when the order was committed.
    package var createdAt: Int64

    package init(
        eventId: String, orderId: String, customerId: String, amountCents: Int, currency: String,
        createdAt: Int64, schemaVersion: Int = currentSchemaVersion
    ) {
        self.schemaVersion = schemaVersion
        self.eventId = eventId
        self.orderId = orderId
        self.customerId = customerId
        self.amountCents = amountCents
        self.currency = currency
        self.createdAt = createdAt
    }

    package func write(to json: inout FlatJSONWriter) {
        json.field("amountCents", amountCents)
        json.field("createdAt", createdAt)
        json.field("currency", currency)
        json.field("customerId", customerId)
        json.field("eventId", eventId)
        json.field("orderId", orderId)
        json.field("schemaVersion", schemaVersion)
    }

    package init(json: FlatJSONObject) throws(PoisonRecord) {
        self.init(
            eventId: try json.string("eventId"), orderId: try json.string("orderId"),
            customerId: try json.string("customerId"), amountCents: try json.int("amountCents"),
            currency: try json.string("currency"), createdAt: try json.int64("createdAt"),
            schemaVersion: try json.int("schemaVersion"))
    }
}

/// The payment provider charged the order.
package struct PaymentCompletedEvent: OrderFlowEvent {
    package static let eventType = "PaymentCompleted"
    package static let topic = Topic.paymentCompleted

    package var schemaVersion: Int
    package var eventId: String
    package var orderId: String
    package var amountCents: Int
    package var currency: String
    /// The provider's id for the charge.
    package var chargeId: String
    /// Virtual milliseconds when the order was created, carried along for end-to-end timing.
    package var orderCreatedAt: Int64
    package var completedAt: Int64

    package init(
        eventId: String, orderId: String, amountCents: Int, currency: String, chargeId: String,
        orderCreatedAt: Int64, completedAt: Int64, schemaVersion: Int = currentSchemaVersion
    ) {
        self.schemaVersion = schemaVersion
        self.eventId = eventId
        self.orderId = orderId
        self.amountCents = amountCents
        self.currency = currency
        self.chargeId = chargeId
        self.orderCreatedAt = orderCreatedAt
        self.completedAt = completedAt
    }

    package func write(to json: inout FlatJSONWriter) {
        json.field("amountCents", amountCents)
        json.field("chargeId", chargeId)
        json.field("completedAt", completedAt)
        json.field("currency", currency)
        json.field("eventId", eventId)
        json.field("orderCreatedAt", orderCreatedAt)
        json.field("orderId", orderId)
        json.field("schemaVersion", schemaVersion)
    }

    package init(json: FlatJSONObject) throws(PoisonRecord) {
        self.init(
            eventId: try json.string("eventId"), orderId: try json.string("orderId"),
            amountCents: try json.int("amountCents"),
            currency: try json.string("currency"), chargeId: try json.string("chargeId"),
            orderCreatedAt: try json.int64("orderCreatedAt"), completedAt: try json.int64("completedAt"),
            schemaVersion: try json.int("schemaVersion"))
    }
}

/// The payment provider declined the charge.
package struct PaymentFailedEvent: OrderFlowEvent {
    package static let eventType = "PaymentFailed"
    package static let topic = Topic.paymentFailed

    package var schemaVersion: Int
    package var eventId: String
    package var orderId: String
    package var amountCents: Int
    package var currency: String
    package var reason: String
    package var orderCreatedAt: Int64
    package var failedAt: Int64

    package init(
        eventId: String, orderId: String, amountCents: Int, currency: String, reason: String,
        orderCreatedAt: Int64, failedAt: Int64, schemaVersion: Int = currentSchemaVersion
    ) {
        self.schemaVersion = schemaVersion
        self.eventId = eventId
        self.orderId = orderId
        self.amountCents = amountCents
        self.currency = currency
        self.reason = reason
        self.orderCreatedAt = orderCreatedAt
        self.failedAt = failedAt
    }

    package func write(to json: inout FlatJSONWriter) {
        json.field("amountCents", amountCents)
        json.field("currency", currency)
        json.field("eventId", eventId)
        json.field("failedAt", failedAt)
        json.field("orderCreatedAt", orderCreatedAt)
        json.field("orderId", orderId)
        json.field("reason", reason)
        json.field("schemaVersion", schemaVersion)
    }

    package init(json: FlatJSONObject) throws(PoisonRecord) {
        self.init(
            eventId: try json.string("eventId"), orderId: try json.string("orderId"),
            amountCents: try json.int("amountCents"),
            currency: try json.string("currency"), reason: try json.string("reason"),
            orderCreatedAt: try json.int64("orderCreatedAt"), failedAt: try json.int64("failedAt"),
            schemaVersion: try json.int("schemaVersion"))
    }
}
