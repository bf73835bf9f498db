import Bus
import Events
import KafkaClient
import Logging
import Testing

@testable import Services

/// The services alone, on a bare cluster with their Kafka producer and in-memory databases:
/// what each one commits, publishes and refuses, with no simulation or clock around them.
@Suite struct ServiceTests {
    let cluster = Cluster(
        topics: Topic.all.map { TopicConfig(name: $0, partitions: 3) }, retention: 1000)
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    let at = VirtualTime(milliseconds: 1000)

    func orderService() throws -> OrderService {
        try OrderService(
            location: .inMemory,
            producer: Producer(clientId: "order-service", cluster: cluster, config: ProducerConfig()),
            logger: logger)
    }

    func place(_ service: OrderService, _ id: String, _ settings: FlowSettings = FlowSettings()) throws -> PlacedOrder {
        try service.placeOrder(
            orderId: id, eventId: "e-\(id)", customerId: "C-1", amountCents: 1999, currency: "EUR", now: at,
            settings: settings)
    }

    /// Every record of `topic`, partition by partition.
    func records(_ topic: String) -> [Record] {
        cluster.partitions(of: topic).flatMap { cluster.records($0, from: 0, limit: 100) }
    }

    /// Best-effort: the commit happens, the send is refused, and no event announces the order.
    @Test func bestEffortCommitsEvenWhenTheSendIsRejected() throws {
        let service = try orderService()
        cluster.rejectNextSends(1)
        let lost = try place(service, "o-1")
        #expect(lost.status == .pendingPayment && lost.published == nil && lost.publishError != nil)
        #expect(try service.order("o-1")?.status == .pendingPayment, "committed all the same")
        #expect(records(Topic.orderCreated).isEmpty)
        #expect(service.eventsLostToProducerErrors == 1)

        let sent = try place(service, "o-2")
        let metadata = try #require(sent.published)
        #expect(cluster.record(metadata.topicPartition, at: metadata.offset)?.keyString == "o-2")
    }

    /// The outbox: the order and its row commit together; nothing is in the log until the relay's pass.
    @Test func theOutboxHoldsTheEventUntilTheRelayPublishesIt() throws {
        let service = try orderService()
        let placed = try place(service, "o-1", FlowSettings(publish: .outbox))
        #expect(placed.published == nil && placed.publishError == nil)
        #expect(records(Topic.orderCreated).isEmpty && service.outbox.pending == 1)
        let relay = OutboxRelay(
            outbox: service.outbox, producer: Producer(clientId: "relay", cluster: cluster, config: ProducerConfig()),
            logger: logger)
        #expect(try relay.runPass(now: at, batch: 10) == .published(1))
        #expect(records(Topic.orderCreated).map(\.keyString) == ["o-1"] && relay.pending == 0)
    }

    /// Only PENDING_PAYMENT moves on: a payment that lands after a cancel leaves it CANCELLED.
    @Test func aLatePaymentNeverUndoesACancel() throws {
        let service = try orderService()
        _ = try place(service, "o-1")
        _ = try place(service, "o-2")
        #expect(service.cancel("o-1", now: at))
        #expect(!service.transition("o-1", to: .confirmed, now: at))
        #expect(service.transition("o-2", to: .confirmed, now: at))
        #expect(try service.order("o-1")?.status == .cancelled)
        #expect(try service.order("o-2")?.status == .confirmed)
        #expect(!service.cancel("o-2", now: at), "a CONFIRMED order cannot be cancelled")
    }

    /// The provider's idempotency key: the same key gets the first answer back and no second charge.
    @Test func theProvidersIdempotencyKeyChargesOnce() throws {
        let provider = try PaymentProvider(location: .inMemory, seed: 7, latency: 10...10, failureRate: 0)
        let first = try provider.charge(orderId: "o-1", amountCents: 5, currency: "EUR", idempotencyKey: "o-1", now: at)
        let again = try provider.charge(orderId: "o-1", amountCents: 5, currency: "EUR", idempotencyKey: "o-1", now: at)
        #expect(first == again && provider.successfulCharges == 1 && provider.idempotentReplays == 1)
        _ = try provider.charge(orderId: "o-2", amountCents: 5, currency: "EUR", idempotencyKey: nil, now: at)
        _ = try provider.charge(orderId: "o-2", amountCents: 5, currency: "EUR", idempotencyKey: nil, now: at)
        #expect(provider.successfulCharges == 3, "without a key, every call is a charge")
    }

    /// A repeated payment.completed: one email with idempotency on, two with it off.
    @Test func notificationsDedupRepeatsOnlyWithIdempotency() throws {
        let event = PaymentCompletedEvent(
            eventId: "p-1", orderId: "o-1", amountCents: 5, currency: "EUR", chargeId: "ch_1", orderCreatedAt: 0,
            completedAt: 1)
        try cluster.produce(
            topic: Topic.paymentCompleted, key: event.recordKey, value: EventCodec.encode(event),
            headers: event.recordHeaders, timestamp: at, acks: .leader)
        let record = try #require(records(Topic.paymentCompleted).first)
        let on = try NotificationService(location: .inMemory, logger: logger)
        try on.handle(record, now: at, idempotency: .on)
        try on.handle(record, now: at, idempotency: .on)
        #expect(on.emailsSent == 1 && on.dedupHits == 1)
        let off = try NotificationService(location: .inMemory, logger: logger)
        try off.handle(record, now: at, idempotency: .off)
        try off.handle(record, now: at, idempotency: .off)
        #expect(off.emailsSent == 2 && off.dedupHits == 0)
    }
}
