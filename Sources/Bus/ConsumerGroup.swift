/// One consumer group under the classic protocol: members, generation, assignment, committed
/// offsets and the fetch position of each partition's current owner.
///
/// A rebalance runs Kafka's two phases: `PreparingRebalance` until every live member has
/// rejoined (a member rejoins at its next poll; a dead one is waited for until its session
/// times out, one that never polls until the rebalance timeout), then `CompletingRebalance`
/// for `rebalanceTime` while the leader's assignment is synced, then `Stable`.
final class ConsumerGroup {
    struct Member {
        var identity: MemberIdentity
        var topics: [String]
        /// The order members joined in: the coordinator's member order, for `describe`.
        var joinSequence: Int
        var killedAt: VirtualTime?
        /// Whether the member has sent its JoinGroup in the current round (it does at its next poll).
        var rejoined: Bool
        var alive: Bool { killedAt == nil }
    }

    let id: String
    let config: GroupConfig
    private(set) var members: [String: Member] = [:]
    private(set) var generation = 0
    private(set) var state: GroupState = .empty
    /// The current generation's assignment, and for the sticky assignors the previous one.
    private(set) var assignment: [String: [TopicPartition]] = [:]
    // The fetch half (`ConsumerGroup+Fetch.swift`) writes what follows up to `emptyPollStamp`
    // as well; nothing else in Bus does.
    var committed: [TopicPartition: Int64] = [:]
    var redeliveries = 0
    /// Topics any member ever subscribed to: their partitions stay in `describe` when the group empties.
    private(set) var knownTopics: [String] = []
    /// Who may fetch and commit a partition now. Empty for a partition revoked in a rebalance.
    private(set) var owner: [TopicPartition: String] = [:]
    var position: [TopicPartition: Int64] = [:]
    /// The highest offset handed out per partition, to recognise redeliveries.
    var highestDelivered: [TopicPartition: Int64] = [:]
    private var rebalanceStartedAt: VirtualTime?
    private var syncStartedAt: VirtualTime?
    private var joins = 0
    var fetchCursor = 0
    /// Bumped whenever owners or positions change other than by a fetch: with the broker's
    /// append count it tells an idle poll that nothing could have become readable since the
    /// member's last empty poll, so it answers at once (the dashboard's idle consumers poll ten
    /// times a virtual second).
    var version = 0
    var emptyPollStamp: [String: (version: Int, appends: Int)] = [:]

    init(id: String, config: GroupConfig) {
        self.id = id
        self.config = config
    }

    var isEager: Bool { config.assignor != .cooperativeSticky }

    // MARK: Membership

    func join(member: MemberIdentity, topics: [String], cluster: Cluster, now: VirtualTime) {
        joins += 1
        members[member.memberId] = Member(
            identity: member, topics: topics, joinSequence: joins, killedAt: nil, rejoined: false)
        for topic in topics where !knownTopics.contains(topic) { knownTopics.append(topic) }
        membershipChanged(at: now)
        // The JoinGroup that started this round counts as the newcomer's rejoin.
        members[member.memberId]?.rejoined = true
        completeJoinIfReady(at: now, cluster: cluster)
    }

    /// LeaveGroup: a graceful close, or a consumer whose poll interval ran out.
    func leave(memberId: String, cluster: Cluster, now: VirtualTime) {
        guard members.removeValue(forKey: memberId) != nil else { return }
        release(memberId)
        membershipChanged(at: now)
        completeJoinIfReady(at: now, cluster: cluster)
    }

    func kill(memberId: String, now: VirtualTime) {
        guard members[memberId]?.alive == true else { return }
        members[memberId]?.killedAt = now
    }

    private func release(_ memberId: String) {
        version += 1
        emptyPollStamp[memberId] = nil
        for tp in assignment[memberId] ?? [] where owner[tp] == memberId {
            owner[tp] = nil
            position[tp] = nil
        }
        assignment[memberId] = nil
    }

    // MARK: Rebalancing

    /// A member came or went: a new join round opens, unless one is already collecting members.
    private func membershipChanged(at time: VirtualTime) {
        version += 1
        if members.isEmpty {
            state = .empty
            assignment = [:]
            owner = [:]
            position = [:]
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

    /// A poll during a join round is the member's JoinGroup. Under the eager protocol it gives
    /// up every partition first; under the cooperative one it keeps fetching them.
    /// Returns whether this poll was the member's JoinGroup.
    @discardableResult
    func rejoinIfAsked(memberId: String, cluster: Cluster, now: VirtualTime) -> Bool {
        guard state == .preparingRebalance, members[memberId]?.rejoined == false else { return false }
        members[memberId]?.rejoined = true
        version += 1
        if isEager {
            for tp in assignment[memberId] ?? [] where owner[tp] == memberId {
                owner[tp] = nil
                position[tp] = nil
            }
        }
        completeJoinIfReady(at: now, cluster: cluster)
        return true
    }

    /// The first round done before the clock starts: every member joined, the assignment synced...
    func formAtOnce(cluster: Cluster) {
        guard generation == 0, state.isRebalancing, let start = rebalanceStartedAt else { return }
        for id in members.keys { members[id]?.rejoined = true }
        completeJoinIfReady(at: start, cluster: cluster)
        if state == .completingRebalance { sync(at: start, cluster: cluster) }
        // ... and each member has polled once, so every partition has its position already.
        for tp in owner.keys.sorted() { _ = resolvedPosition(tp, cluster: cluster) }
    }

    /// Whether the coordinator waits for this member's JoinGroup: its next poll rejoins.
    func mustRejoin(memberId: String) -> Bool {
        state == .preparingRebalance && members[memberId]?.rejoined == false
    }

    /// Every member sent its JoinGroup in this round. A member that died before its JoinGroup
    /// never sends it: the round waits for its eviction (or the rebalance timeout), as Kafka's
    /// does. One that died after it counts as joined, as the coordinator cannot tell (a member
    /// awaiting join satisfies its heartbeats: `ClassicGroupMember.hasSatisfiedHeartbeat`): it
    /// gets an assignment, and its session timeout later opens another round.
    private var allMembersRejoined: Bool { members.values.allSatisfy(\.rejoined) }
    private var hasDeadMembers: Bool { members.values.contains { !$0.alive } }

    private func completeJoinIfReady(at time: VirtualTime, cluster: Cluster) {
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
        guard state.isRebalancing || hasDeadMembers else { return nil }
        var due: [(time: VirtualTime, what: Due)] = members.values.compactMap { m in
            m.killedAt.map { ($0 + config.sessionTimeout, .eviction(m.identity.memberId)) }
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

    /// Runs, in time order, everything due by `now`.
    /// Each due item changes the group so that it is not due again; should one ever come back
    /// unchanged, the loop stops rather than spin (and `nextDeadline` stays in the past, which
    /// the coordinator-progress test catches).
    func advance(to now: VirtualTime, cluster: Cluster) {
        var last: (time: VirtualTime, what: Due)?
        while let (time, what) = nextDue(), time <= now {
            if let last, last.time == time, last.what == what { return }
            last = (time, what)
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
        generation += 1
        var revoked = false
        if !isEager {
            // Cooperative: a partition still owned by someone else is first revoked, and only
            // handed to its new owner in a follow-up round.
            for (memberId, partitions) in target {
                let keep = partitions.filter { tp in owner[tp] == nil || owner[tp] == memberId }
                revoked = revoked || keep.count < partitions.count
                target[memberId] = keep
            }
        }
        install(target)
        state = .stable
        syncStartedAt = nil
        rebalanceStartedAt = nil
        if revoked { membershipChanged(at: done) }
    }

    private func install(_ target: [String: [TopicPartition]]) {
        version += 1
        let previousOwner = owner
        assignment = target
        owner = [:]
        for (memberId, partitions) in target {
            for tp in partitions { owner[tp] = memberId }
        }
        for tp in previousOwner.keys where owner[tp] != previousOwner[tp] { position[tp] = nil }
        for tp in position.keys where owner[tp] == nil { position[tp] = nil }
    }
}
