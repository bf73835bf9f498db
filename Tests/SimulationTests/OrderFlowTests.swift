import Bus
import Events
import Foundation
import GRDB
import Services
import Simulation
import Testing

@Suite struct OrderFlowTests {
    @Test func happyPathDrainsWithEveryOrderSettledAndOneEmailPerConfirmation() throws {
        let sim = try Simulation(config: testConfig { $0.providerFailureRate = 0.2 })
        sim.limitTraffic(to: 300)
        sim.perform(.setTrafficRate(5))
        sim.perform(.setTraffic(on: true))
        sim.advance(to: seconds(120))
        #expect(sim.trafficRemaining == 0)
        #expect(sim.runUntilDrained(deadline: seconds(600)))

        #expect(sim.orderService.board.total == 300)
        #expect(sim.count(.pendingPayment) == 0)
        #expect(sim.count(.confirmed) + sim.count(.paymentFailed) == 300)
        #expect(sim.count(.paymentFailed) > 0, "a 20% failure rate declines some of 300 charges")
        let confirmed = try sim.orderIds(with: .confirmed)
        let emails = try sim.emailRows()
        #expect(emails.sorted() == confirmed, "exactly one email per CONFIRMED order")
        #expect(sim.provider.successfulCharges == confirmed.count)
        #expect(sim.describeAll().allSatisfy { $0.lag == 0 })
        #expect(sim.checkInvariants() == InvariantCounts())
        #expect(sim.redeliveries == 0)
    }

    @Test func placingAnOrderAnswersPendingPaymentAndOnlyTheConsumerConfirms() throws {
        let sim = try Simulation(config: testConfig { $0.providerFailureRate = 0 })
        let placed = try #require(sim.placeOrder())
        #expect(placed.status == .pendingPayment)
        let metadata = try #require(placed.published)
        #expect(metadata.topic == Topic.orderCreated)
        #expect(metadata.partition == KafkaPartitioner.partition(forKey: Array(placed.orderId.utf8), partitionCount: 3))
        #expect(try sim.orderService.order(placed.orderId)?.status == .pendingPayment)
        sim.advance(to: seconds(5))
        #expect(try sim.orderService.order(placed.orderId)?.status == .confirmed)
        #expect(try sim.emailRows() == [placed.orderId])
    }

    @Test func paymentServiceStoppedForTwentyMinutesLeavesOrdersPendingThenDrains() throws {
        let sim = try Simulation(config: testConfig { $0.trafficRate = 0.5 })
        sim.perform(.setTraffic(on: true))
        sim.advance(to: seconds(60))
        sim.perform(.setTraffic(on: false))
        #expect(sim.runUntilDrained(deadline: seconds(120)))
        let confirmedBefore = sim.count(.confirmed)
        let failedBefore = sim.count(.paymentFailed)
        let emailsBefore = sim.notificationService.emailsSent
        let totalBefore = sim.orderService.board.total

        // A deploy: payment-service stops gracefully for 20 virtual minutes while orders keep coming.
        sim.perform(.stop(.payment))
        sim.advance(by: .seconds(1))
        #expect(sim.coordinator.state(ofGroup: ServiceName.payment.rawValue) == .empty)
        sim.perform(.setTraffic(on: true))
        sim.advance(by: .minutes(20))
        sim.perform(.setTraffic(on: false))
        let placedDuringOutage = sim.orderService.board.total - totalBefore
        #expect(placedDuringOutage > 400, "0.5 orders/s for 20 minutes")
        #expect(sim.count(.pendingPayment) == placedDuringOutage)
        #expect(sim.totalLag(.payment) == Int64(placedDuringOutage))
        #expect(sim.notificationService.emailsSent == emailsBefore)
        #expect(sim.count(.confirmed) == confirmedBefore && sim.count(.paymentFailed) == failedBefore)
        let during = sim.checkInvariants()
        #expect(during[.stuckPending] > 0)
        #expect(during[.confirmedWithoutCharge] == 0 && during[.emailsWithoutCharge] == 0)

        sim.perform(.start(.payment))
        #expect(sim.runUntilDrained(deadline: sim.now + .minutes(30)))
        #expect(sim.count(.pendingPayment) == 0)
        #expect(sim.count(.confirmed) + sim.count(.paymentFailed) == sim.orderService.board.total)
        #expect(sim.describeAll().allSatisfy { $0.lag == 0 })
        #expect(sim.checkInvariants() == InvariantCounts())
    }

    @Test func crashMidPublishLosesExactlyTheCommittedOrderAndRejectsOrdersWhileDown() throws {
        let sim = try Simulation(config: testConfig { $0.orderServiceCrashDowntime = .seconds(15) })
        sim.perform(.placeOrders(3))
        sim.advance(to: seconds(2))
        sim.perform(.crashMidPublish(downtime: nil))
        let lost = try #require(sim.placeOrder())
        #expect(lost.published == nil)
        #expect(sim.orderServiceDownUntil == seconds(17))
        #expect(sim.placeOrder() == nil, "orders are rejected while the order service is down")
        #expect(sim.rejectedOrders == 1)
        sim.advance(to: seconds(18))
        #expect(sim.placeOrder()?.published != nil)
        #expect(sim.runUntilDrained(deadline: seconds(300)))

        #expect(sim.invariantViolations()[.ordersWithoutEvent] == [lost.orderId])
        #expect(sim.checkInvariants()[.ordersWithoutEvent] == 1)
        #expect(try sim.orderService.order(lost.orderId)?.status == .pendingPayment)
        #expect(sim.count(.pendingPayment) == 1)
    }

    @Test func brokerRejectionsAreDualWriteLossesTheCallerSees() throws {
        let sim = try Simulation(config: testConfig())
        sim.perform(.rejectSends(2))
        let first = try #require(sim.placeOrder())
        let second = try #require(sim.placeOrder())
        let third = try #require(sim.placeOrder())
        #expect(first.publishError != nil && second.publishError != nil)
        #expect(third.published != nil)
        #expect(sim.invariantViolations()[.ordersWithoutEvent] == [first.orderId, second.orderId])
        #expect(
            sim.checkInvariants()[.ordersWithoutEvent] == 2, "a second check keeps them: nothing announced them since")
    }

    @Test func killingEveryPaymentInstanceKeepsPartitionsUntilTheSessionTimeoutThenLagGrows() throws {
        let sim = try Simulation(config: testConfig { $0.sessionTimeout = .seconds(10) })
        sim.advance(to: seconds(2))
        let group = ServiceName.payment.rawValue
        #expect(sim.coordinator.state(ofGroup: group) == .stable)
        sim.perform(.kill(.payment, instance: nil))
        sim.perform(.placeOrders(4))
        sim.advance(to: seconds(11.9))
        // Still assigned to the dead members: nobody reads, the group does not know yet.
        #expect(sim.coordinator.describe(group: group).rows.count == 3)
        #expect(sim.coordinator.describe(group: group).rows.allSatisfy { $0.consumerId != nil })
        #expect(sim.coordinator.state(ofGroup: group) == .stable)
        #expect(sim.count(.pendingPayment) == 4)
        sim.advance(to: seconds(12.1))
        #expect(sim.coordinator.state(ofGroup: group) == .empty)
        // Kafka's describe of an empty group: its message, and only committed partitions, ownerless.
        let empty = sim.coordinator.describe(group: group)
        #expect(empty.notice == "Consumer group 'payment-service' has no active members.")
        #expect(empty.rows.allSatisfy { $0.consumerId == nil && $0.currentOffset != nil })
        sim.perform(.placeOrders(3))
        let lag = sim.coordinator.partitionLags(group: group).reduce(Int64(0)) { $0 + $1.logEndOffset }
        #expect(lag == 7)
        sim.perform(.start(.payment))
        #expect(sim.runUntilDrained(deadline: seconds(120)))
        #expect(sim.count(.pendingPayment) == 0)
    }

    @Test func killingOnePaymentInstanceMovesItsPartitionsToTheSurvivorAfterTheTimeout() throws {
        let sim = try Simulation(config: testConfig())
        sim.advance(to: seconds(2))
        let snapshot = sim.snapshot()
        let payment = snapshot.instances.filter { $0.service == .payment }
        #expect(payment.map(\.partitions.count).sorted() == [1, 2], "range: 3 partitions over 2 members")
        sim.perform(.kill(.payment, instance: 2))
        sim.advance(to: seconds(11.5))
        #expect(sim.snapshot().instances.first { $0.clientId == "payment-service-2" }?.state == .killed)
        sim.advance(to: seconds(14))
        let survivor = try #require(sim.snapshot().instances.first { $0.clientId == "payment-service-1" })
        #expect(survivor.partitions.count == 3)
        #expect(sim.coordinator.state(ofGroup: ServiceName.payment.rawValue) == .stable)
    }

    @Test func poisonRecordIsCountedAndSteppedOver() throws {
        let sim = try Simulation(config: testConfig { $0.providerFailureRate = 0 })
        sim.perform(.poison(topic: Topic.orderCreated))
        sim.perform(.poison(topic: Topic.paymentCompleted))
        sim.perform(.placeOrders(20))
        #expect(sim.runUntilDrained(deadline: seconds(120)))
        #expect(sim.count(.confirmed) == 20)
        // One poison record for payment-service; the one on payment.completed reaches both of its groups.
        #expect(sim.poisonRecords == 3)
        #expect(sim.describeAll().allSatisfy { $0.lag == 0 || $0.logEndOffset == 0 })
    }

    @Test func autoCommitAndAKillBetweenProcessingAndCommitRedeliverAndDoubleCharge() throws {
        let sim = try Simulation(
            config: testConfig {
                $0.commit = .auto
                $0.autoCommitInterval = .seconds(5)
                $0.providerFailureRate = 0
                $0.services[.payment]!.instances = 1
            })
        sim.perform(.placeOrders(10))
        sim.advance(to: seconds(4))
        // Processed, not yet auto-committed: the next owner reads them again.
        #expect(sim.count(.confirmed) == 10)
        sim.perform(.kill(.payment, instance: nil))
        sim.perform(.start(.payment))
        #expect(sim.runUntilDrained(deadline: seconds(120)))
        #expect(sim.redeliveries >= 10)
        #expect(sim.provider.successfulCharges == 20, "no idempotency key: every redelivery charges again")
        #expect(sim.checkInvariants()[.doubleCharges] == 10)
        #expect(sim.orderService.ignoredTransitions == 10, "the duplicate PaymentCompleted events cannot confirm twice")
        #expect(sim.notificationService.emailsSent == 20)
    }

    @Test func stateGuardsIgnoreLateAndRepeatedResults() throws {
        let sim = try Simulation(config: testConfig())
        let placed = try #require(sim.placeOrder())
        #expect(sim.orderService.transition(placed.orderId, to: .cancelled, now: sim.now))
        #expect(!sim.orderService.transition(placed.orderId, to: .confirmed, now: sim.now))
        #expect(!sim.orderService.transition(placed.orderId, to: .paymentFailed, now: sim.now))
        #expect(try sim.orderService.order(placed.orderId)?.status == .cancelled)
        #expect(sim.orderService.ignoredTransitions == 2)
        #expect(sim.count(.cancelled) == 1 && sim.count(.pendingPayment) == 0)
    }

    @Test func databaseDirectoryHoldsWALFilesAnotherConnectionCanRead() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("orderflow-test-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sim = try Simulation(config: testConfig(), databases: .directory(dir))
        sim.perform(.placeOrders(5))
        sim.advance(to: seconds(10))
        for name in DatabaseLocation.fileNames { #expect(FileManager.default.fileExists(atPath: "\(dir)/\(name)")) }
        let reader = try DatabaseQueue(path: "\(dir)/orders.sqlite")
        let mode = try reader.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        #expect(
            try reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM orders WHERE status = 'CONFIRMED'")
            } == sim.count(.confirmed))
    }
}
