import Bus
import Testing

private func tps(_ topic: String, _ partitions: Int...) -> Set<TopicPartition> {
    Set(partitions.map { TopicPartition(topic, $0) })
}

/// Kafka's `CurrentAssignmentBuilderTest`, ported: the consumer protocol's reconciliation.
@Suite struct CurrentAssignmentBuilderTests {
    let stable10 = ReconciledMember(
        state: .stable, memberEpoch: 10, previousMemberEpoch: 10, assigned: tps("t1", 1, 2, 3).union(tps("t2", 4, 5, 6))
    )
    let unrevoked10 = ReconciledMember(
        state: .unrevokedPartitions, memberEpoch: 10, previousMemberEpoch: 10,
        assigned: tps("t1", 2, 3).union(tps("t2", 5, 6)), pendingRevocation: tps("t1", 1).union(tps("t2", 4)))

    @Test func testStableToStable() {
        let next = CurrentAssignmentBuilder.next(
            stable10, targetEpoch: 11, target: stable10.assigned, heldByOther: { _ in true }, owned: nil)
        #expect(
            next
                == ReconciledMember(
                    state: .stable, memberEpoch: 11, previousMemberEpoch: 10, assigned: stable10.assigned))
    }

    @Test func testStableToStableWithNewPartitions() {
        let target = tps("t1", 1, 2, 3, 4).union(tps("t2", 4, 5, 6, 7))
        let next = CurrentAssignmentBuilder.next(
            stable10, targetEpoch: 11, target: target, heldByOther: { _ in false }, owned: nil)
        #expect(next == ReconciledMember(state: .stable, memberEpoch: 11, previousMemberEpoch: 10, assigned: target))
    }

    @Test func testStableToUnrevokedPartitions() {
        let next = CurrentAssignmentBuilder.next(
            stable10, targetEpoch: 11, target: tps("t1", 2, 3, 4).union(tps("t2", 5, 6, 7)),
            heldByOther: { _ in false },
            owned: nil)
        #expect(next == unrevoked10)
    }

    @Test func testStableToUnreleasedPartitions() {
        let next = CurrentAssignmentBuilder.next(
            stable10, targetEpoch: 11, target: tps("t1", 1, 2, 3, 4).union(tps("t2", 4, 5, 6, 7)),
            heldByOther: { _ in true }, owned: nil)
        #expect(
            next
                == ReconciledMember(
                    state: .unreleasedPartitions, memberEpoch: 11, previousMemberEpoch: 10, assigned: stable10.assigned)
        )
    }

    @Test func testUnrevokedPartitionsToStable() {
        let next = CurrentAssignmentBuilder.next(
            unrevoked10, targetEpoch: 11, target: unrevoked10.assigned, heldByOther: { _ in false },
            owned: unrevoked10.assigned)
        #expect(
            next
                == ReconciledMember(
                    state: .stable, memberEpoch: 11, previousMemberEpoch: 10, assigned: unrevoked10.assigned))
    }

    @Test func testRemainsInUnrevokedPartitions() {
        let target = tps("t1", 3).union(tps("t2", 6))
        for owned in [nil, tps("t1", 1, 2, 3).union(tps("t2", 5, 6)), tps("t1", 2, 3).union(tps("t2", 4, 5, 6))] {
            let next = CurrentAssignmentBuilder.next(
                unrevoked10, targetEpoch: 12, target: target, heldByOther: { _ in false }, owned: owned)
            #expect(next == unrevoked10, "owned \(String(describing: owned))")
        }
    }

    @Test func testUnrevokedPartitionsToUnrevokedPartitions() {
        let next = CurrentAssignmentBuilder.next(
            unrevoked10, targetEpoch: 12, target: tps("t1", 3).union(tps("t2", 6)), heldByOther: { _ in false },
            owned: unrevoked10.assigned)
        #expect(
            next
                == ReconciledMember(
                    state: .unrevokedPartitions, memberEpoch: 10, previousMemberEpoch: 10,
                    assigned: tps("t1", 3).union(tps("t2", 6)), pendingRevocation: tps("t1", 2).union(tps("t2", 5))))
    }
}

/// Kafka's `UniformHomogeneousAssignmentBuilderTest`, ported where the result does not hang on
/// Java's hash order of topic ids.
@Suite struct UniformAssignorTests {
    let all = (0..<3).map { TopicPartition("t1", $0) } + (0..<3).map { TopicPartition("t2", $0) }

    @Test func testReassignmentForTwoMembersTwoTopicsGivenUnbalancedPrevAssignment() {
        let target = UniformAssignor.assign(
            members: ["A", "B"], partitions: all,
            previous: ["A": tps("t1", 0, 1).union(tps("t2", 0, 1)), "B": tps("t1", 2).union(tps("t2", 2))])
        #expect(target == ["A": tps("t1", 0, 1).union(tps("t2", 0)), "B": tps("t1", 2).union(tps("t2", 1, 2))])
    }

    @Test func testReassignmentWhenOneMemberAddedAfterInitialAssignmentWithTwoMembersTwoTopics() {
        let target = UniformAssignor.assign(
            members: ["A", "B", "C"], partitions: all,
            previous: ["A": tps("t1", 0, 2).union(tps("t2", 0)), "B": tps("t1", 1).union(tps("t2", 1, 2))])
        #expect(
            target == ["A": tps("t1", 0, 2), "B": tps("t1", 1).union(tps("t2", 1)), "C": tps("t2", 0, 2)])
    }

    @Test(arguments: 1...7)
    func everyPartitionOnceAndSizesWithinOne(members n: Int) {
        let members = (1...n).map { "m\($0)" }
        let target = UniformAssignor.assign(members: members, partitions: all, previous: [:])
        let sizes = members.map { target[$0]?.count ?? 0 }
        #expect(target.values.reduce(0) { $0 + $1.count } == all.count)
        #expect(Set(target.values.joined()) == Set(all))
        #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1)
    }
}
