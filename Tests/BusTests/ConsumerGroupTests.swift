import Bus
import Testing

@Suite struct AssignorTests {
    let topics = ["order.created": 3, "payment.completed": 3]

    @Test func rangeGivesTheFirstMembersTheExtraPartitionPerTopic() {
        let input = AssignorInput(
            members: [
                .init(id: "C1", topics: ["order.created", "payment.completed"]),
                .init(id: "C0", topics: ["order.created", "payment.completed"]),
            ],
            partitionsByTopic: topics)
        let a = RangeAssignor.assign(input)
        #expect(
            a["C0"] == [
                TopicPartition("order.created", 0), TopicPartition("order.created", 1),
                TopicPartition("payment.completed", 0), TopicPartition("payment.completed", 1),
            ])
        #expect(a["C1"] == [TopicPartition("order.created", 2), TopicPartition("payment.completed", 2)])
    }

    @Test func roundRobinDealsAllPartitionsInTurn() {
        let input = AssignorInput(
            members: [
                .init(id: "C0", topics: ["order.created", "payment.completed"]),
                .init(id: "C1", topics: ["order.created", "payment.completed"]),
            ],
            partitionsByTopic: topics)
        let a = RoundRobinAssignor.assign(input)
        #expect(
            a["C0"] == [
                TopicPartition("order.created", 0), TopicPartition("order.created", 2),
                TopicPartition("payment.completed", 1),
            ])
        #expect(
            a["C1"] == [
                TopicPartition("order.created", 1), TopicPartition("payment.completed", 0),
                TopicPartition("payment.completed", 2),
            ])
    }

    @Test func stickyIsBalancedAndKeepsOwnership() {
        let previous: [String: [TopicPartition]] = [
            "C0": [
                TopicPartition("order.created", 0), TopicPartition("order.created", 2),
                TopicPartition("payment.completed", 1),
            ],
            "C1": [
                TopicPartition("order.created", 1), TopicPartition("payment.completed", 0),
                TopicPartition("payment.completed", 2),
            ],
        ]
        // C2 joins: each keeps 2 of its 3, and C2 gets the two that moved.
        let input = AssignorInput(
            members: ["C0", "C1", "C2"].map { .init(id: $0, topics: ["order.created", "payment.completed"]) },
            partitionsByTopic: topics, previous: previous)
        let a = StickyAssignor.assign(input)
        #expect(a.values.map(\.count).sorted() == [2, 2, 2])
        #expect(Set(a["C0"]!).isSubset(of: Set(previous["C0"]!)))
        #expect(Set(a["C1"]!).isSubset(of: Set(previous["C1"]!)))
        #expect(Set(a.values.flatMap { $0 }).count == 6)
    }
}

@Suite struct ConsumerGroupTests {
    func makeBroker(assignor: AssignorKind = .range, rebalanceTime: VirtualDuration = .zero) -> GroupCoordinator {
        let cluster = GroupCoordinator(
            cluster: Cluster(topics: [TopicConfig(name: "order.created", partitions: 3)], retention: 1000))
        cluster.ensureGroup(
            "payment-service",
            config: GroupConfig(
                sessionTimeout: .seconds(10), rebalanceTime: rebalanceTime, assignor: assignor,
                autoOffsetReset: .earliest))
        return cluster
    }

    func assigned(_ b: GroupCoordinator, _ m: String) -> [Int] {
        b.assignment(group: "payment-service", memberId: m).map(\.partition)
    }

    @Test func rangeJoinAndGracefulLeaveRebalanceImmediately() {
        let b = makeBroker()
        b.join(group: "payment-service", member: b.member("a"), topics: ["order.created"], now: ms(0))
        #expect(b.state(ofGroup: "payment-service") == .stable)
        #expect(assigned(b, "a") == [0, 1, 2])
        b.join(group: "payment-service", member: b.member("b"), topics: ["order.created"], now: ms(100))
        // The round waits for "a" to rejoin (its next poll).
        #expect(b.state(ofGroup: "payment-service") == .preparingRebalance)
        _ = b.pollAll("payment-service", "a", at: ms(150))
        #expect(b.state(ofGroup: "payment-service") == .stable)
        #expect(assigned(b, "a") == [0, 1])
        #expect(assigned(b, "b") == [2])
        b.leave(group: "payment-service", memberId: "a", now: ms(200))
        _ = b.pollAll("payment-service", "b", at: ms(200))
        #expect(b.state(ofGroup: "payment-service") == .stable)
        #expect(assigned(b, "b") == [0, 1, 2])
    }

    @Test func killedMemberKeepsItsPartitionsUntilTheSessionTimeout() {
        let b = makeBroker()
        b.join(group: "payment-service", member: b.member("a"), topics: ["order.created"], now: ms(0))
        b.join(group: "payment-service", member: b.member("b"), topics: ["order.created"], now: ms(0))
        _ = b.pollAll("payment-service", "a", at: ms(10))
        #expect(assigned(b, "b") == [2])
        b.kill(group: "payment-service", memberId: "b", now: ms(1000))
        b.advance(to: ms(10_999))
        #expect(b.state(ofGroup: "payment-service") == .stable)
        #expect(assigned(b, "b") == [2])
        #expect(b.nextDeadline() == ms(11_000))
        // Its partition is not read by anyone meanwhile.
        b.cluster.fill("order.created", partition: 2, count: 3)
        #expect(b.pollAll("payment-service", "a", at: ms(10_999)).records.isEmpty)
        b.advance(to: ms(11_000))
        #expect(b.state(ofGroup: "payment-service") == .preparingRebalance)
        let batch = b.pollAll("payment-service", "a", at: ms(11_000))
        #expect(batch.records.isEmpty, "no partition is consumed during an eager rebalance")
        #expect(b.state(ofGroup: "payment-service") == .stable)
        #expect(assigned(b, "a") == [0, 1, 2])
        #expect(b.pollAll("payment-service", "a", at: ms(11_100)).records.map(\.partition) == [2, 2, 2])
    }

    @Test func killingEveryMemberLeavesTheGroupEmptyAfterTheTimeout() throws {
        let b = makeBroker()
        b.join(group: "payment-service", member: b.member("a"), topics: ["order.created"], now: ms(0))
        b.cluster.fill("order.created", partition: 0, count: 2)
        _ = b.pollAll("payment-service", "a", at: ms(1))
        try b.commit(group: "payment-service", memberId: "a", TopicPartition("order.created", 0), offset: 2, now: ms(1))
        b.kill(group: "payment-service", memberId: "a", now: ms(5))
        b.advance(to: ms(10_005))
        #expect(b.state(ofGroup: "payment-service") == .empty)
        // Kafka's describe of an empty group: only the partitions with a commit, nobody's.
        let d = b.describe(group: "payment-service")
        #expect(d.notice == "Consumer group 'payment-service' has no active members.")
        #expect(d.rows.map(\.consumerId) == [nil])
        #expect(d.rows.map(\.partition) == [0])
        #expect(d.rows[0].currentOffset == 2)
        #expect(d.members.isEmpty && d.assignmentStrategy == nil)
    }

    @Test func rebalanceTakesTheConfiguredTimeOnceEveryoneRejoined() {
        let b = makeBroker(rebalanceTime: .seconds(2))
        b.join(group: "payment-service", member: b.member("a"), topics: ["order.created"], now: ms(0))
        // Its only member joined: the round waits for the leader's assignment.
        #expect(b.state(ofGroup: "payment-service") == .completingRebalance)
        #expect(b.nextDeadline() == ms(2000))
        b.advance(to: ms(1999))
        #expect(b.state(ofGroup: "payment-service") == .completingRebalance)
        b.advance(to: ms(2000))
        #expect(b.state(ofGroup: "payment-service") == .stable)
        #expect(b.generation(ofGroup: "payment-service") == 1)
    }

    @Test func roundRobinAndCooperativeStickyOnJoinAndKill() {
        let rr = makeBroker(assignor: .roundRobin)
        for m in ["a", "b"] {
            rr.join(group: "payment-service", member: rr.member(m), topics: ["order.created"], now: ms(0))
        }
        _ = rr.pollAll("payment-service", "a", at: ms(1))
        #expect(assigned(rr, "a") == [0, 2])
        #expect(assigned(rr, "b") == [1])
        rr.kill(group: "payment-service", memberId: "a", now: ms(10))
        rr.advance(to: ms(10_010))
        _ = rr.pollAll("payment-service", "b", at: ms(10_010))
        #expect(assigned(rr, "b") == [0, 1, 2])

        let cs = makeBroker(assignor: .cooperativeSticky)
        cs.join(group: "payment-service", member: cs.member("a"), topics: ["order.created"], now: ms(0))
        #expect(assigned(cs, "a") == [0, 1, 2])
        cs.cluster.fill("order.created", partition: 0, count: 1)
        cs.join(group: "payment-service", member: cs.member("b"), topics: ["order.created"], now: ms(100))
        // Cooperative: "a" keeps consuming what it keeps while the group rebalances.
        let during = cs.pollAll("payment-service", "a", at: ms(100))
        #expect(during.records.map(\.partition) == [0])
        // First round revokes one partition from "a"; the follow-up round gives it to "b".
        #expect(cs.state(ofGroup: "payment-service") == .preparingRebalance)
        #expect(assigned(cs, "a").count == 2)
        #expect(assigned(cs, "b") == [])
        _ = cs.pollAll("payment-service", "a", at: ms(101))
        _ = cs.pollAll("payment-service", "b", at: ms(101))
        #expect(cs.state(ofGroup: "payment-service") == .stable)
        #expect(assigned(cs, "a").count + assigned(cs, "b").count == 3)
        #expect(assigned(cs, "b").count == 1)
        cs.kill(group: "payment-service", memberId: "b", now: ms(200))
        cs.advance(to: ms(10_200))
        _ = cs.pollAll("payment-service", "a", at: ms(10_200))
        #expect(assigned(cs, "a") == [0, 1, 2])
        #expect(cs.state(ofGroup: "payment-service") == .stable)
    }
}

@Suite struct OffsetsAndLagTests {
    @Test func lagIsUnknownUntilTheGroupCommitsThenLogEndMinusCommitted() throws {
        let b = GroupCoordinator(
            cluster: Cluster(topics: [TopicConfig(name: "payment.completed", partitions: 3)], retention: 1000))
        b.ensureGroup("order-service", config: GroupConfig(rebalanceTime: .zero, autoOffsetReset: .earliest))
        b.join(group: "order-service", member: b.member("o"), topics: ["payment.completed"], now: ms(0))
        b.cluster.fill("payment.completed", partition: 1, count: 5)
        var rows = b.describe(group: "order-service").rows
        #expect(rows.map(\.lag) == [nil, nil, nil])
        #expect(rows[1].logEndOffset == 5)
        // Kafka's widths: PARTITION 10, the offsets and LAG 15 each, one space between.
        #expect(
            formatGroupTable(rows).contains(
                "payment.completed 1          -               5               -               o"))
        _ = b.pollAll("order-service", "o", at: ms(1))
        try b.commit(
            group: "order-service", memberId: "o", TopicPartition("payment.completed", 1), offset: 3, now: ms(1))
        rows = b.describe(group: "order-service").rows
        #expect(rows[1].currentOffset == 3)
        #expect(rows[1].lag == 2)
        #expect(rows[1].consumerId == "o")
        #expect(b.totalLag(group: "order-service") == 2)
    }

    @Test func killBetweenProcessingAndCommitRedeliversToTheNextOwner() throws {
        let b = GroupCoordinator(
            cluster: Cluster(topics: [TopicConfig(name: "order.created", partitions: 1)], retention: 1000))
        let tp = TopicPartition("order.created", 0)
        b.ensureGroup(
            "payment-service",
            config: GroupConfig(sessionTimeout: .seconds(10), rebalanceTime: .zero, autoOffsetReset: .earliest))
        b.join(group: "payment-service", member: b.member("a"), topics: ["order.created"], now: ms(0))
        b.join(group: "payment-service", member: b.member("b"), topics: ["order.created"], now: ms(0))
        _ = b.pollAll("payment-service", "b", at: ms(0))
        // "a" rejoins with this poll; the round completes, and records flow from the next poll.
        #expect(b.pollAll("payment-service", "a", at: ms(5)).records.isEmpty)
        b.cluster.fill("order.created", partition: 0, count: 3)
        let first = b.pollAll("payment-service", "a", at: ms(10))
        #expect(first.records.map(\.offset) == [0, 1, 2])
        #expect(first.redelivered == 0)
        try b.commit(group: "payment-service", memberId: "a", tp, offset: 1, now: ms(20))
        // "a" processed offsets 1 and 2 but dies before committing them.
        b.kill(group: "payment-service", memberId: "a", now: ms(30))
        #expect(throws: CommitError.self) {
            try b.commit(group: "payment-service", memberId: "a", tp, offset: 3, now: ms(31))
        }
        b.advance(to: ms(10_030))
        _ = b.pollAll("payment-service", "b", at: ms(10_030))
        let again = b.pollAll("payment-service", "b", at: ms(10_040))
        #expect(again.records.map(\.offset) == [1, 2])
        #expect(again.redelivered == 2)
        #expect(b.redeliveries(ofGroup: "payment-service") == 2)
    }

    @Test func twoGroupsOnOneTopicKeepIndependentOffsets() throws {
        let b = GroupCoordinator(
            cluster: Cluster(topics: [TopicConfig(name: "payment.completed", partitions: 1)], retention: 1000))
        let tp = TopicPartition("payment.completed", 0)
        for g in ["order-service", "notification-service"] {
            b.ensureGroup(g, config: GroupConfig(rebalanceTime: .zero, autoOffsetReset: .earliest))
            b.join(group: g, member: b.member(g + "-1"), topics: ["payment.completed"], now: ms(0))
        }
        b.cluster.fill("payment.completed", partition: 0, count: 4)
        #expect(b.pollAll("order-service", "order-service-1", at: ms(1)).records.count == 4)
        try b.commit(group: "order-service", memberId: "order-service-1", tp, offset: 4, now: ms(1))
        let n = b.pollAll("notification-service", "notification-service-1", at: ms(2), max: 1)
        #expect(n.records.map(\.offset) == [0])
        try b.commit(group: "notification-service", memberId: "notification-service-1", tp, offset: 1, now: ms(2))
        #expect(b.describe(group: "order-service").rows[0].lag == 0)
        #expect(b.describe(group: "notification-service").rows[0].lag == 3)
        #expect(n.redelivered == 0, "another group reading the same offsets is not a redelivery")
    }
}

/// Kafka's sticky assignors balance each topic where they can.
@Suite struct StickyTopicBalanceTests {
    static func perTopic(_ a: [String: [TopicPartition]], _ topic: String) -> [String: Int] {
        a.mapValues { $0.filter { $0.topic == topic }.count }
    }

    /// Ported from Kafka's `AbstractStickyAssignorTest.testTopicBalanceAfterReassignment`: two topics
    /// of 12 partitions; one consumer, then two, then four, then the first two leave.
    @Test func topicBalanceAfterReassignment() {
        let topics = ["topic1", "topic2"]
        let partitions = ["topic1": 12, "topic2": 12]
        func assign(_ members: [String], previous: [String: [TopicPartition]]) -> [String: [TopicPartition]] {
            StickyAssignor.assign(
                AssignorInput(
                    members: members.map { .init(id: $0, topics: topics) }, partitionsByTopic: partitions,
                    previous: previous))
        }
        var a = assign(["consumer1"], previous: [:])
        #expect(Self.perTopic(a, "topic1") == ["consumer1": 12] && Self.perTopic(a, "topic2") == ["consumer1": 12])

        a = assign(["consumer1", "consumer2"], previous: a)
        for topic in topics { #expect(Self.perTopic(a, topic) == ["consumer1": 6, "consumer2": 6], "\(topic)") }

        a = assign(["consumer1", "consumer2", "consumer3", "consumer4"], previous: a)
        for topic in topics {
            #expect(Self.perTopic(a, topic).values.allSatisfy { $0 == 3 }, "\(topic): \(Self.perTopic(a, topic))")
        }

        // The survivors keep all they had: nothing is transferred between them.
        let before = a
        a = assign(
            ["consumer3", "consumer4"],
            previous: ["consumer3": before["consumer3"] ?? [], "consumer4": before["consumer4"] ?? []])
        for topic in topics { #expect(Self.perTopic(a, topic) == ["consumer3": 6, "consumer4": 6], "\(topic)") }
        #expect(Set(before["consumer3"] ?? []).isSubset(of: Set(a["consumer3"] ?? [])))
        #expect(Set(before["consumer4"] ?? []).isSubset(of: Set(a["consumer4"] ?? [])))
    }

    /// Ported from Kafka's `AbstractStickyAssignorTest.testAddRemoveTwoConsumersTwoTopics`, its first
    /// step: a fresh group of two on topics of 3 and 4 partitions.
    @Test func freshAssignmentOfTwoTopicsMatchesKafka() {
        let a = StickyAssignor.assign(
            AssignorInput(
                members: ["consumer1", "consumer2"].map { .init(id: $0, topics: ["topic1", "topic2"]) },
                partitionsByTopic: ["topic1": 3, "topic2": 4]))
        #expect(
            a["consumer1"] == [
                TopicPartition("topic1", 0), TopicPartition("topic1", 2), TopicPartition("topic2", 1),
                TopicPartition("topic2", 3),
            ])
        #expect(
            a["consumer2"] == [TopicPartition("topic1", 1), TopicPartition("topic2", 0), TopicPartition("topic2", 2)])
    }
}
