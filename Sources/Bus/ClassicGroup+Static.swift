/// Static membership under the classic protocol (KIP-345): a member back under its
/// `group.instance.id` takes its predecessor's place.
extension ClassicGroup {
    /// A static member back under a new member id: it takes the old one's place and assignment.
    /// In a Stable group nothing else happens (Kafka: "Static member which joins during Stable
    /// stage and doesn't affect selectProtocol will not trigger rebalance"); during a round it
    /// counts as rejoined, and while the assignment is synced it starts a new round, as Kafka's does.
    func replaceStatic(_ old: Member, with member: MemberIdentity, cluster: Cluster, now: VirtualTime) {
        let oldId = old.identity.memberId
        members[oldId] = nil
        members[member.memberId] = Member(
            identity: member, topics: old.topics, joinSequence: old.joinSequence, awaySince: nil, rejoined: true)
        offsets.version += 1
        offsets.emptyPollStamp[oldId] = nil
        // A new process: what the old one held goes over to it, from the committed offsets.
        let partitions = assignment.removeValue(forKey: oldId) ?? []
        assignment[member.memberId] = partitions
        for tp in partitions where offsets.owner[tp] == oldId {
            offsets.release(tp)
            offsets.owner[tp] = member.memberId
        }
        for tp in revoking.removeValue(forKey: oldId) ?? [] { offsets.release(tp) }
        switch state {
        case .completingRebalance: membershipChanged(at: now)
        case .preparingRebalance: completeJoinIfReady(at: now, cluster: cluster)
        case .empty, .stable, .assigning, .reconciling: break
        }
    }
}
