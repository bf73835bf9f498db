/// The events of the order flow. Every service encodes and decodes them through this one
/// module, so the wire format cannot drift between producer and consumers.
public protocol OrderFlowEvent: Codable, Hashable, Sendable {
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
public let currentSchemaVersion = 1

/// An order was written to the order database as PENDING_PAYMENT.
public struct OrderCreatedEvent: OrderFlowEvent {
    public static let eventType = "OrderCreated"
    public static let topic = Topic.orderCreated

    public var schemaVersion: Int
    public var eventId: String
    public var orderId: String
    public var customerId: String
    public var amountCents: Int
    public var currency: String
    /// Virtual milliseconds when the order was committed.
    public var createdAt: Int64

    public init(
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

    public func write(to json: inout FlatJSONWriter) {
        json.field("amountCents", amountCents)
        json.field("createdAt", createdAt)
        json.field("currency", currency)
        json.field("customerId", customerId)
        json.field("eventId", eventId)
        json.field("orderId", orderId)
        json.field("schemaVersion", schemaVersion)
    }

    public init(json: FlatJSONObject) throws(PoisonRecord) {
        self.init(
            eventId: try json.string("eventId"), orderId: try json.string("orderId"),
            customerId: try json.string("customerId"), amountCents: try json.int("amountCents"),
            currency: try json.string("currency"), createdAt: try json.int64("createdAt"),
            schemaVersion: try json.int("schemaVersion"))
    }
}

/// The payment provider charged the order.
public struct PaymentCompletedEvent: OrderFlowEvent {
    public static let eventType = "PaymentCompleted"
    public static let topic = Topic.paymentCompleted

    public var schemaVersion: Int
    public var eventId: String
    public var orderId: String
    public var amountCents: Int
    public var currency: String
    /// The provider's id for the charge.
    public var chargeId: String
    /// Virtual milliseconds when the order was created, carried along for end-to-end timing.
    public var orderCreatedAt: Int64
    public var completedAt: Int64

    public init(
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

    public func write(to json: inout FlatJSONWriter) {
        json.field("amountCents", amountCents)
        json.field("chargeId", chargeId)
        json.field("completedAt", completedAt)
        json.field("currency", currency)
        json.field("eventId", eventId)
        json.field("orderCreatedAt", orderCreatedAt)
        json.field("orderId", orderId)
        json.field("schemaVersion", schemaVersion)
    }

    public init(json: FlatJSONObject) throws(PoisonRecord) {
        self.init(
            eventId: try json.string("eventId"), orderId: try json.string("orderId"),
            amountCents: try json.int("amountCents"),
            currency: try json.string("currency"), chargeId: try json.string("chargeId"),
            orderCreatedAt: try json.int64("orderCreatedAt"), completedAt: try json.int64("completedAt"),
            schemaVersion: try json.int("schemaVersion"))
    }
}

/// The payment provider declined the charge.
public struct PaymentFailedEvent: OrderFlowEvent {
    public static let eventType = "PaymentFailed"
    public static let topic = Topic.paymentFailed

    public var schemaVersion: Int
    public var eventId: String
    public var orderId: String
    public var amountCents: Int
    public var currency: String
    public var reason: String
    public var orderCreatedAt: Int64
    public var failedAt: Int64

    public init(
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

    public func write(to json: inout FlatJSONWriter) {
        json.field("amountCents", amountCents)
        json.field("currency", currency)
        json.field("eventId", eventId)
        json.field("failedAt", failedAt)
        json.field("orderCreatedAt", orderCreatedAt)
        json.field("orderId", orderId)
        json.field("reason", reason)
        json.field("schemaVersion", schemaVersion)
    }

    public init(json: FlatJSONObject) throws(PoisonRecord) {
        self.init(
            eventId: try json.string("eventId"), orderId: try json.string("orderId"),
            amountCents: try json.int("amountCents"),
            currency: try json.string("currency"), reason: try json.string("reason"),
            orderCreatedAt: try json.int64("orderCreatedAt"), failedAt: try json.int64("failedAt"),
            schemaVersion: try json.int("schemaVersion"))
    }
}
