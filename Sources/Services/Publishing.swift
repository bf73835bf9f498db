import Bus
import Events

/// Every service publishes an event keyed by its order id with the same headers and encoding,
/// through one of these two, so key, headers and encoding cannot differ between them.
extension OrderFlowEvent {
    var recordKey: [UInt8] { Array(orderId.utf8) }
    var recordHeaders: RecordHeaders {
        RecordHeaders(eventType: Self.eventType, eventId: eventId, correlationId: orderId)
    }
}

extension Cluster {
    /// Appends the event directly (the repair's republish; `Producer.publish` for the services).
    @discardableResult
    package func publish<E: OrderFlowEvent>(_ event: E, now: VirtualTime) throws(BrokerError) -> RecordMetadata {
        try send(
            topic: E.topic, key: event.recordKey, value: EventCodec.encode(event), headers: event.recordHeaders,
            timestamp: now)
    }
}

extension Producer {
    /// Sends the event with this producer's acks, retries and idempotence: the answer, if it
    /// is known at once, else nil and `later` gets it (see `send`).
    @discardableResult
    package func publish<E: OrderFlowEvent>(_ event: E, now: VirtualTime, later: @escaping Completion) -> Outcome? {
        send(
            topic: E.topic, key: event.recordKey, value: EventCodec.encode(event), headers: event.recordHeaders,
            now: now, later: later)
    }
}
