import Bus
import Events
import Services
import Simulation
import Testing

/// The Java consumer's rules as the services' consumer loops reproduce them: auto.offset.reset,
/// auto-commit, max.poll.records, the commit modes of Spring Kafka's listener container, and
/// max.poll.interval.ms.
@Suite struct ConsumerRulesTests {
    let payment = ServiceName.payment.rawValue

    func committed(_ sim: Simulation) -> [Int64?] {
        sim.coordinator.partitionLags(group: payment).map(\.currentOffset)
    }

    /// Kafka's default `auto.offset.reset=latest`: a partition the group never committed is read
    /// from its end after the owner changes. Its backlog is skipped for good; earliest reads it.
    @Test(arguments: [OffsetReset.latest, .earliest])
    func aPartitionThatNeverCommittedIsReadFromTheResetPosition(reset: OffsetReset) throws {
        let sim = try Simulation(
            config: testConfig {
                $0.autoOffsetReset = reset
                $0.services[.payment]!.instances = 1
            })
        sim.perform(.kill(.payment, instance: nil))
        sim.perform(.placeOrders(6))
        sim.perform(.start(.payment))
        #expect(sim.runUntilDrained(deadline: seconds(60)) == (reset == .earliest))
        #expect(sim.count(.pendingPayment) == (reset == .latest ? 6 : 0))
        if reset == .latest {
            // Read from the end, nothing processed: a batch commit never came, so no partition has
            // a committed offset, and the six orders were never read.
            #expect(sim.coordinator.partitionLags(group: payment).allSatisfy { $0.currentOffset == nil })
            #expect(sim.redeliveries == 0 && sim.provider.successfulCharges == 0)
        }
    }

    /// Ported from Kafka's `ConsumerCoordinatorTest.testAutoCommitDynamicAssignment`: nothing is
    /// committed before the interval; then, inside poll, the position of every assigned
    /// partition, read or not (lag 0 where a per-record commit would leave `-`).
    @Test func autoCommitCommitsEveryAssignedPartitionEachInterval() throws {
        let sim = try Simulation(
            config: testConfig {
                $0.commit = .auto
                $0.autoCommitInterval = .seconds(5)
                $0.providerFailureRate = 0
                $0.services[.payment]!.instances = 1
            })
        let orders = (0..<4).compactMap { _ in sim.placeOrder() }
        sim.advance(to: seconds(4.9))
        #expect(sim.count(.confirmed) == 4)
        #expect(committed(sim) == [nil, nil, nil], "no commit before the interval")
        sim.advance(to: seconds(5.2))
        let ends = sim.cluster.partitions(of: Topic.orderCreated).map { sim.cluster.logEndOffset($0) }
        #expect(committed(sim) == ends.map { Optional($0) })
        #expect(sim.coordinator.totalLag(group: payment) == 0)
        #expect(orders.count == 4)
        // Every partition of order-service's group too, payment.failed ones included.
        let order = sim.coordinator.partitionLags(group: ServiceName.order.rawValue)
        #expect(order.allSatisfy { $0.lag == 0 }, "\(order.map(\.currentOffset))")
    }

    /// `ConsumerCoordinator.onJoinPrepare`: before it rejoins a rebalance, an auto-committing
    /// consumer commits what it has consumed, so the partitions that move are not read twice.
    @Test func autoCommitCommitsBeforeARebalanceMovesPartitions() throws {
        let sim = try Simulation(
            config: testConfig {
                $0.commit = .auto
                $0.autoCommitInterval = .seconds(60)
                $0.providerFailureRate = 0
                $0.services[.payment]!.instances = 2
            })
        // Instance 2 dies; once the session timeout evicts it, instance 1 reads all three partitions.
        sim.perform(.kill(.payment, instance: 2))
        sim.advance(to: seconds(12))
        sim.perform(.placeOrders(20))
        sim.advance(to: seconds(20))
        #expect(sim.count(.confirmed) == 20)
        // What instance 1 committed rejoining the round at the eviction: its own two partitions
        // (nothing read yet). The dead member's partition has no commit, and no interval came since.
        #expect(committed(sim) == [0, 0, nil])
        // Instance 2 comes back: instance 1 rejoins the round, and commits first.
        sim.perform(.start(.payment))
        #expect(sim.runUntilDrained(deadline: seconds(120)))
        #expect(sim.redeliveries == 0, "the partition that moved was committed before it moved")
        #expect(sim.checkInvariants()[.doubleCharges] == 0)
        let ends = sim.cluster.partitions(of: Topic.orderCreated).map { Optional(sim.cluster.logEndOffset($0)) }
        #expect(committed(sim) == ends)
    }

    /// A poll hands out at most `max.poll.records`; the batch commit comes after the whole batch
    /// (Spring Kafka's AckMode.BATCH), per-record commits after each record (AckMode.RECORD).
    @Test(arguments: [OrderflowConfig.CommitMode.batch, .record])
    func aPollReturnsAtMostMaxPollRecordsAndTheModeDecidesWhenItCommits(mode: OrderflowConfig.CommitMode) throws {
        let sim = try Simulation(
            config: testConfig {
                $0.commit = mode
                $0.maxPollRecords = 5
                $0.services[.payment]!.instances = 1
                $0.providerLatencyMin = .milliseconds(100)
                $0.providerLatencyMax = .milliseconds(100)
                $0.providerFailureRate = 0
            })
        // The first poll, at 0 s, finds all thirty.
        sim.perform(.placeOrders(30))
        sim.advance(to: seconds(0.25))
        let row = try #require(sim.instanceRows.first { $0.service == .payment })
        #expect(row.batch == Snapshot.BatchProgress(done: 2, of: 5))
        let total = committed(sim).compactMap { $0 }.reduce(0, +)
        #expect(total == (mode == .batch ? 0 : 2))
        sim.advance(to: seconds(0.55))
        #expect(committed(sim).compactMap { $0 }.reduce(0, +) == 5)
        #expect(sim.runUntilDrained(deadline: seconds(60)))
        #expect(sim.count(.confirmed) == 30)
    }

    /// `max.poll.interval.ms`: a batch that takes longer than the interval takes its member out of
    /// the group (its heartbeat thread sends LeaveGroup); its partitions move, the uncommitted
    /// records are read again by the new owner, and its own commits then fail.
    @Test func aBatchOutlastingMaxPollIntervalLeavesTheGroupAndIsReadAgain() throws {
        let sim = try Simulation(
            config: testConfig {
                $0.maxPollInterval = .seconds(10)
                $0.services[.payment]!.instances = 2
                $0.providerLatencyMin = .seconds(1)
                $0.providerLatencyMax = .seconds(1)
                $0.providerFailureRate = 0
            })
        sim.perform(.placeOrders(30))
        sim.advance(to: seconds(10.5))
        #expect(sim.pollIntervalExceeded >= 1)
        let out = sim.instanceRows.filter(\.outOfGroup)
        #expect(!out.isEmpty && out.allSatisfy { $0.partitions.isEmpty })
        // Every batch is as slow: left alone the storm never ends. The fix: smaller batches.
        sim.advance(to: seconds(60))
        #expect(sim.pollIntervalExceeded >= 2)
        sim.perform(.setMaxPollRecords(5))
        #expect(sim.runUntilDrained(deadline: seconds(600)))
        #expect(sim.redeliveries > 0)
        #expect(sim.commitFailures > 0, "its batch's commit fails: the partitions moved")
        #expect(sim.checkInvariants()[.doubleCharges] > 0, "without idempotency the batch is charged twice")
        #expect(sim.count(.pendingPayment) == 0)
    }

    /// The same batches fit the interval with fewer records a poll: nobody leaves.
    @Test func smallerBatchesStayWithinMaxPollInterval() throws {
        let sim = try Simulation(
            config: testConfig {
                $0.maxPollInterval = .seconds(10)
                $0.maxPollRecords = 5
                $0.services[.payment]!.instances = 2
                $0.providerLatencyMin = .seconds(1)
                $0.providerLatencyMax = .seconds(1)
                $0.providerFailureRate = 0
            })
        sim.perform(.placeOrders(30))
        #expect(sim.runUntilDrained(deadline: seconds(600)))
        #expect(sim.pollIntervalExceeded == 0)
        #expect(sim.redeliveries == 0)
        #expect(sim.checkInvariants() == InvariantCounts())
    }
}
