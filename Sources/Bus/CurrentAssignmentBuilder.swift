/// Where a consumer-protocol member stands in its reconciliation, by Kafka's names
/// (`MemberState` in the group coordinator).
package enum MemberState: String, Sendable {
    /// Its assignment is its target's, at the target epoch.
    case stable = "STABLE"
    /// It must give partitions up first; it stays at its epoch until it reports them revoked.
    case unrevokedPartitions = "UNREVOKED_PARTITIONS"
    /// At the target epoch, waiting for partitions another member has not released yet.
    case unreleasedPartitions = "UNRELEASED_PARTITIONS"
}

/// A member's side of the reconciliation: its epochs, what it has, what it must give up.
package struct ReconciledMember: Equatable, Sendable {
    package var state: MemberState
    package var memberEpoch: Int
    package var previousMemberEpoch: Int
    package var assigned: Set<TopicPartition>
    package var pendingRevocation: Set<TopicPartition>

    package init(
        state: MemberState = .stable, memberEpoch: Int, previousMemberEpoch: Int,
        assigned: Set<TopicPartition> = [], pendingRevocation: Set<TopicPartition> = []
    ) {
        self.state = state
        self.memberEpoch = memberEpoch
        self.previousMemberEpoch = previousMemberEpoch
        self.assigned = assigned
        self.pendingRevocation = pendingRevocation
    }
}

/// The consumer protocol's reconciliation engine, as Kafka's `CurrentAssignmentBuilder`: given
/// a member and its target, the member's next state. Revocation comes before assignment, per
/// partition: a member first gives up what its target no longer has (staying at its epoch),
/// then moves to the target epoch with the partitions that are free; a partition another
/// member still holds is "unreleased" and handed over on a later heartbeat.
///
/// Kafka's builder also strips topics a member unsubscribed from; orderflow's services never
/// change their subscriptions, so that branch is not here.
package enum CurrentAssignmentBuilder {
    /// - Parameters:
    ///   - targetEpoch, target: the target assignment epoch and the member's target partitions.
    ///   - heldByOther: whether a partition is assigned to, or being revoked by, another member
    ///     (Kafka's `currentPartitionEpoch(...) != -1`).
    ///   - owned: the partitions the member's last heartbeat reported; nil when it reported none.
    package static func next(
        _ member: ReconciledMember, targetEpoch: Int, target: Set<TopicPartition>,
        heldByOther: (TopicPartition) -> Bool, owned: Set<TopicPartition>?
    ) -> ReconciledMember {
        switch member.state {
        case .stable:
            guard member.memberEpoch != targetEpoch else { return member }
        case .unrevokedPartitions:
            // Until it reports the revoked partitions gone, it cannot move on.
            if owns(member.pendingRevocation, owned) { return member }
        case .unreleasedPartitions:
            break
        }
        return computeNext(member, targetEpoch: targetEpoch, target: target, heldByOther: heldByOther, owned: owned)
    }

    private static func owns(_ revoked: Set<TopicPartition>, _ owned: Set<TopicPartition>?) -> Bool {
        guard let owned else { return true }
        return !revoked.isDisjoint(with: owned)
    }

    private static func computeNext(
        _ member: ReconciledMember, targetEpoch: Int, target: Set<TopicPartition>,
        heldByOther: (TopicPartition) -> Bool, owned: Set<TopicPartition>?
    ) -> ReconciledMember {
        let kept = member.assigned.intersection(target)
        let revoke = member.assigned.subtracting(kept)
        var pendingAssignment = target.subtracting(kept)
        let unreleased = pendingAssignment.filter { heldByOther($0) && !member.pendingRevocation.contains($0) }
        pendingAssignment.subtract(unreleased)
        var next = member
        next.previousMemberEpoch = member.memberEpoch
        if !revoke.isEmpty && owns(revoke, owned) {
            next.state = .unrevokedPartitions
            next.assigned = kept
            next.pendingRevocation = revoke
            return next
        }
        next.memberEpoch = targetEpoch
        next.assigned = kept.union(pendingAssignment)
        next.pendingRevocation = []
        next.state = unreleased.isEmpty ? .stable : .unreleasedPartitions
        return next
    }
}
