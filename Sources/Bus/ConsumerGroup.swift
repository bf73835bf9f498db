/// One consumer group under the consumer protocol (KIP-848, generally available since Kafka
/// 4.0): no JoinGroup/SyncGroup barrier. Every membership change bumps the group epoch and the
/// coordinator computes a new target assignment at once (server-side `uniform` or `range`); each
/// member converges to its target on its own heartbeats, revoking before it is assigned
/// (`CurrentAssignmentBuilder`), while the others go on reading what they keep.
///
/// Heartbeats run every `heartbeatInterval` from a member's last one; only those that find
/// something to reconcile change anything, so only those are due on the clock. A member that
/// gives partitions up does so at its next poll (the rebalance listener runs inside poll, after
/// the listener's commit) and heartbeats at once to say so, as the Java client does.
///
/// `max.poll.interval.ms` stays the client's: a consumer that does not poll in time leaves the
/// group (see `KafkaConsumer`), and its partitions go to the others on their next heartbeat.
final class ConsumerGroup: Group {
    struct Member {
        var identity: MemberIdentity
        var topics: [String]
        var joinSequence: Int
        var reconciled: ReconciledMember
        /// What the client holds, as it last reported: partitions it was told to give up stay
        /// here until its next poll revokes them.
        var owned: Set<TopicPartition> = []
        /// When it last heartbeat: later heartbeats fall every `heartbeatInterval` after it.
        var lastHeartbeat: VirtualTime
        /// The heartbeat that will find something to reconcile; nil while it has nothing to do.
        var nextHeartbeat: VirtualTime?
        /// When it died, or left as a static member: its session runs from here.
        var awaySince: VirtualTime?
        var present: Bool { awaySince == nil }
    }

    let id: String
    let config: GroupConfig
    let offsets: GroupOffsets
    private(set) var members: [String: Member] = [:]
    private(set) var groupEpoch = 0
    private(set) var targetEpoch = 0
    private(set) var target: [String: Set<TopicPartition>] = [:]
    private(set) var knownTopics: [String] = []
    private var joins = 0

    /// `offsets` and `knownTopics` carry over from an empty group of the other protocol.
    init(id: String, config: GroupConfig, offsets: GroupOffsets = GroupOffsets(), knownTopics: [String] = []) {
        self.id = id
        self.config = config
        self.offsets = offsets
        self.knownTopics = knownTopics
    }

    var generation: Int { groupEpoch }
    var assignmentStrategy: String? { members.isEmpty ? nil : config.remoteAssignor.rawValue }

    /// As Kafka's `ConsumerGroup.maybeUpdateGroupState`.
    var state: GroupState {
        if members.isEmpty { return .empty }
        if groupEpoch > targetEpoch { return .assigning }
        let converged = members.values.allSatisfy {
            $0.reconciled.memberEpoch == targetEpoch && $0.reconciled.state == .stable
        }
        return converged ? .stable : .reconciling
    }

    // MARK: Membership

    /// A heartbeat at epoch 0: a new member (the group epoch moves), or a static member back
    /// in time, which takes its predecessor's place and assignment with no epoch change.
    func join(member: MemberIdentity, topics: [String], cluster: Cluster, now: VirtualTime) {
        defer { notePauses(cluster: cluster, at: now) }
        for topic in topics where !knownTopics.contains(topic) { knownTopics.append(topic) }
        if let instance = member.groupInstanceId,
            let old = members.values.first(where: { $0.identity.groupInstanceId == instance })
        {
            replaceStatic(old, with: member, now: now)
        } else {
            joins += 1
            members[member.memberId] = Member(
                identity: member, topics: topics, joinSequence: joins,
                reconciled: ReconciledMember(memberEpoch: 0, previousMemberEpoch: 0), lastHeartbeat: now)
            bumpEpoch(cluster: cluster, at: now)
        }
        heartbeat(member.memberId, at: now)
    }

    private func replaceStatic(_ old: Member, with member: MemberIdentity, now: VirtualTime) {
        let oldId = old.identity.memberId
        members[oldId] = nil
        var replacement = old
        replacement.identity = member
        replacement.awaySince = nil
        replacement.lastHeartbeat = now
        // A new process holds nothing yet; the heartbeat's answer gives it its assignment.
        replacement.owned = []
        members[member.memberId] = replacement
        target[member.memberId] = target.removeValue(forKey: oldId)
        offsets.version += 1
        offsets.emptyPollStamp[oldId] = nil
        for tp in old.owned where offsets.owner[tp] == oldId { offsets.release(tp) }
    }

    /// A leave heartbeat: epoch -1 removes the member and moves the group epoch; a static
    /// member's epoch -2 keeps it, away, with its assignment until its session runs out.
    func leave(memberId: String, cluster: Cluster, now: VirtualTime) {
        guard let member = members[memberId] else { return }
        defer { notePauses(cluster: cluster, at: now) }
        if member.identity.groupInstanceId != nil { return markAway(memberId, at: now) }
        remove(memberId, cluster: cluster, at: now)
    }

    func kill(memberId: String, cluster: Cluster, now: VirtualTime) {
        guard members[memberId]?.present == true else { return }
        markAway(memberId, at: now)
        notePauses(cluster: cluster, at: now)
    }

    private func markAway(_ memberId: String, at now: VirtualTime) {
        members[memberId]?.awaySince = now
        members[memberId]?.nextHeartbeat = nil
        offsets.version += 1
    }

    private func remove(_ memberId: String, cluster: Cluster, at now: VirtualTime) {
        guard let member = members.removeValue(forKey: memberId) else { return }
        offsets.version += 1
        offsets.emptyPollStamp[memberId] = nil
        for tp in member.owned.union(member.reconciled.assigned) where offsets.owner[tp] == memberId {
            offsets.release(tp)
        }
        target[memberId] = nil
        bumpEpoch(cluster: cluster, at: now)
    }

    func isAlive(_ memberId: String) -> Bool { members[memberId]?.present == true }

    // MARK: The target assignment

    /// The membership changed: a new group epoch and, computed at once, its target assignment.
    private func bumpEpoch(cluster: Cluster, at now: VirtualTime) {
        if groupEpoch > 0 && !members.isEmpty { offsets.pauses.countRebalance() }
        groupEpoch += 1
        let ids = members.keys.sorted()
        target = config.remoteAssignor.assign(
            members: ids, partitions: allPartitions(cluster: cluster), previous: target)
        targetEpoch = groupEpoch
        // Each member learns of its new target on its next heartbeat.
        for id in ids { scheduleHeartbeat(id, after: now) }
    }

    /// The member's next heartbeat after `time`, if it has something to reconcile.
    private func scheduleHeartbeat(_ id: String, after time: VirtualTime) {
        guard let m = members[id], m.present else { return }
        let needed =
            m.reconciled.memberEpoch != targetEpoch || m.reconciled.state != .stable
            || !m.owned.isSubset(of: m.reconciled.assigned)
        guard needed else {
            members[id]?.nextHeartbeat = nil
            return
        }
        let interval = max(1, config.heartbeatInterval.milliseconds)
        let beats = max(0, (time - m.lastHeartbeat).milliseconds) / interval + 1
        members[id]?.nextHeartbeat = m.lastHeartbeat + .milliseconds(beats * interval)
    }

    /// A heartbeat: the member reports what it holds and gets its next assignment back.
    private func heartbeat(_ id: String, at now: VirtualTime) {
        guard let m = members[id], m.present else { return }
        let next = CurrentAssignmentBuilder.next(
            m.reconciled, targetEpoch: targetEpoch, target: target[id] ?? [],
            heldByOther: { [members] tp in
                members.contains {
                    $0.key != id
                        && ($0.value.reconciled.assigned.contains(tp)
                            || $0.value.reconciled.pendingRevocation.contains(tp))
                }
            }, owned: m.owned)
        // Newly assigned partitions are the client's from this answer on, read from the commit.
        for tp in next.assigned.subtracting(m.owned) {
            offsets.release(tp)
            offsets.owner[tp] = id
            offsets.version += 1
        }
        members[id]?.owned.formUnion(next.assigned)
        members[id]?.reconciled = next
        members[id]?.lastHeartbeat = now
        scheduleHeartbeat(id, after: now)
    }

    // MARK: Polls

    /// A poll revokes what the member was told to give up, then heartbeats to say so.
    func beginPoll(memberId: String, cluster: Cluster, now: VirtualTime) -> Bool {
        guard let m = members[memberId], !m.owned.isSubset(of: m.reconciled.assigned) else { return true }
        for tp in m.owned.subtracting(m.reconciled.assigned) where offsets.owner[tp] == memberId {
            offsets.release(tp)
        }
        offsets.version += 1
        members[memberId]?.owned.formIntersection(m.reconciled.assigned)
        heartbeat(memberId, at: now)
        notePauses(cluster: cluster, at: now)
        return true
    }

    func mustRejoin(memberId: String) -> Bool {
        members[memberId].map { !$0.owned.isSubset(of: $0.reconciled.assigned) } ?? false
    }

    func idlePollIsInert(_ memberId: String) -> Bool { !mustRejoin(memberId: memberId) }

    func fetchablePartitions(of memberId: String) -> [TopicPartition] {
        guard let m = members[memberId] else { return [] }
        return m.owned.intersection(m.reconciled.assigned).filter { offsets.owner[$0] == memberId }.sorted()
    }

    /// A group whose members ran before the clock started: each has its target already.
    func formAtOnce(cluster: Cluster, at time: VirtualTime) {
        for id in members.keys.sorted() { heartbeat(id, at: time) }
        for tp in offsets.owner.keys.sorted() { _ = resolvedPosition(tp, cluster: cluster) }
        notePauses(cluster: cluster, at: time)
    }

    // MARK: The clock

    private enum Due: Comparable {
        case heartbeat(String)
        case eviction(String)
    }

    private func nextDue() -> (time: VirtualTime, what: Due)? {
        var best: (time: VirtualTime, what: Due)?
        for m in members.values {
            let id = m.identity.memberId
            let due: (VirtualTime, Due)? =
                if let away = m.awaySince { (away + config.consumerSessionTimeout, .eviction(id)) } else {
                    m.nextHeartbeat.map { ($0, .heartbeat(id)) }
                }
            if let due, best.map({ (due.0, due.1) < ($0.time, $0.what) }) ?? true { best = due }
        }
        return best
    }

    func nextDeadline() -> VirtualTime? { nextDue()?.time }

    func advance(to now: VirtualTime, cluster: Cluster) {
        runDue(until: now, cluster: cluster, next: nextDue) { time, what in
            switch what {
            case .heartbeat(let id): heartbeat(id, at: time)
            case .eviction(let id): remove(id, cluster: cluster, at: time)
            }
        }
    }

    // MARK: Observation

    func partitionStatuses(cluster: Cluster) -> [TopicPartition: PartitionStatus] {
        let targeted = Set(target.values.joined())
        return Dictionary(
            uniqueKeysWithValues: allPartitions(cluster: cluster).map { tp in
                guard let owner = offsets.owner[tp], let m = members[owner] else {
                    return (tp, targeted.contains(tp) ? .rebalancing : .unassigned)
                }
                if !m.present { return (tp, .ownerAway) }
                return (tp, m.reconciled.assigned.contains(tp) ? .consuming : .rebalancing)
            })
    }

    private var membersInOrder: [Member] { members.values.sorted { $0.joinSequence < $1.joinSequence } }

    /// A consumer group's describe shows each member's current assignment, reconciling or not.
    func describedAssignment() -> [(member: MemberIdentity, partitions: [TopicPartition])] {
        membersInOrder.map { ($0.identity, $0.reconciled.assigned.sorted()) }
    }

    func describeMembers() -> [GroupDescription.Member] {
        membersInOrder.map { m in
            var d = GroupDescription.Member(identity: m.identity, partitions: m.reconciled.assigned.count)
            d.memberEpoch = m.reconciled.memberEpoch
            d.assignment = m.reconciled.assigned.sorted()
            d.targetEpoch = targetEpoch
            d.targetAssignment = (target[m.identity.memberId] ?? []).sorted()
            return d
        }
    }
}
