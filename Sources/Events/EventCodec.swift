import Foundation

/// JSON with sorted keys: the same event always encodes to the same bytes, which keeps runs
/// byte-for-byte reproducible.
public enum EventCodec {
    public static func encode<E: OrderFlowEvent>(_ event: E) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain structs of strings and integers cannot fail.
        return Array(try! encoder.encode(event))
    }

    /// Decodes a record value; a failure means the record is a poison message.
    public static func decode<E: OrderFlowEvent>(_ type: E.Type, from bytes: [UInt8]) throws(PoisonRecord) -> E {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch {
            throw PoisonRecord(expectedType: E.eventType, reason: String(describing: error))
        }
    }
}

/// A record whose bytes are not the event its topic promises.
public struct PoisonRecord: Error, Sendable, CustomStringConvertible {
    public var expectedType: String
    public var reason: String

    public init(expectedType: String, reason: String) {
        self.expectedType = expectedType
        self.reason = reason
    }

    public var description: String { "not a valid \(expectedType) event: \(reason)" }
}
