/// The consumer protocol's server-side assignors, for a group whose members all subscribe to
/// the same topics (orderflow's services do: Kafka's "homogeneous" case).
extension RemoteAssignorKind {
    /// The target assignment from the members (in the order given) and the previous target.
    func assign(
        members: [String], partitions: [TopicPartition], previous: [String: Set<TopicPartition>]
    ) -> [String: Set<TopicPartition>] {
        switch self {
        case .uniform: UniformAssignor.assign(members: members, partitions: partitions, previous: previous)
        case .range: ServerRangeAssignor.assign(members: members, partitions: partitions)
        }
    }
}

/// Kafka's `UniformAssignor` for homogeneous subscriptions (`UniformHomogeneousAssignmentBuilder`):
/// balance first (sizes differ by at most one), then stickiness. Each member's quota is the
/// minimum share, the first `partitions % members` members in order one more; a member keeps
/// its previous target up to its quota, in topic then partition order; what is left goes to
/// members below their quota, in member order.
///
/// Kafka iterates members in its map's order; orderflow in the order it is given (member ids,
/// sorted), so a run is the same run.
package enum UniformAssignor {
    package static func assign(
        members: [String], partitions: [TopicPartition], previous: [String: Set<TopicPartition>]
    ) -> [String: Set<TopicPartition>] {
        guard !members.isEmpty else { return [:] }
        let all = Set(partitions)
        let minimum = partitions.count / members.count
        var extra = partitions.count % members.count
        var target: [String: Set<TopicPartition>] = [:]
        var unfilled: [(member: String, room: Int)] = []
        // Partitions no member keeps, in order: the unassigned ones first, then those over a quota.
        let previouslyAssigned = Set(previous.filter { members.contains($0.key) }.values.joined())
        var unassigned = partitions.filter { !previouslyAssigned.contains($0) }
        for member in members {
            var quota = minimum
            if extra > 0 {
                quota += 1
                extra -= 1
            }
            var kept: Set<TopicPartition> = []
            for tp in (previous[member] ?? []).sorted() where all.contains(tp) {
                if quota > 0 {
                    kept.insert(tp)
                    quota -= 1
                } else {
                    unassigned.append(tp)
                }
            }
            target[member] = kept
            if quota > 0 { unfilled.append((member, quota)) }
        }
        var next = 0
        for (member, room) in unfilled {
            for _ in 0..<room where next < unassigned.count {
                target[member, default: []].insert(unassigned[next])
                next += 1
            }
        }
        return target
    }
}

/// The `range` server-side assignor, as orderflow has it: per topic, contiguous ranges over the
/// members in order, the first `n % m` one more, as the classic `RangeAssignor`. Kafka's
/// server-side range assignor is sticky as well (a member keeps its previous range where the
/// new ranges allow); orderflow's is not, so a membership change may move more partitions.
package enum ServerRangeAssignor {
    package static func assign(members: [String], partitions: [TopicPartition]) -> [String: Set<TopicPartition>] {
        let input = AssignorInput(
            members: members.map { AssignorInput.Member(id: $0, topics: Array(Set(partitions.map(\.topic)))) },
            partitionsByTopic: Dictionary(grouping: partitions, by: \.topic).mapValues(\.count))
        return RangeAssignor.assign(input).mapValues(Set.init)
    }
}
