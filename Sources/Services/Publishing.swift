import Bus
import Events
import KafkaClient

/// Every event is keyed by its order id with the same headers and encoding, whoever writes it
/// (a service's producer, or the repair's direct produce), so they cannot differ between them.
extension OrderFlowEvent {
    package var recordKey: [UInt8] { Array(orderId.utf8) }
    package var recordHeaders: RecordHeaders {
        RecordHeaders(eventType: Self.eventType, eventId: eventId, correlationId: orderId)
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
