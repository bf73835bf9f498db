/// One consumer group under the classic protocol: members, generation, assignment; its offsets
/// and fetch state are the shared `GroupOffsets`.
///
/// A rebalance runs Kafka's two phases: `PreparingRebalance` until every live member has
/// rejoined (a member rejoins at its next poll; a dead one is waited for until its session
/// times out, one that never polls until the rebalance timeout), then `CompletingRebalance`
/// for `rebalanceTime` while the leader's assignment is synced, then `Stable`.
///
/// Static members (KIP-345, `group.instance.id`) send no LeaveGroup when they close: they are
/// away, their partitions unread and not reassigned, until their session runs out; one that
/// comes back in time takes its assignment back without a rebalance.
final class ClassicGroup: Group {
    struct Member {
        var identity: MemberIdentity
        var topics: [String]
        /// The order members joined in: the coordinator's member order, for `describe`.
        var joinSequence: Int
        /// When it died, or closed as a static member: its session runs from here.
        var awaySince: VirtualTime?
        /// Whether the member has sent its JoinGroup in the current round (it does at its next poll).
        var rejoined: Bool
        var present: Bool { awaySince == nil }
    }

    let id: String
    let config: GroupConfig
    let offsets: GroupOffsets
    // Members, assignment and revoking are written by this type's files only (the static
    // membership part is `ClassicGroup+Static.swift`).
    var members: [String: Member] = [:]
    private(set) var generation = 0
    private(set) var state: GroupState = .empty
    /// The current generation's assignment, and for the sticky assignors the previous one.
    var assignment: [String: [TopicPartition]] = [:]
    /// Cooperative: partitions the last sync took from a member, which it still holds until its
    /// next poll revokes them (`onPartitionsRevoked` runs inside poll, after the listener's commit).
    var revoking: [String: [TopicPartition]] = [:]
    private(set) var knownTopics: [String] = []
    private var rebalanceStartedAt: VirtualTime?
    private var syncStartedAt: VirtualTime?
    private var joins = 0

    /// `offsets` and `knownTopics` carry over from an empty group of the other protocol.
    init(id: String, config: GroupConfig, offsets: GroupOffsets = GroupOffsets(), knownTopics: [String] = []) {
        self.id = id
        self.config = config
        self.offsets = offsets
        self.knownTopics = knownTopics
    }

    var isEager: Bool { config.assignor != .cooperativeSticky }
    var assignmentStrategy: String? { members.isEmpty ? nil : config.assignor.kafkaName }

    // MARK: Membership

    func join(member: MemberIdentity, topics: [String], cluster: Cluster, now: VirtualTime) {
        defer { notePauses(cluster: cluster, at: now) }
        for topic in topics where !knownTopics.contains(topic) { knownTopics.append(topic) }
        if let instance = member.groupInstanceId,
            let old = members.values.first(where: { $0.identity.groupInstanceId == instance })
        {
            return replaceStatic(old, with: member, cluster: cluster, now: now)
        }
        joins += 1
        members[member.memberId] = Member(
            identity: member, topics: topics, joinSequence: joins, awaySince: nil, rejoined: false)
        membershipChanged(at: now)
        // The JoinGroup that started this round counts as the newcomer's rejoin.
        members[member.memberId]?.rejoined = true
        completeJoinIfReady(at: now, cluster: cluster)
    }

    /// LeaveGroup: a graceful close, or a consumer whose poll interval ran out. A static member
    /// sends none (the Java client leaves only as a dynamic member): it is away instead.
    func leave(memberId: String, cluster: Cluster, now: VirtualTime) {
        guard let member = members[memberId] else { return }
        defer { notePauses(cluster: cluster, at: now) }
        if member.identity.groupInstanceId != nil { return markAway(memberId, at: now, cluster: cluster) }
        members[memberId] = nil
        release(memberId)
        membershipChanged(at: now)
        completeJoinIfReady(at: now, cluster: cluster)
    }

    func kill(memberId: String, cluster: Cluster, now: VirtualTime) {
        markAway(memberId, at: now, cluster: cluster)
    }

    private func markAway(_ memberId: String, at now: VirtualTime, cluster: Cluster) {
        guard members[memberId]?.present == true else { return }
        members[memberId]?.awaySince = now
        offsets.version += 1
        notePauses(cluster: cluster, at: now)
    }

    func isAlive(_ memberId: String) -> Bool { members[memberId]?.present == true }

    private func release(_ memberId: String) {
        offsets.version += 1
        offsets.emptyPollStamp[memberId] = nil
        for tp in (assignment[memberId] ?? []) + (revoking[memberId] ?? []) where offsets.owner[tp] == memberId {
            offsets.release(tp)
        }
        assignment[memberId] = nil
        revoking[memberId] = nil
    }

    // MARK: Rebalancing

    /// A member came or went: a new join round opens, unless one is already collecting members.
    func membershipChanged(at time: VirtualTime) {
        offsets.version += 1
        if members.isEmpty {
            state = .empty
            assignment = [:]
            revoking = [:]
            offsets.owner = [:]
            offsets.position = [:]
            rebalanceStartedAt = nil
            syncStartedAt = nil
            return
        }
        guard state != .preparingRebalance else { return }
        state = .preparingRebalance
        rebalanceStartedAt = time
        syncStartedAt = nil
        for id in members.keys { members[id]?.rejoined = false }
    }

    /// A poll revokes what the last sync took from the member (cooperative), then, during a
    /// join round, is the member's JoinGroup: under the eager protocol it gives up every
    /// partition first; under the cooperative one it keeps fetching them.
    /// Returns whether the poll may fetch.
    func beginPoll(memberId: String, cluster: Cluster, now: VirtualTime) -> Bool {
        var changed = false
        if let taken = revoking.removeValue(forKey: memberId) {
            for tp in taken where offsets.owner[tp] == memberId { offsets.release(tp) }
            offsets.version += 1
            changed = true
        }
        let rejoined = rejoinIfAsked(memberId: memberId, cluster: cluster, now: now)
        if changed || rejoined { notePauses(cluster: cluster, at: now) }
        return !(isEager && (rejoined || state != .stable))
    }

    private func rejoinIfAsked(memberId: String, cluster: Cluster, now: VirtualTime) -> Bool {
        guard state == .preparingRebalance, members[memberId]?.rejoined == false else { return false }
        members[memberId]?.rejoined = true
        offsets.version += 1
        if isEager {
            for tp in assignment[memberId] ?? [] where offsets.owner[tp] == memberId { offsets.release(tp) }
        }
        completeJoinIfReady(at: now, cluster: cluster)
        return true
    }

    /// The first round done before the clock starts: every member joined, the assignment synced...
    func formAtOnce(cluster: Cluster, at time: VirtualTime) {
        guard generation == 0, state.isRebalancing, let start = rebalanceStartedAt else { return }
        for id in members.keys { members[id]?.rejoined = true }
        completeJoinIfReady(at: start, cluster: cluster)
        if state == .completingRebalance { sync(at: start, cluster: cluster) }
        // ... and each member has polled once, so every partition has its position already.
        for tp in offsets.owner.keys.sorted() { _ = resolvedPosition(tp, cluster: cluster) }
        notePauses(cluster: cluster, at: time)
    }

    /// Whether the coordinator waits for this member's JoinGroup (its next poll rejoins), or for
    /// its poll to revoke what the last sync took: auto-commit commits first in both cases.
    func mustRejoin(memberId: String) -> Bool {
        (state == .preparingRebalance && members[memberId]?.rejoined == false) || revoking[memberId] != nil
    }

    func idlePollIsInert(_ memberId: String) -> Bool { state == .stable && revoking[memberId] == nil }

    func fetchablePartitions(of memberId: String) -> [TopicPartition] {
        offsets.ownedPartitions(of: memberId, among: assignment[memberId] ?? [])
    }

    /// Every member sent its JoinGroup in this round. A member that died before its JoinGroup
    /// never sends it: the round waits for its eviction (or the rebalance timeout), as Kafka's
    /// does. One that died after it counts as joined, as the coordinator cannot tell (a member
    /// awaiting join satisfies its heartbeats: `ClassicGroupMember.hasSatisfiedHeartbeat`): it
    /// gets an assignment, and its session timeout later opens another round.
    private var allMembersRejoined: Bool { members.values.allSatisfy(\.rejoined) }
    private var hasAwayMembers: Bool { members.values.contains { !$0.present } }

    func completeJoinIfReady(at time: VirtualTime, cluster: Cluster) {
        guard state == .preparingRebalance, allMembersRejoined else { return }
        state = .completingRebalance
        syncStartedAt = time
        completeSyncIfDue(now: time, cluster: cluster)
    }

    private enum Due: Comparable {
        case eviction(String)
        case rebalanceTimeout
        case sync
    }

    /// What the clock will change next, and when: a session running out, a join round timing
    /// out, or the assignment arriving.
    private func nextDue() -> (time: VirtualTime, what: Due)? {
        // The common case, asked before every job the simulation runs: nothing pending.
        guard state.isRebalancing || hasAwayMembers else { return nil }
        var due: [(time: VirtualTime, what: Due)] = members.values.compactMap { m in
            m.awaySince.map { ($0 + config.sessionTimeout, .eviction(m.identity.memberId)) }
        }
        if state == .preparingRebalance, let start = rebalanceStartedAt {
            due.append((start + config.rebalanceTimeout, .rebalanceTimeout))
        }
        if state == .completingRebalance, let start = syncStartedAt {
            due.append((start + config.rebalanceTime, .sync))
        }
        return due.min { ($0.time, $0.what) < ($1.time, $1.what) }
    }

    func nextDeadline() -> VirtualTime? { nextDue()?.time }

    /// Runs, in time order, everything due by `now` (`runDue`).
    func advance(to now: VirtualTime, cluster: Cluster) {
        runDue(until: now, cluster: cluster, next: nextDue) { time, what in
            switch what {
            case .eviction(let memberId):
                members[memberId] = nil
                release(memberId)
                membershipChanged(at: time)
            case .rebalanceTimeout:
                // Members that did not rejoin in time are dropped from the group.
                for m in members.values where !m.rejoined {
                    members[m.identity.memberId] = nil
                    release(m.identity.memberId)
                }
                if members.isEmpty { membershipChanged(at: time) }
            case .sync:
                completeSyncIfDue(now: time, cluster: cluster)
            }
            completeJoinIfReady(at: time, cluster: cluster)
        }
    }

    private func completeSyncIfDue(now: VirtualTime, cluster: Cluster) {
        guard state == .completingRebalance, let start = syncStartedAt, now >= start + config.rebalanceTime
        else { return }
        sync(at: start + config.rebalanceTime, cluster: cluster)
    }

    /// The leader's assignment arrives: a new generation is installed.
    private func sync(at done: VirtualTime, cluster: Cluster) {
        let subscriptions = members.values.map { AssignorInput.Member(id: $0.identity.memberId, topics: $0.topics) }
        let partitionsByTopic = Dictionary(
            uniqueKeysWithValues: knownTopics.map { ($0, cluster.partitionCount(of: $0)) })
        let input = AssignorInput(members: subscriptions, partitionsByTopic: partitionsByTopic, previous: assignment)
        var target = config.assignor.assign(input)
        if generation > 0 { offsets.pauses.countRebalance() }
        generation += 1
        var taken: [String: [TopicPartition]] = [:]
        if !isEager {
            // Cooperative: a partition still owned by someone else is first revoked, and only
            // handed to its new owner in a follow-up round.
            for (memberId, partitions) in target {
                let keep = partitions.filter { tp in offsets.owner[tp] == nil || offsets.owner[tp] == memberId }
                target[memberId] = keep
            }
            let kept = Set(target.values.joined())
            for (tp, memberId) in offsets.owner where !kept.contains(tp) { taken[memberId, default: []].append(tp) }
        }
        install(target, keeping: taken)
        state = .stable
        syncStartedAt = nil
        rebalanceStartedAt = nil
        if !taken.isEmpty { membershipChanged(at: done) }
    }

    /// The new generation's owners; what the cooperative sync took stays with its old owner
    /// until that member's next poll revokes it.
    private func install(_ target: [String: [TopicPartition]], keeping taken: [String: [TopicPartition]]) {
        offsets.version += 1
        let previousOwner = offsets.owner
        assignment = target
        revoking = taken.mapValues { $0.sorted() }
        offsets.owner = [:]
        for (memberId, partitions) in target {
            for tp in partitions { offsets.owner[tp] = memberId }
        }
        for (memberId, partitions) in revoking {
            for tp in partitions { offsets.owner[tp] = memberId }
        }
        for tp in previousOwner.keys where offsets.owner[tp] != previousOwner[tp] { offsets.position[tp] = nil }
        for tp in offsets.position.keys where offsets.owner[tp] == nil { offsets.position[tp] = nil }
    }
}
