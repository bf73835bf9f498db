import Bus
import Events

extension Broker {
    /// Encodes the event and sends it keyed by its order id, with the usual headers: every
    /// service publishes through here, so key, headers and encoding cannot differ between them.
    @discardableResult
    public func publish<E: OrderFlowEvent>(_ event: E, now: VirtualTime) throws(BrokerError) -> RecordMetadata {
        try send(
            topic: E.topic, key: Array(event.orderId.utf8), value: EventCodec.encode(event),
            headers: RecordHeaders(eventType: E.eventType, eventId: event.eventId, correlationId: event.orderId),
            timestamp: now)
    }
}
