/// What state an order is written in when it is created.
package enum OrderDesign: String, CaseIterable, Codable, Sendable {
    /// PENDING_PAYMENT until payment.completed is consumed: the state claims only what is known.
    case honest
    /// The design behind the 312-order incident: CONFIRMED on creation, a hook on that write sends
    /// the confirmation email, and only then is OrderCreatedEvent published.
    case optimistic
}

/// How the order service gets OrderCreatedEvent onto the bus.
package enum PublishStrategy: String, CaseIterable, Codable, Sendable {
    /// Commit, then send: a crash or a refused send in between loses the event (the dual write).
    case bestEffort = "best-effort"
    /// The order and an outbox row commit in one transaction; a relay publishes the row later.
    case outbox
}

/// Whether the payment and notification services tolerate the same event twice.
package enum Idempotency: String, CaseIterable, Codable, Sendable {
    /// The provider gets the order id as idempotency key; both consumers record processed event ids.
    case on
    case off

    package var isOn: Bool { self == .on }
}

/// The three switches a trainer flips, together: each applies to work that starts after the flip.
package struct FlowSettings: Equatable, Codable, Sendable {
    package var design: OrderDesign
    package var publish: PublishStrategy
    package var idempotency: Idempotency

    package init(design: OrderDesign = .honest, publish: PublishStrategy = .bestEffort, idempotency: Idempotency = .off)
    {
        self.design = design
        self.publish = publish
        self.idempotency = idempotency
    }
}
