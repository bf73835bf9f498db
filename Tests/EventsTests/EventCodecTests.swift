import Events
import Foundation
import Testing

@Suite struct EventCodecTests {
    static let created = OrderCreatedEvent(
        eventId: "e-1", orderId: "o-\"1\"/\\é", customerId: "C-0001", amountCents: 12345,
        currency: "EUR", createdAt: 1500)
    static let completed = PaymentCompletedEvent(
        eventId: "e-2", orderId: "o-1", amountCents: 12345, currency: "EUR",
        chargeId: "ch_1", orderCreatedAt: 1500, completedAt: 1800)
    static let failed = PaymentFailedEvent(
        eventId: "e-3", orderId: "o-1", amountCents: -5, currency: "EUR",
        reason: "card\ndeclined\t\u{01}", orderCreatedAt: 1500, failedAt: 1900)

    func foundationBytes<E: Encodable>(_ event: E) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(event))
    }

    @Test func wireBytesEqualJSONEncoderWithSortedKeys() throws {
        #expect(EventCodec.encode(Self.created) == (try foundationBytes(Self.created)))
        #expect(EventCodec.encode(Self.completed) == (try foundationBytes(Self.completed)))
        #expect(EventCodec.encode(Self.failed) == (try foundationBytes(Self.failed)))
    }

    @Test func decodingRoundTripsAndReadsFoundationsOutput() throws {
        #expect(try EventCodec.decode(OrderCreatedEvent.self, from: EventCodec.encode(Self.created)) == Self.created)
        #expect(
            try EventCodec.decode(PaymentCompletedEvent.self, from: EventCodec.encode(Self.completed)) == Self.completed
        )
        #expect(try EventCodec.decode(PaymentFailedEvent.self, from: try foundationBytes(Self.failed)) == Self.failed)
        let spaced = Array(
            "{ \"amountCents\" : 1, \"createdAt\":2,\"currency\":\"EUR\",\"customerId\":\"c\",\"eventId\":\"e\",\"orderId\":\"\\u00e9\",\"schemaVersion\":1 }"
                .utf8)
        #expect(try EventCodec.decode(OrderCreatedEvent.self, from: spaced).orderId == "é")
    }

    @Test(
        "bytes that are not the event are poison",
        arguments: [
            "", "not json", "{\"eventId\":\"e\"}", "[1,2]", "{\"amountCents\":1.5}", "{\"a\":\"unterminated}",
            "{} trailing",
        ])
    func poison(text: String) {
        #expect(throws: PoisonRecord.self) { try EventCodec.decode(OrderCreatedEvent.self, from: Array(text.utf8)) }
    }

    @Test func anotherEventIsPoisonForThisTopic() {
        #expect(throws: PoisonRecord.self) {
            try EventCodec.decode(PaymentCompletedEvent.self, from: EventCodec.encode(Self.created))
        }
    }
}
