import Bus
import Testing

/// What `kafka-consumer-groups.sh --describe` prints, by the rules of Kafka's `ConsumerGroupCommand`
/// (collectGroupsOffsets, collectGroupMembers, collectGroupsState, shouldPrintMemberState).
@Suite struct DescribeGroupTests {
    let group = "payment-service"

    func broker(partitions: Int = 3, rebalanceTime: VirtualDuration = .zero) -> GroupCoordinator {
        let b = GroupCoordinator(
            cluster: Cluster(topics: [TopicConfig(name: "order.created", partitions: partitions)], retention: 1000))
        b.ensureGroup(
            group,
            config: GroupConfig(
                sessionTimeout: .seconds(10), rebalanceTime: rebalanceTime, autoOffsetReset: .earliest))
        return b
    }

    func join(_ b: GroupCoordinator, _ m: String, at t: Int64) {
        b.join(group: group, member: b.member(m), topics: ["order.created"], now: ms(t))
    }

    /// Ported from Kafka's `DescribeConsumerGroupTest.testDescribeOffsetsOfExistingGroupWithNoMembers`:
    /// once its only consumer is gone the group is Empty, the tool says it has no active members,
    /// and lists the committed partition with `-` for the consumer columns.
    @Test func describeOffsetsOfExistingGroupWithNoMembers() throws {
        let b = broker(partitions: 1)
        join(b, "c", at: 0)
        b.cluster.fill("order.created", partition: 0, count: 2)
        _ = b.pollAll(group, "c", at: ms(1))
        try b.commit(group: group, memberId: "c", TopicPartition("order.created", 0), offset: 2, now: ms(1))
        #expect(b.describe(group: group).state == .stable)
        #expect(b.describe(group: group).notice == nil)
        b.leave(group: group, memberId: "c", now: ms(2))
        let d = b.describe(group: group)
        #expect(d.state == .empty)
        #expect(d.notice == "Consumer group 'payment-service' has no active members.")
        #expect(d.rows.count == 1)
        #expect(d.rows[0].currentOffset == 2 && d.rows[0].lag == 0)
        #expect(d.rows[0].consumerId == nil && d.rows[0].host == nil && d.rows[0].clientId == nil)
        #expect(formatGroupTable(d.rows).hasSuffix("0               -               -               -"))
    }

    /// An empty group lists only partitions with a commit: one never committed is not a row.
    @Test func anEmptyGroupListsOnlyCommittedPartitions() throws {
        let b = broker()
        join(b, "c", at: 0)
        b.cluster.fill("order.created", partition: 1, count: 3)
        _ = b.pollAll(group, "c", at: ms(1))
        try b.commit(group: group, memberId: "c", TopicPartition("order.created", 1), offset: 1, now: ms(1))
        b.kill(group: group, memberId: "c", now: ms(2))
        b.advance(to: ms(10_002))
        let d = b.describe(group: group)
        #expect(d.rows.map(\.partition) == [1])
        #expect(d.rows[0].lag == 2)
        #expect(b.partitionLags(group: group).count == 3, "the simulation's own view keeps every partition")
    }

    /// A rebalancing group: Kafka's warning, and no owners (the coordinator sends assignments only
    /// when the group is Stable), so only committed partitions are listed, with `-` for the consumer.
    @Test func aRebalancingGroupWarnsAndShowsNoOwners() throws {
        let b = broker(rebalanceTime: .seconds(1))
        join(b, "a", at: 0)
        b.advance(to: ms(1000))
        b.cluster.fill("order.created", partition: 0, count: 2)
        _ = b.pollAll(group, "a", at: ms(1000))
        try b.commit(group: group, memberId: "a", TopicPartition("order.created", 0), offset: 2, now: ms(1000))
        join(b, "b", at: 1500)
        var d = b.describe(group: group)
        #expect(d.state == .preparingRebalance)
        #expect(d.notice == "Warning: Consumer group 'payment-service' is rebalancing.")
        #expect(d.rows.map(\.partition) == [0])
        #expect(d.rows.allSatisfy { $0.consumerId == nil })
        #expect(d.members.map(\.partitions) == [0, 0], "#PARTITIONS is 0 while rebalancing")
        _ = b.pollAll(group, "a", at: ms(1600))
        d = b.describe(group: group)
        #expect(d.state == .completingRebalance)
        #expect(d.notice == "Warning: Consumer group 'payment-service' is rebalancing.")
        b.advance(to: ms(2600))
        d = b.describe(group: group)
        #expect(d.state == .stable)
        #expect(d.notice == nil)
        #expect(d.rows.count == 3 && d.rows.allSatisfy { $0.consumerId != nil })
    }

    /// Ported from `DescribeConsumerGroupTest.testDescribeWithMultiPartitionTopicAndMultipleConsumers`
    /// and ConsumerGroupCommand's ordering: members with the largest assignment first, each's
    /// partitions in order, then partitions committed by nobody's current member.
    @Test func rowsFollowMembersLargestAssignmentFirst() throws {
        let b = broker()
        join(b, "a", at: 0)
        join(b, "b", at: 0)
        _ = b.pollAll(group, "a", at: ms(1))
        // Range with "a" < "b": a gets 0 and 1, b gets 2.
        let d = b.describe(group: group)
        #expect(d.rows.map(\.consumerId) == ["a", "a", "b"])
        #expect(d.rows.map(\.partition) == [0, 1, 2])
        #expect(d.members.map(\.consumerId) == ["a", "b"])
        #expect(d.members.map(\.partitions) == [2, 1])
        // "z" joins first but range gives "b" two partitions: b's rows come first, by size,
        // while --members keeps the coordinator's (join) order.
        let c = broker()
        join(c, "z", at: 0)
        join(c, "b", at: 0)
        _ = c.pollAll(group, "z", at: ms(1))
        #expect(c.describe(group: group).rows.map(\.consumerId) == ["b", "b", "z"])
        #expect(c.describe(group: group).members.map(\.consumerId) == ["z", "b"], "--members keeps join order")
    }

    /// Ported from `DescribeConsumerGroupTest.testDescribeStateOfExistingGroup` and
    /// `testDescribeMembersOfExistingGroup`: one consumer with the range assignor.
    @Test func stateAndMembersViews() {
        let b = broker()
        join(b, "consumer-1-abc", at: 0)
        let d = b.describe(group: group)
        #expect(d.state == .stable && d.assignmentStrategy == "range" && d.members.count == 1)
        #expect(d.members[0].partitions == 3)
        let state = formatStateTable([d]).split(separator: "\n").map(String.init)
        #expect(
            state[0] == "GROUP           COORDINATOR (ID)          ASSIGNMENT-STRATEGY  STATE                #MEMBERS")
        #expect(state[1] == "payment-service localhost:9092 (1)        range                Stable               1")
        let members = formatMembersTable([d]).split(separator: "\n").map(String.init)
        #expect(members[0] == "GROUP           CONSUMER-ID     HOST            CLIENT-ID       #PARTITIONS")
        #expect(members[1] == "payment-service consumer-1-abc  /127.0.0.1      consumer-1-abc  3")
    }
}

/// The classic group coordinator's states and transitions.
@Suite struct GroupStateTests {
    let group = "payment-service"

    func broker(rebalanceTime: VirtualDuration = .seconds(1)) -> GroupCoordinator {
        let b = GroupCoordinator(
            cluster: Cluster(topics: [TopicConfig(name: "order.created", partitions: 3)], retention: 1000))
        b.ensureGroup(
            group,
            config: GroupConfig(
                sessionTimeout: .seconds(10), rebalanceTime: rebalanceTime, rebalanceTimeout: .seconds(30)))
        return b
    }

    /// Empty → (JoinGroup) → PreparingRebalance until every member rejoined → CompletingRebalance
    /// while the assignment is synced → Stable.
    @Test func aJoinRoundPreparesUntilEveryoneRejoinedThenCompletes() {
        let b = broker()
        #expect(b.state(ofGroup: group) == .empty)
        b.join(group: group, member: b.member("a"), topics: ["order.created"], now: ms(0))
        #expect(b.state(ofGroup: group) == .completingRebalance)
        b.advance(to: ms(1000))
        #expect(b.state(ofGroup: group) == .stable)
        b.join(group: group, member: b.member("b"), topics: ["order.created"], now: ms(2000))
        #expect(b.state(ofGroup: group) == .preparingRebalance, "a has not rejoined yet")
        b.advance(to: ms(5000))
        #expect(b.state(ofGroup: group) == .preparingRebalance, "the round waits for a's next poll")
        _ = b.pollAll(group, "a", at: ms(5000))
        #expect(b.state(ofGroup: group) == .completingRebalance)
        #expect(b.nextDeadline() == ms(6000))
        b.advance(to: ms(6000))
        #expect(b.state(ofGroup: group) == .stable)
        #expect(b.generation(ofGroup: group) == 2)
    }

    /// A member that never rejoins is dropped when the rebalance timeout (the Java consumer's
    /// max.poll.interval.ms) runs out, and the round completes without it.
    @Test func aMemberThatNeverRejoinsIsDroppedAtTheRebalanceTimeout() {
        let b = broker(rebalanceTime: .zero)
        b.join(group: group, member: b.member("a"), topics: ["order.created"], now: ms(0))
        b.join(group: group, member: b.member("b"), topics: ["order.created"], now: ms(100))
        #expect(b.state(ofGroup: group) == .preparingRebalance)
        #expect(b.nextDeadline() == ms(30_100))
        b.advance(to: ms(30_099))
        #expect(b.state(ofGroup: group) == .preparingRebalance)
        b.advance(to: ms(30_100))
        #expect(b.state(ofGroup: group) == .stable)
        #expect(b.describe(group: group).members.map(\.consumerId) == ["b"])
        #expect(b.assignment(group: group, memberId: "b").count == 3)
    }

    /// Auto-commit's half in the bus: every partition the member owns, with the position it would
    /// read next, including a partition it never read (lag 0, where no commit would show `-`).
    @Test func commitPositionsCommitsEveryOwnedPartition() {
        let b = broker(rebalanceTime: .zero)
        b.join(group: group, member: b.member("a"), topics: ["order.created"], now: ms(0))
        b.cluster.fill("order.created", partition: 1, count: 4)
        _ = b.pollAll(group, "a", at: ms(1), max: 3)
        let committed = b.commitPositions(group: group, memberId: "a", now: ms(2))
        #expect(committed.map(\.0.partition) == [0, 1, 2])
        // latest: the records that were there before the first poll are skipped.
        #expect(committed.map(\.1) == [0, 4, 0])
        #expect(b.describe(group: group).rows.map(\.lag) == [0, 0, 0])
    }
}
