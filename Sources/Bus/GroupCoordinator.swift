/// Kafka's group coordinator, on the broker side: the consumer groups' membership, rebalances,
/// committed offsets and fetch positions (see `Group`: a `ClassicGroup` or, under the consumer
/// protocol, a `ConsumerGroup`). It reads the cluster's logs and
/// offsets and never the other way round: a truncation reaches it as an observer of the cluster,
/// as Kafka's consumers learn of one from the leader epoch on their next fetch (KIP-320).
///
/// Fetch positions live here, beside the committed offsets, rather than in each client as
/// Kafka's `SubscriptionState` keeps them: a rebalance then hands a partition over in one table.
package final class GroupCoordinator {
    /// The single broker, as `--describe --state` names the group coordinator.
    package static let address = "localhost:9092 (1)"

    package let cluster: Cluster
    private var groups: [String: any Group] = [:]
    private var groupOrder: [String] = []

    package init(cluster: Cluster) {
        self.cluster = cluster
        cluster.observeTruncations { [unowned self] truncation in
            for id in groupOrder { groups[id]?.logTruncated(truncation.partition, to: truncation.end) }
        }
    }

    /// Creates the group on first use, as Kafka's coordinator does on the first JoinGroup (or
    /// consumer-protocol heartbeat).
    package func ensureGroup(_ groupId: String, config: GroupConfig) {
        if groups[groupId] == nil {
            groups[groupId] = Self.makeGroup(groupId, config: config, offsets: GroupOffsets(), topics: [])
            groupOrder.append(groupId)
        }
    }

    private static func makeGroup(_ id: String, config: GroupConfig, offsets: GroupOffsets, topics: [String])
        -> any Group
    {
        switch config.groupProtocol {
        case .classic: ClassicGroup(id: id, config: config, offsets: offsets, knownTopics: topics)
        case .consumer: ConsumerGroup(id: id, config: config, offsets: offsets, knownTopics: topics)
        }
    }

    /// A new configuration (assignor, protocol) for an empty group: its committed offsets and
    /// pause ledger carry over, as Kafka converts an empty classic group to a consumer group on
    /// the first consumer-protocol heartbeat (and back). False while the group has members.
    @discardableResult
    package func reconfigure(group groupId: String, config: GroupConfig) -> Bool {
        guard let old = groups[groupId], old.state == .empty else { return false }
        groups[groupId] = Self.makeGroup(groupId, config: config, offsets: old.offsets, topics: old.knownTopics)
        return true
    }

    package func config(ofGroup groupId: String) -> GroupConfig? { groups[groupId]?.config }

    package var groupIds: [String] { groupOrder }

    func group(_ id: String) -> any Group {
        guard let group = groups[id] else { preconditionFailure("group \(id) was never created") }
        return group
    }

    package func join(group groupId: String, member: MemberIdentity, topics: [String], now: VirtualTime) {
        advance(to: now)
        group(groupId).join(member: member, topics: topics, cluster: cluster, now: now)
    }

    /// Completes a new group's first rebalance at once, every member counted as joined: a group
    /// whose members were running before the clock started.
    package func formGroup(_ groupId: String, at now: VirtualTime = .zero) {
        group(groupId).formAtOnce(cluster: cluster, at: now)
    }

    /// A graceful close: LeaveGroup, and an immediate rebalance.
    package func leave(group groupId: String, memberId: String, now: VirtualTime) {
        advance(to: now)
        group(groupId).leave(memberId: memberId, cluster: cluster, now: now)
    }

    /// The member stops heartbeating without a word. The coordinator only notices when the
    /// session timeout runs out; until then its partitions stay assigned and unread.
    package func kill(group groupId: String, memberId: String, now: VirtualTime) {
        advance(to: now)
        group(groupId).kill(memberId: memberId, cluster: cluster, now: now)
    }

    package func poll(group groupId: String, memberId: String, maxRecords: Int, now: VirtualTime) -> PollResult {
        advance(to: now)
        return group(groupId).poll(memberId: memberId, maxRecords: maxRecords, cluster: cluster, now: now)
    }

    /// Commits `offset` (the next offset to read) for `tp`. Fails when the member no longer owns
    /// the partition: what Kafka reports as CommitFailedException after a rebalance.
    package func commit(
        group groupId: String, memberId: String, _ tp: TopicPartition, offset: Int64,
        now: VirtualTime
    ) throws(CommitError) {
        advance(to: now)
        // Records are read below the high watermark, so a commit past it can only come from a
        // batch read before a truncation cut the log under it: it lands at the cut, as the
        // consumer's KIP-320 reset would leave it, never past the log's end.
        // With one replica nothing is ever cut: the commit path stays one lookup.
        let offset = cluster.isReplicated ? min(offset, cluster.highWatermark(tp)) : offset
        try group(groupId).commit(memberId: memberId, tp, offset: offset)
    }

    /// Auto-commit: commits the position of every partition the member owns (what earlier polls
    /// returned, and where an idle partition would be read next) and returns what it committed.
    @discardableResult
    package func commitPositions(group groupId: String, memberId: String, now: VirtualTime) -> [(TopicPartition, Int64)]
    {
        advance(to: now)
        return group(groupId).commitPositions(memberId: memberId)
    }

    /// Whether the group waits for this member to rejoin: its next poll will (and auto-commit
    /// commits first, as `ConsumerCoordinator.onJoinPrepare` does).
    package func mustRejoin(group groupId: String, memberId: String, now: VirtualTime) -> Bool {
        advance(to: now)
        return group(groupId).mustRejoin(memberId: memberId)
    }

    /// Whether the member's next poll would answer empty at once and change nothing (idle
    /// virtual time can then be skipped: see `answerIdlePolls`).
    package func idlePollWouldBeEmpty(group groupId: String, memberId: String) -> Bool {
        group(groupId).idlePollWouldBeEmpty(memberId: memberId, cluster: cluster)
    }

    /// `count` polls of an idle member answered at once, as `poll` would one by one: empty, with
    /// the fetch cursor turned as many times. Only when `idlePollWouldBeEmpty`.
    package func answerIdlePolls(group groupId: String, memberId: String, count: Int) {
        guard idlePollWouldBeEmpty(group: groupId, memberId: memberId) else { return }
        group(groupId).offsets.fetchCursor &+= count
    }

    /// Whether auto-commit would commit nothing new for the member.
    package func positionsCommitted(group groupId: String, memberId: String) -> Bool {
        group(groupId).positionsCommitted(memberId: memberId)
    }

    /// Moves a member's fetch position back, so a record whose processing failed is read again.
    package func seek(group groupId: String, memberId: String, _ tp: TopicPartition, to offset: Int64) {
        group(groupId).seek(memberId: memberId, tp, to: offset)
    }

    /// Runs what is due on the virtual clock: the cluster's replication first (what became
    /// readable), then session-timeout evictions and rebalance completions.
    package func advance(to now: VirtualTime) {
        cluster.advance(to: now)
        for id in groupOrder { groups[id]?.advance(to: now, cluster: cluster) }
    }

    /// The earliest virtual time at which a group's state would change, if any (the cluster's
    /// own deadlines are `Cluster.nextDeadline`).
    package func nextDeadline() -> VirtualTime? {
        groupOrder.compactMap { groups[$0]?.nextDeadline() }.min()
    }

    package func state(ofGroup groupId: String) -> GroupState { group(groupId).state }
    package func generation(ofGroup groupId: String) -> Int { group(groupId).generation }
    package func committedOffset(group groupId: String, _ tp: TopicPartition) -> Int64? {
        group(groupId).offsets.committed[tp]
    }
    /// The partitions the member may read now: its assignment less what a rebalance revoked.
    package func assignment(group groupId: String, memberId: String) -> [TopicPartition] {
        group(groupId).fetchablePartitions(of: memberId)
    }
    package func redeliveries(ofGroup groupId: String) -> Int { group(groupId).offsets.redeliveries }
    /// Each partition's status now and since when (the pause view).
    package func partitionStatuses(ofGroup groupId: String) -> [TopicPartition: (
        status: PartitionStatus, since: VirtualTime
    )] {
        group(groupId).offsets.pauses.current
    }
    /// The group's paused partition-time by cause, and its rebalances, up to `now`.
    package func pauses(ofGroup groupId: String, now: VirtualTime) -> PauseTotals {
        group(groupId).offsets.pauses.totals(at: now)
    }
    package func subscribedTopics(ofGroup groupId: String) -> [String] { group(groupId).knownTopics }
}
