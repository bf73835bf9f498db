import Bus
import Events
import Foundation
import GRDB
import Services
import Simulation
import Testing

/// The mechanics behind the lessons, one at a time: the outbox and its relay, idempotency at
/// the provider and in both consumers, the optimistic design, cancel, the sweep and the journey.
@Suite struct LessonMechanicsTests {
    func sim(_ change: (inout OrderflowConfig) -> Void = { _ in }) throws -> Simulation {
        try Simulation(config: testConfig(change))
    }

    @Test func theOutboxKeepsEachKeysOrderAndWaitsOutRefusedSendsWithoutCountingALoss() throws {
        let sim = try sim {
            $0.flow.publish = .outbox
            $0.providerFailureRate = 0
        }
        sim.perform(.stop(.payment))
        sim.perform(.rejectSends(3))
        sim.perform(.placeOrders(6))
        #expect(sim.relay.pending == 6)
        sim.advance(to: seconds(0.15))
        // The first pass met a refusal and stopped; nothing overtook the refused row.
        #expect(sim.relay.pending == 6)
        #expect(sim.checkInvariants()[.ordersWithoutEvent] == 0, "rows waiting in the outbox are late, not lost")
        sim.advance(to: seconds(2))
        #expect(sim.relay.pending == 0)
        let rows = try sim.orderService.database.read { db in
            try String.fetchAll(db, sql: "SELECT order_id FROM outbox ORDER BY id")
        }
        var logged: [String] = []
        for tp in sim.cluster.partitions(of: Topic.orderCreated) {
            logged += sim.cluster.records(tp, from: 0, limit: 100).map(\.keyString)
        }
        #expect(logged.sorted() == rows.sorted())
        for tp in sim.cluster.partitions(of: Topic.orderCreated) {
            let keys = sim.cluster.records(tp, from: 0, limit: 100).map(\.keyString)
            #expect(keys == rows.filter { keys.contains($0) }, "per partition, the log follows the outbox's id order")
        }
        sim.perform(.start(.payment))
        #expect(sim.runUntilDrained(deadline: seconds(60)))
        #expect(sim.checkInvariants() == InvariantCounts())
    }

    @Test func crashMidPublishWithTheOutboxLosesNothing() throws {
        let sim = try sim { $0.flow.publish = .outbox }
        sim.perform(.crashMidPublish(downtime: .seconds(3)))
        let placed = try #require(sim.placeOrder())
        #expect(placed.published == nil && placed.publishError == nil)
        sim.advance(to: seconds(2))
        #expect(sim.relay.state == .down)
        #expect(sim.relay.pending == 1)
        #expect(sim.runUntilDrained(deadline: seconds(60)))
        #expect(sim.checkInvariants()[.ordersWithoutEvent] == 0)
        #expect(sim.count(.pendingPayment) == 0)
    }

    @Test func aRelayCrashPublishesTheRowTwiceWithOneEventId() throws {
        let sim = try sim {
            $0.flow.publish = .outbox
            $0.flow.idempotency = .on
            $0.providerFailureRate = 0
        }
        sim.perform(.crashOutboxRelay)
        let placed = try #require(sim.placeOrder())
        #expect(sim.runUntilDrained(deadline: seconds(60)))
        let tp = TopicPartition(
            Topic.orderCreated, KafkaPartitioner.partition(forKey: Array(placed.orderId.utf8), partitionCount: 3))
        let copies = sim.cluster.records(tp, from: 0, limit: 10).filter { $0.keyString == placed.orderId }
        #expect(copies.count == 2)
        #expect(Set(copies.map(\.headers.eventId)).count == 1)
        #expect(sim.dedupHits[.payment] == 1)
        #expect(sim.provider.successfulCharges == 1)
        #expect(sim.checkInvariants() == InvariantCounts())
    }

    @Test func theProviderAnswersARepeatedKeyWithoutCharging() throws {
        let provider = try PaymentProvider(location: .inMemory, seed: 1, latency: 10...10, failureRate: 0)
        let first = try provider.charge(
            orderId: "o1", amountCents: 500, currency: "EUR", idempotencyKey: "o1", now: .zero)
        let second = try provider.charge(
            orderId: "o1", amountCents: 500, currency: "EUR", idempotencyKey: "o1", now: .zero)
        #expect(first == second)
        #expect(provider.successfulCharges == 1)
        #expect(provider.idempotentReplays == 1)
        _ = try provider.charge(orderId: "o1", amountCents: 500, currency: "EUR", idempotencyKey: nil, now: .zero)
        #expect(provider.successfulCharges == 2, "without a key every call is a charge")
    }

    /// The result could not be published: the record is read again, the provider charges
    /// nothing more, and the stored result goes out under its original event id.
    @Test func aFailedResultPublishIsRetriedFromTheRecordedPayment() throws {
        let sim = try sim {
            $0.flow.idempotency = .on
            $0.providerFailureRate = 0
        }
        sim.perform(.placeOrders(1))
        sim.advance(to: seconds(0.01))
        sim.perform(.rejectSends(1))
        #expect(sim.runUntilDrained(deadline: seconds(60)))
        #expect(sim.provider.successfulCharges == 1)
        #expect(sim.paymentService.dedupHits == 1)
        #expect(sim.count(.confirmed) == 1)
        #expect(sim.notificationService.emailsSent == 1)
        #expect(sim.checkInvariants() == InvariantCounts())
    }

    @Test func withoutIdempotencyTheSameFailedPublishChargesTwice() throws {
        let sim = try sim { $0.providerFailureRate = 0 }
        sim.perform(.placeOrders(1))
        sim.advance(to: seconds(0.01))
        sim.perform(.rejectSends(1))
        #expect(sim.runUntilDrained(deadline: seconds(60)))
        #expect(sim.provider.successfulCharges == 2)
        #expect(sim.checkInvariants()[.doubleCharges] == 1)
    }

    @Test func optimisticOrdersAreConfirmedAndEmailedAtOnceAndNeverEmailedTwice() throws {
        let sim = try sim {
            $0.flow.design = .optimistic
            $0.providerFailureRate = 0
        }
        sim.perform(.stop(.payment))
        let placed = try #require(sim.placeOrder())
        #expect(placed.status == .confirmed)
        #expect(try sim.emailRows() == [placed.orderId])
        sim.advance(to: seconds(2))
        #expect(sim.checkInvariants()[.confirmedWithoutCharge] == 1)
        #expect(sim.checkInvariants()[.emailsWithoutCharge] == 1)
        sim.perform(.start(.payment))
        #expect(sim.runUntilDrained(deadline: seconds(60)))
        #expect(try sim.emailRows() == [placed.orderId], "the hook's email was the only one")
        #expect(sim.orderService.ignoredTransitions == 0)
        #expect(sim.checkInvariants() == InvariantCounts())
    }

    @Test func aDeclinedOptimisticOrderEndsPaymentFailedWithItsEmailAlreadySent() throws {
        let sim = try sim {
            $0.flow.design = .optimistic
            $0.providerFailureRate = 1
        }
        let placed = try #require(sim.placeOrder())
        #expect(sim.runUntilDrained(deadline: seconds(60)))
        #expect(try sim.orderService.order(placed.orderId)?.status == .paymentFailed)
        #expect(sim.checkInvariants()[.emailsWithoutCharge] == 1)
        #expect(sim.checkInvariants()[.confirmedWithoutCharge] == 0)
    }

    @Test func aCancelWinsOverALatePaymentWhichThenNeedsARefund() throws {
        let sim = try sim { $0.providerFailureRate = 0 }
        sim.perform(.stop(.payment))
        let placed = try #require(sim.placeOrder())
        #expect(sim.cancel(placed.orderId))
        #expect(!sim.cancel(placed.orderId), "only PENDING_PAYMENT can be cancelled")
        sim.perform(.start(.payment))
        #expect(sim.runUntilDrained(deadline: seconds(60)))
        #expect(try sim.orderService.order(placed.orderId)?.status == .cancelled)
        #expect(sim.orderService.ignoredTransitions == 1)
        #expect(sim.checkInvariants()[.refundNeeded] == 1)
        #expect(sim.reconcile()[.chargedNotConfirmed] == [placed.orderId])
        // The email follows the payment, not the order: the customer was told "confirmed" too.
        #expect(sim.checkInvariants()[.emailsAfterCancel] == 1)
        #expect(sim.invariantViolations()[.emailsAfterCancel] == [placed.orderId])
        #expect(try ReconciliationReport.sweep(sim.records, at: sim.now)[.emailsAfterCancel] == [placed.orderId])
    }

    @Test func repairSkipsACancelledOrderSoItIsNeverCharged() throws {
        let sim = try sim { $0.providerFailureRate = 0 }
        sim.perform(.crashMidPublish(downtime: .seconds(1)))
        let lost = try #require(sim.placeOrder())
        sim.advance(by: .seconds(2))
        let kept = try #require(sim.placeOrder())
        sim.perform(.crashMidPublish(downtime: .seconds(1)))
        let lostAndKept = try #require(sim.placeOrder())
        sim.advance(by: .seconds(2))
        #expect(sim.cancel(lost.orderId))
        guard case .swept(let repair) = sim.perform(.repair) else {
            Issue.record("repair answers with its sweep")
            return
        }
        #expect(Set(repair[.ordersWithoutEvent]) == [lost.orderId, lostAndKept.orderId])
        #expect(repair.republished == 1, "only the order still waiting is republished")
        #expect(sim.runUntilDrained(deadline: seconds(120)))
        #expect(try sim.orderService.order(lost.orderId)?.status == .cancelled)
        #expect(try sim.orderService.order(lostAndKept.orderId)?.status == .confirmed)
        #expect(try sim.orderService.order(kept.orderId)?.status == .confirmed)
        #expect(sim.provider.successfulCharges == 2, "the cancelled order was never charged")
        #expect(sim.checkInvariants()[.refundNeeded] == 0)
    }

    @Test func theJourneyFollowsAnOrderThroughEveryService() throws {
        let sim = try sim {
            $0.flow.idempotency = .on
            $0.providerFailureRate = 0
        }
        let placed = try #require(sim.placeOrder())
        #expect(sim.runUntilDrained(deadline: seconds(60)))
        let journey = try #require(sim.journey(of: placed.orderId))
        #expect(
            journey.steps.map(\.what) == [
                "database commit", "publish", "consumed by payment-service", "provider charge",
                "publish result", "order-service", "email sent",
            ])
        #expect(journey.steps.allSatisfy { $0.mark == .done && $0.time != nil })
        let metadata = try #require(placed.published)
        #expect(journey.steps[1].detail == "order.created \(metadata.partition)@\(metadata.offset)")
        #expect(journey.steps[3].detail.hasSuffix("idempotency key \(placed.orderId.prefix(8))"))
        #expect(sim.findOrder(String(placed.orderId.prefix(8))) == placed.orderId)
    }

    @Test func theJourneyOfALostOrderSaysWhereItStopped() throws {
        let sim = try sim()
        sim.perform(.crashMidPublish(downtime: nil))
        let placed = try #require(sim.placeOrder())
        #expect(sim.runUntilDrained(deadline: seconds(60)))
        let journey = try #require(sim.journey(of: placed.orderId))
        #expect(journey.steps[1].what == "publish")
        #expect(journey.steps[1].mark == .missing)
        #expect(journey.steps[1].detail == "never published to order.created")
        #expect(journey.text().contains("!!  publish: never published to order.created"))
    }
}

/// The journey tells the order's story in the order it happened.
@Suite struct JourneyOrderTests {
    func timesAreInOrder(_ journey: OrderJourney) -> Bool {
        let times = journey.steps.compactMap(\.time)
        return zip(times, times.dropFirst()).allSatisfy { $0 <= $1 }
    }

    @Test func withTheOutboxTheRowIsMarkedAfterItsPublish() throws {
        let sim = try Simulation(config: testConfig { $0.flow.publish = .outbox })
        let placed = try #require(sim.placeOrder())
        #expect(sim.runUntilDrained(deadline: seconds(60)))
        let journey = try #require(sim.journey(of: placed.orderId))
        let what = journey.steps.map(\.what)
        let publish = try #require(what.firstIndex(of: "publish"))
        let marked = try #require(what.firstIndex(of: "outbox relay"))
        #expect(publish < marked, "\(what)")
        #expect(timesAreInOrder(journey))
    }

    @Test func aDeclinedChargeIsAFailureNotASuccess() throws {
        let sim = try Simulation(config: testConfig { $0.providerFailureRate = 1 })
        let placed = try #require(sim.placeOrder())
        #expect(sim.runUntilDrained(deadline: seconds(60)))
        let journey = try #require(sim.journey(of: placed.orderId))
        let charge = try #require(journey.steps.first { $0.what == "provider charge" })
        #expect(charge.mark == .failed)
        #expect(journey.text().contains(" no  provider charge: declined"))
        #expect(timesAreInOrder(journey))
    }
}
