/// What a classic group shows: each partition's status for the pause view, and describe's members and owners.
extension ClassicGroup {
    func partitionStatuses(cluster: Cluster) -> [TopicPartition: PartitionStatus] {
        let held = Set(revoking.values.joined())
        return Dictionary(
            uniqueKeysWithValues: allPartitions(cluster: cluster).map { tp in
                guard let owner = offsets.owner[tp] else {
                    return (tp, state.isRebalancing ? .rebalancing : .unassigned)
                }
                if members[owner]?.present != true { return (tp, .ownerAway) }
                if held.contains(tp) || (isEager && state != .stable) { return (tp, .rebalancing) }
                return (tp, .consuming)
            })
    }

    private var membersInOrder: [Member] { members.values.sorted { $0.joinSequence < $1.joinSequence } }

    /// The coordinator hands out assignments only in a Stable group: describe shows none otherwise.
    func describedAssignment() -> [(member: MemberIdentity, partitions: [TopicPartition])] {
        membersInOrder.map { m in (m.identity, state == .stable ? (assignment[m.identity.memberId] ?? []).sorted() : [])
        }
    }

    func describeMembers() -> [GroupDescription.Member] {
        describedAssignment().map { m, partitions in GroupDescription.Member(identity: m, partitions: partitions.count)
        }
    }
}
