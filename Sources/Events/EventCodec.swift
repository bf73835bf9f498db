/// The wire format: flat JSON with sorted keys, so the same event always encodes to the same
/// bytes and runs stay byte-for-byte reproducible.
package enum EventCodec {
    package static func encode<E: OrderFlowEvent>(_ event: E) -> [UInt8] {
        var writer = FlatJSONWriter()
        event.write(to: &writer)
        return writer.finish()
    }

    /// Decodes a record value; a failure means the record is a poison message.
    package static func decode<E: OrderFlowEvent>(_ type: E.Type, from bytes: [UInt8]) throws(PoisonRecord) -> E {
        try E(json: FlatJSONObject(parsing: bytes, as: E.eventType))
    }
}

/// A record whose bytes are not the event its topic promises.
package struct PoisonRecord: Error, Sendable, CustomStringConvertible {
    package var expectedType: String
    package var reason: String

    package init(expectedType: String, reason: String) {
        self.expectedType = expectedType
        self.reason = reason
    }

    package var description: String { "not a valid \(expectedType) event: \(reason)" }
}
