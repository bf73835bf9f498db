import Bus
import Testing

private let topic = "order.created"
private func p(_ n: Int) -> TopicPartition { TopicPartition(topic, n) }

private func coordinator(_ config: GroupConfig) -> GroupCoordinator {
    let b = GroupCoordinator(cluster: Cluster(topics: [TopicConfig(name: topic, partitions: 3)], retention: 1000))
    b.ensureGroup("g", config: config)
    return b
}

/// The consumer protocol (KIP-848) through the coordinator, after `GroupMetadataManagerTest`'s
/// cases of the same names: epochs, states, heartbeats, revocation before assignment.
@Suite struct ConsumerProtocolTests {
    let config = GroupConfig(
        groupProtocol: .consumer, heartbeatInterval: .seconds(5), consumerSessionTimeout: .seconds(45))

    @Test func testMemberJoinsEmptyConsumerGroup() {
        let b = coordinator(config)
        b.join(group: "g", member: b.member("a"), topics: [topic], now: ms(0))
        #expect(b.state(ofGroup: "g") == .stable)
        #expect(b.generation(ofGroup: "g") == 1, "the group epoch")
        #expect(b.assignment(group: "g", memberId: "a") == [p(0), p(1), p(2)])
        let d = b.describe(group: "g")
        #expect(d.assignmentStrategy == "uniform")
        #expect(d.groupEpoch == 1 && d.targetAssignmentEpoch == 1)
        #expect(d.members.map(\.memberEpoch) == [1])
        // Kafka 4's ConsumerGroupCommand: the epochs before #MEMBERS, the assignments as topic:partitions.
        let state = formatStateTable([d]).split(separator: "\n").map(String.init)
        #expect(state[0].hasSuffix("STATE                GROUP-EPOCH     TARGET-ASSIGNMENT-EPOCH   #MEMBERS"))
        #expect(state[1].hasSuffix("Stable               1               1                         1"))
        let members = formatMembersTable([d]).split(separator: "\n").map(String.init)
        #expect(
            members[0].hasSuffix(
                "#PARTITIONS     CURRENT-EPOCH   CURRENT-ASSIGNMENT   TARGET-EPOCH    TARGET-ASSIGNMENT"))
        #expect(
            members[1].hasSuffix(
                "3               1               order.created:0,1,2  1               order.created:0,1,2"))
    }

    /// A second member: the first keeps reading what it keeps, gives p2 up at the poll after its
    /// heartbeat, and the newcomer gets it at its own next heartbeat; only p2 ever pauses.
    @Test func testReconciliationProcess() {
        let b = coordinator(config)
        b.join(group: "g", member: b.member("a"), topics: [topic], now: ms(0))
        b.join(group: "g", member: b.member("b"), topics: [topic], now: ms(100))
        #expect(b.generation(ofGroup: "g") == 2)
        #expect(b.state(ofGroup: "g") == .reconciling)
        #expect(b.assignment(group: "g", memberId: "b") == [], "p2 is unreleased: a still holds it")
        #expect(b.assignment(group: "g", memberId: "a") == [p(0), p(1), p(2)], "a has not heartbeat since")
        b.advance(to: ms(5000))
        #expect(b.assignment(group: "g", memberId: "a") == [p(0), p(1)], "a's heartbeat: p2 pending revocation")
        #expect(b.mustRejoin(group: "g", memberId: "a", now: ms(5000)), "auto-commit commits before it revokes")
        _ = b.poll(group: "g", memberId: "a", maxRecords: 10, now: ms(5200))
        #expect(b.state(ofGroup: "g") == .reconciling, "b has not heartbeat since a released p2")
        b.advance(to: ms(10_100))
        #expect(b.assignment(group: "g", memberId: "b") == [p(2)])
        #expect(b.state(ofGroup: "g") == .stable)
        let pauses = b.pauses(ofGroup: "g", now: ms(20_000))
        #expect(pauses.rebalancing == .milliseconds(10_100 - 5000), "p2 from a's revocation to b's heartbeat")
        #expect(pauses.rebalances == 1 && pauses.ownerAway == .zero && pauses.unassigned == .zero)
    }

    @Test func testSessionTimeoutLifecycle() {
        let b = coordinator(config)
        b.join(group: "g", member: b.member("a"), topics: [topic], now: ms(0))
        b.join(group: "g", member: b.member("b"), topics: [topic], now: ms(100))
        b.advance(to: ms(5000))
        _ = b.poll(group: "g", memberId: "a", maxRecords: 10, now: ms(5000))
        b.advance(to: ms(10_100))
        b.kill(group: "g", memberId: "b", now: ms(12_000))
        b.advance(to: ms(56_999))
        #expect(b.describe(group: "g").members.count == 2, "b keeps p2 for the session timeout")
        #expect(b.partitionStatuses(ofGroup: "g")[p(2)]?.status == .ownerAway)
        b.advance(to: ms(57_000))
        #expect(b.describe(group: "g").members.map(\.consumerId) == ["a"])
        #expect(b.generation(ofGroup: "g") == 3)
        b.advance(to: ms(60_000))
        #expect(b.assignment(group: "g", memberId: "a") == [p(0), p(1), p(2)], "a's next heartbeat")
    }

    @Test func testStaticMemberGetsBackAssignmentUponRejoin() {
        let b = coordinator(config)
        let a = MemberIdentity(memberId: "a1", clientId: "a", groupInstanceId: "a")
        b.join(group: "g", member: a, topics: [topic], now: ms(0))
        b.join(group: "g", member: b.member("b"), topics: [topic], now: ms(0))
        b.advance(to: ms(5000))
        _ = b.poll(group: "g", memberId: "a1", maxRecords: 10, now: ms(5000))
        b.advance(to: ms(20_000))
        let mine = b.assignment(group: "g", memberId: "a1")
        #expect(!mine.isEmpty && b.state(ofGroup: "g") == .stable)
        b.leave(group: "g", memberId: "a1", now: ms(20_000))
        #expect(b.generation(ofGroup: "g") == 2, "epoch -2: no new group epoch")
        var back = a
        back.memberId = "a2"
        b.join(group: "g", member: back, topics: [topic], now: ms(23_000))
        #expect(b.assignment(group: "g", memberId: "a2") == mine)
        #expect(b.generation(ofGroup: "g") == 2 && b.state(ofGroup: "g") == .stable)
        #expect(b.pauses(ofGroup: "g", now: ms(30_000)).ownerAway == .milliseconds(3000 * Int64(mine.count)))
    }
}

/// Static membership under the classic protocol (KIP-345).
@Suite struct StaticMembershipTests {
    func group() -> GroupCoordinator {
        let b = coordinator(GroupConfig(sessionTimeout: .seconds(10), rebalanceTime: .seconds(1)))
        for n in 1...3 {
            b.join(
                group: "g", member: MemberIdentity(memberId: "m\(n)-a", clientId: "c\(n)", groupInstanceId: "c\(n)"),
                topics: [topic], now: ms(0))
        }
        b.formGroup("g")
        return b
    }

    @Test func aStaticMemberBackInTimeTakesItsPartitionsWithoutARebalance() {
        let b = group()
        let before = b.assignment(group: "g", memberId: "m1-a")
        b.leave(group: "g", memberId: "m1-a", now: ms(1000))
        #expect(b.state(ofGroup: "g") == .stable, "no LeaveGroup from a static member")
        #expect(before.allSatisfy { b.partitionStatuses(ofGroup: "g")[$0]?.status == .ownerAway })
        b.join(
            group: "g", member: MemberIdentity(memberId: "m1-b", clientId: "c1", groupInstanceId: "c1"),
            topics: [topic],
            now: ms(4000))
        #expect(b.assignment(group: "g", memberId: "m1-b") == before)
        #expect(b.generation(ofGroup: "g") == 1 && b.state(ofGroup: "g") == .stable)
        let pauses = b.pauses(ofGroup: "g", now: ms(9000))
        #expect(pauses.ownerAway == .milliseconds(3000 * Int64(before.count)) && pauses.rebalances == 0)
        let members = formatMembersTable([b.describe(group: "g")]).split(separator: "\n")
        #expect(members[0].hasPrefix("GROUP           CONSUMER-ID     GROUP-INSTANCE-ID HOST"))
    }

    @Test func aStaticMemberLateForItsSessionIsEvictedAndTheGroupRebalances() {
        let b = group()
        b.leave(group: "g", memberId: "m1-a", now: ms(1000))
        b.advance(to: ms(11_000))
        #expect(b.state(ofGroup: "g") == .preparingRebalance)
        #expect(b.describe(group: "g").members.count == 2)
    }
}
