import Bus
import Events
import Foundation
import GRDB
import Services
import Simulation
import Testing

/// Dead-letter topics as Spring Kafka's DefaultErrorHandler with a DeadLetterPublishingRecoverer
/// runs them (`consumers.deadLetter`), against what was injected: a refused charge, a poison
/// record, a redrive.
@Suite struct DeadLetterTests {
    static func config(retries: Int = 2) -> OrderflowConfig {
        testConfig {
            $0.deadLetter = true
            $0.retries = retries
            $0.retryBackoff = .milliseconds(500)
            $0.providerLimitCents = 50_000
        }
    }

    static func deadLetters(_ sim: Simulation, of topic: String = Topic.orderCreated) -> [Bus.Record] {
        sim.cluster.partitions(of: Topic.deadLetter(of: topic)).flatMap { sim.cluster.records($0, from: 0, limit: 100) }
    }

    /// FixedBackOff(interval, retries): the first attempt and `retries` more, `retryBackoff`
    /// apart, then the record goes to `<topic>.DLT` on the same partition with Spring's headers,
    /// and the listener commits past it.
    @Test func aRefusedChargeIsTriedOnceAndRetriesTimesThenDeadLettered() throws {
        let sim = try Simulation(config: Self.config(retries: 2))
        sim.perform(.placeOrdersOfAmount(count: 1, amountCents: 75_000))
        sim.advance(to: seconds(0.9))
        #expect(Self.deadLetters(sim).isEmpty, "two retries 500ms apart are not over yet")
        sim.advance(to: seconds(3))
        let dead = try #require(Self.deadLetters(sim).first)
        #expect(Self.deadLetters(sim).count == 1)
        let original = try #require(
            sim.cluster.partitions(of: Topic.orderCreated).flatMap {
                sim.cluster.records($0, from: 0, limit: 10)
            }.first)
        #expect(dead.partition == original.partition)
        #expect(dead.key == original.key && dead.value == original.value)
        #expect(dead.headers.eventId == original.headers.eventId)
        let h = dead.headers
        #expect(h[DeadLetterHeader.originalTopic] == Topic.orderCreated)
        #expect(h[DeadLetterHeader.originalPartition] == String(original.partition))
        #expect(h[DeadLetterHeader.originalOffset] == String(original.offset))
        #expect(h[DeadLetterHeader.originalTimestamp] == String(original.timestamp.milliseconds))
        #expect(h[DeadLetterHeader.originalConsumerGroup] == "payment-service")
        #expect(
            h[DeadLetterHeader.exceptionFqcn] == "org.springframework.kafka.listener.ListenerExecutionFailedException")
        #expect(h[DeadLetterHeader.exceptionCauseFqcn] == "ProcessingError.providerRefused")
        #expect(
            h[DeadLetterHeader.exceptionMessage]?.contains("750.00 EUR is above the account's limit of 500.00") == true)
        // Committed past it, nothing charged, the order waits.
        sim.advance(to: seconds(5))
        #expect(sim.totalLag(.payment) == 0)
        #expect(sim.provider.successfulCharges == 0)
        #expect(sim.count(.pendingPayment) == 1)
        #expect(sim.deadLetters.byService == [.payment: 1])
        #expect(try ReconciliationReport.sweep(sim.records, at: sim.now)[.deadLettered].count == 1)
        #expect(sim.snapshot().deadLetter?.ordersWaiting == 1)
    }

    /// The attempts the provider saw: 1 + retries, whatever the retry count.
    @Test(arguments: [0, 1, 4])
    func theListenerReadsTheRecordOncePlusRetries(retries: Int) throws {
        let sim = try Simulation(config: Self.config(retries: retries))
        sim.perform(.placeOrdersOfAmount(count: 1, amountCents: 75_000))
        sim.advance(to: seconds(10))
        #expect(Self.deadLetters(sim).count == 1)
        // Each read after the first is a redelivery of the failed record.
        #expect(sim.redeliveries == retries)
    }

    /// Spring classifies a DeserializationException as not retryable: straight to the DLT.
    @Test func aPoisonRecordIsDeadLetteredWithoutARetry() throws {
        let sim = try Simulation(config: Self.config(retries: 9))
        sim.perform(.poison(topic: Topic.orderCreated))
        sim.advance(to: seconds(1))
        let dead = try #require(Self.deadLetters(sim).first)
        #expect(dead.headers[DeadLetterHeader.exceptionCauseFqcn] == DeadLetterHeader.deserialization)
        #expect(sim.redeliveries == 0)
        #expect(dead.value == Array("\u{00}not an event".utf8))
        // Poison on payment.completed is order-service's and notification-service's: both dead-letter it.
        sim.perform(.poison(topic: Topic.paymentCompleted))
        sim.advance(to: seconds(2))
        let both = Self.deadLetters(sim, of: Topic.paymentCompleted)
        #expect(
            Set(both.compactMap { $0.headers[DeadLetterHeader.originalConsumerGroup] }) == [
                "order-service", "notification-service",
            ])
        #expect(sim.deadLetters.byService == [.payment: 1, .order: 1, .notification: 1])
    }

    /// Spring's recoverer waits for the DLT's answer (`verifySendResult`): a refused send fails
    /// the recovery, the record is read again after the backoff and dead-lettered then.
    @Test func aDeadLetterSendThatFailsLeavesTheRecordToBeReadAgain() throws {
        let sim = try Simulation(config: Self.config(retries: 0))
        sim.perform(.poison(topic: Topic.orderCreated))
        sim.perform(.rejectSends(1))
        sim.advance(to: seconds(0.3))
        #expect(Self.deadLetters(sim).isEmpty && sim.cluster.rejectedSends == 1)
        #expect(sim.deadLetters.byService.isEmpty)
        sim.advance(to: seconds(2))
        #expect(Self.deadLetters(sim).count == 1)
        #expect(sim.deadLetters.byService == [.payment: 1])
        #expect(sim.redeliveries == 1)
        #expect(sim.totalLag(.payment) == 0)
    }

    /// A redrive sends what the DLT holds back, without the dead-letter headers, once: the
    /// order is charged once the cause is fixed, and a second redrive has nothing to send.
    @Test func aRedriveAfterTheFixChargesTheOrderOnce() throws {
        let sim = try Simulation(config: Self.config())
        sim.perform(.placeOrdersOfAmount(count: 1, amountCents: 75_000))
        sim.advance(to: seconds(5))
        #expect(sim.perform(.redrive) == .redriven(1))
        sim.advance(to: seconds(10))
        // The cause is not fixed yet: back in the DLT.
        #expect(Self.deadLetters(sim).count == 2)
        #expect(sim.count(.pendingPayment) == 1)
        sim.perform(.setProviderLimit(cents: 100_000))
        #expect(sim.perform(.redrive) == .redriven(1))
        #expect(sim.perform(.redrive) == .redriven(0))
        #expect(sim.runUntilDrained(deadline: seconds(60)))
        #expect(sim.count(.confirmed) == 1)
        #expect(sim.provider.successfulCharges == 1)
        let redriven = sim.cluster.partitions(of: Topic.orderCreated).flatMap {
            sim.cluster.records($0, from: 0, limit: 10)
        }
        #expect(redriven.count == 3)
        #expect(redriven.allSatisfy { $0.headers.extra.isEmpty })
        let sweep = try ReconciliationReport.sweep(sim.records, at: sim.now)
        #expect(sweep.isClean, "a redriven copy is not a second OrderCreatedEvent")
    }

    /// Without dead-letter topics nothing changes: the refused record is read again until it
    /// succeeds, its partition waits, and a redrive has nowhere to read from.
    @Test func withoutDeadLetterTopicsARefusedRecordBlocksItsPartition() throws {
        let sim = try Simulation(config: testConfig { $0.providerLimitCents = 50_000 })
        #expect(sim.cluster.topics.map(\.name) == Topic.all)
        sim.perform(.placeOrdersOfAmount(count: 1, amountCents: 75_000))
        sim.advance(to: seconds(30))
        let waiting = sim.coordinator.partitionLags(group: "payment-service").filter { $0.logEndOffset == 1 }
        #expect(waiting.count == 1 && (waiting.first?.currentOffset ?? 0) == 0)
        #expect(sim.count(.pendingPayment) == 1)
        #expect(sim.redeliveries > 20)
        #expect(sim.perform(.redrive) == .redriven(nil))
        sim.perform(.setProviderLimit(cents: 100_000))
        #expect(sim.runUntilDrained(deadline: seconds(60)))
        #expect(sim.count(.confirmed) == 1)
    }

    /// Random faults with dead-letter topics and a provider that refuses a fifth of the orders:
    /// no order is silently gone. Every order still pending is one the sweep lists as
    /// dead-lettered, and each refused one is among them; once the limit is lifted and the DLTs
    /// redriven, every order settles and nothing is charged twice.
    @Test func deadLetteredOrdersAreNeverSilentlyGone() throws {
        var refused = 0
        for seed in 0..<UInt64(FaultPropertyTests.schedules / 5) {
            let run = try FaultPropertyTests.runSchedule(
                seed: seed, flow: FlowSettings(design: .honest, publish: .outbox, idempotency: .on), deadLetter: true)
            let sim = run.sim
            let label = "seed \(seed) (\(run.config))"
            let sweep = try ReconciliationReport.sweep(sim.records, at: sim.now)
            let pending = try sim.orderIds(with: .pendingPayment)
            #expect(Set(pending) == Set(sweep[.deadLettered]), "\(label): every pending order is dead-lettered")
            let overLimit = try sim.orderService.database.read { db in
                try String.fetchAll(
                    db, sql: "SELECT id FROM orders WHERE amount_cents > 20000 AND status != 'CANCELLED' ORDER BY id")
            }
            #expect(Set(overLimit).isSubset(of: Set(sweep[.deadLettered])), "\(label): each refused order")
            refused += overLimit.count
            sim.perform(.setProviderLimit(cents: 100_000))
            // A refusal the faults left armed stops a redrive where it is; the next one goes on from there.
            for _ in 0..<40 {
                sim.perform(.redrive)
                #expect(sim.runUntilDrained(deadline: sim.now + .minutes(30)), "\(label) did not drain")
                if try sim.orderIds(with: .pendingPayment).isEmpty && sim.cluster.pendingRejections == 0 { break }
            }
            #expect(try sim.orderIds(with: .pendingPayment).isEmpty, "\(label): settled after the redrive")
            let after = try ReconciliationReport.sweep(sim.records, at: sim.now)
            #expect(after[.deadLettered].isEmpty && after[.doubleCharges].isEmpty, "\(label)")
            #expect(try sim.checkInvariantsStrictly()[.doubleCharges] == 0, "\(label)")
        }
        #expect(refused > 0)
    }
}
