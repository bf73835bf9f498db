/// A topic's shape, as the config declares it.
package struct TopicConfig: Hashable, Sendable {
    package var name: String
    package var partitions: Int

    package init(name: String, partitions: Int) {
        self.name = name
        self.partitions = partitions
    }
}

package enum BrokerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The broker refused the write (fault injection): the record is not in the log.
    case rejected(topic: String)
    case unknownTopic(String)
    /// The cluster refused the send, or could not complete it (see `ProduceError`).
    case refused(ProduceError)

    package var description: String {
        switch self {
        case .rejected(let topic): "the broker rejected the send to \(topic)"
        case .unknownTopic(let topic): "unknown topic \(topic)"
        case .refused(let error): error.description
        }
    }
}

/// The in-process broker: topics of partitioned logs plus the group coordinator.
///
/// It is a single-threaded value-owning object: the simulation calls it in virtual-time order,
/// and every call that can change group state takes `now` so timeouts run on the virtual clock.
package final class Cluster {
    package let topics: [TopicConfig]
    var logs: [String: [PartitionLog]] = [:]
    private var groups: [String: ConsumerGroup] = [:]
    private var groupOrder: [String] = []
    private var sendsToReject = 0

    /// Called once for every record that reaches a log, in append order.
    package var onAppend: ((Record) -> Void)?
    /// Called with the records a truncation removes (a new leader's log was shorter), before
    /// they go: whoever counted them as written must count them again.
    package var onTruncate: (([Record]) -> Void)?
    /// Called when an `acks=all` send is answered (see `produce`).
    package var onProduceCompletion: ((ProduceCompletion) -> Void)?
    /// Replication across brokers; nil with one replica per partition (the default).
    var clusterState: ClusterState?
    /// Only `uncleanLeaderElection` changes after the start (`setUncleanLeaderElection`).
    package internal(set) var config: ClusterConfig

    /// With a `spill`, each partition keeps its newest records in memory and older ones there.
    /// With a `cluster` of several replicas, partitions are replicated (see `Cluster+Produce.swift`).
    package init(
        topics: [TopicConfig], retention: Int, spill: LogSpill? = nil, config: ClusterConfig = ClusterConfig()
    ) {
        self.topics = topics
        self.config = config
        clusterState = config.isSingleReplica ? nil : ClusterState(config: config, topics: topics)
        for topic in topics {
            precondition(topic.partitions > 0, "\(topic.name) needs at least one partition")
            logs[topic.name] = Array(
                repeating: PartitionLog(maxRecords: retention, spill: spill, replicated: clusterState != nil),
                count: topic.partitions)
        }
    }

    /// The first failure to read records back from the spill, if any: those records could not
    /// be delivered, as records on a failed disk could not be.
    package var storageFailure: String? {
        for topic in topics {
            for log in logs[topic.name] ?? [] { if let failure = log.storageFailure { return failure } }
        }
        return nil
    }

    // MARK: Producing

    /// Makes the next `count` sends fail, as a broker refusing writes would.
    package func rejectNextSends(_ count: Int) {
        sendsToReject += max(0, count)
    }

    package var pendingRejections: Int { sendsToReject }

    /// Throws `.rejected` when a rejection is armed (`rejectNextSends`).
    func rejectIfArmed(topic: String) throws(BrokerError) {
        guard sendsToReject > 0 else { return }
        refusedSends += 1
        sendsToReject -= 1
        throw .rejected(topic: topic)
    }

    /// Records appended so far, all topics: a poll that found nothing can tell whether anything
    /// could have arrived since.
    package internal(set) var appendCount = 0

    /// Sends refused so far (each one a publish that did not happen).
    package private(set) var refusedSends = 0

    /// Appends a keyed record to the partition Kafka's default partitioner picks for its key.
    /// The returned metadata says the record is in the log, and nothing more.
    @discardableResult
    package func send(
        topic: String, key: [UInt8], value: [UInt8], headers: RecordHeaders,
        timestamp: VirtualTime
    ) throws(BrokerError) -> RecordMetadata {
        // One hash of the topic name per send: the index is reused for the read and the append.
        guard let index = logs.index(forKey: topic) else { throw .unknownTopic(topic) }
        try rejectIfArmed(topic: topic)
        let partition = KafkaPartitioner.partition(forKey: key, partitionCount: logs.values[index].count)
        if clusterState != nil {
            // Replicated: a direct send is an acks=1 produce (the repair's republish, the poison
            // action); the services send through their `Producer` with its own acks.
            switch try produce(
                index: index, partition: partition, key: key, value: value, headers: headers, timestamp: timestamp,
                acks: .leader)
            {
            case .acknowledged(let metadata), .pending(_, let metadata): return metadata
            case .unacknowledged(let metadata):
                return metadata ?? RecordMetadata(topic: topic, partition: partition, offset: -1)
            }
        }
        let record = logs.values[index][partition].append(
            topic: logs.keys[index], partition: partition, key: key, value: value, headers: headers,
            timestamp: timestamp)
        appendCount += 1
        onAppend?(record)
        return RecordMetadata(topic: topic, partition: partition, offset: record.offset)
    }

    // MARK: Reading the logs

    package func partitionCount(of topic: String) -> Int { logs[topic]?.count ?? 0 }

    package func logStartOffset(_ tp: TopicPartition) -> Int64 { logs[tp.topic]?[tp.partition].logStartOffset ?? 0 }
    package func logEndOffset(_ tp: TopicPartition) -> Int64 { logs[tp.topic]?[tp.partition].logEndOffset ?? 0 }

    package func records(_ tp: TopicPartition, from offset: Int64, limit: Int) -> [Record] {
        var records: [Record] = []
        _ = appendRecords(tp, from: offset, limit: limit, into: &records)
        return records
    }

    /// `records(_:from:limit:)` appended to `output`; returns how many.
    func appendRecords(_ tp: TopicPartition, from offset: Int64, limit: Int, into output: inout [Record]) -> Int {
        guard let index = logs.index(forKey: tp.topic), logs.values[index].indices.contains(tp.partition) else {
            return 0
        }
        // Consumers read only below the high watermark (the log end with one replica, without
        // a second lookup of the topic on this path every poll takes).
        let end =
            clusterState == nil ? logs.values[index][tp.partition].logEndOffset : highWatermark(tp)
        let start = min(max(offset, logs.values[index][tp.partition].logStartOffset), end)
        return logs.values[index][tp.partition].read(
            topic: tp.topic, partition: tp.partition, from: start, limit: Int(min(Int64(max(0, limit)), end - start)),
            into: &output)
    }

    package func record(_ tp: TopicPartition, at offset: Int64) -> Record? {
        guard let index = logs.index(forKey: tp.topic), logs.values[index].indices.contains(tp.partition) else {
            return nil
        }
        return logs.values[index][tp.partition].record(topic: tp.topic, partition: tp.partition, at: offset)
    }

    package func partitions(of topic: String) -> [TopicPartition] {
        (0..<partitionCount(of: topic)).map { TopicPartition(topic, $0) }
    }

    // MARK: Consumer groups

    /// Creates the group on first use, as Kafka's coordinator does on the first JoinGroup.
    package func ensureGroup(_ groupId: String, config: GroupConfig) {
        if groups[groupId] == nil {
            groups[groupId] = ConsumerGroup(id: groupId, config: config)
            groupOrder.append(groupId)
        }
    }

    package var groupIds: [String] { groupOrder }

    func group(_ id: String) -> ConsumerGroup {
        guard let group = groups[id] else { preconditionFailure("group \(id) was never created") }
        return group
    }

    package func join(group groupId: String, member: MemberIdentity, topics: [String], now: VirtualTime) {
        advance(to: now)
        group(groupId).join(member: member, topics: topics, cluster: self, now: now)
    }

    /// Completes a new group's first rebalance at once, every member counted as joined: a group
    /// whose members were running before the clock started.
    package func formGroup(_ groupId: String) {
        group(groupId).formAtOnce(cluster: self)
    }

    /// A graceful close: LeaveGroup, and an immediate rebalance.
    package func leave(group groupId: String, memberId: String, now: VirtualTime) {
        advance(to: now)
        group(groupId).leave(memberId: memberId, cluster: self, now: now)
    }

    /// The member stops heartbeating without a word. The coordinator only notices when the
    /// session timeout runs out; until then its partitions stay assigned and unread.
    package func kill(group groupId: String, memberId: String, now: VirtualTime) {
        advance(to: now)
        group(groupId).kill(memberId: memberId, now: now)
    }

    package func poll(group groupId: String, memberId: String, maxRecords: Int, now: VirtualTime) -> PollResult {
        advance(to: now)
        return group(groupId).poll(memberId: memberId, maxRecords: maxRecords, cluster: self, now: now)
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
        let offset = clusterState == nil ? offset : min(offset, highWatermark(tp))
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
        group(groupId).idlePollWouldBeEmpty(memberId: memberId, cluster: self)
    }

    /// `count` polls of an idle member answered at once, as `poll` would one by one: empty, with
    /// the fetch cursor turned as many times. Only when `idlePollWouldBeEmpty`.
    package func answerIdlePolls(group groupId: String, memberId: String, count: Int) {
        guard idlePollWouldBeEmpty(group: groupId, memberId: memberId) else { return }
        group(groupId).fetchCursor &+= count
    }

    /// Whether auto-commit would commit nothing new for the member.
    package func positionsCommitted(group groupId: String, memberId: String) -> Bool {
        group(groupId).positionsCommitted(memberId: memberId)
    }

    /// Moves a member's fetch position back, so a record whose processing failed is read again.
    package func seek(group groupId: String, memberId: String, _ tp: TopicPartition, to offset: Int64) {
        group(groupId).seek(memberId: memberId, tp, to: offset)
    }

    /// Runs what is due on the virtual clock: session-timeout evictions and rebalance completions.
    package func advance(to now: VirtualTime) {
        if clusterState != nil { advanceReplication(to: now) }
        for id in groupOrder { groups[id]!.advance(to: now, cluster: self) }
    }

    /// A new leader cut the partition back to `end`: every group's consumers detect it.
    func logTruncated(_ tp: TopicPartition, to end: Int64) {
        for id in groupOrder { groups[id]!.logTruncated(tp, to: end) }
    }

    /// The earliest virtual time at which `advance` would change something, if any.
    package func nextDeadline() -> VirtualTime? {
        let groupDeadline = groupOrder.compactMap { groups[$0]!.nextDeadline() }.min()
        guard clusterState != nil, let replication = nextReplicationDeadline() else { return groupDeadline }
        return min(groupDeadline ?? replication, replication)
    }

    package func state(ofGroup groupId: String) -> GroupState { group(groupId).state }
    package func generation(ofGroup groupId: String) -> Int { group(groupId).generation }
    package func committedOffset(group groupId: String, _ tp: TopicPartition) -> Int64? { group(groupId).committed[tp] }
    /// The partitions the member may read now: its assignment less what a rebalance revoked.
    package func assignment(group groupId: String, memberId: String) -> [TopicPartition] {
        group(groupId).ownedPartitions(of: memberId)
    }
    package func redeliveries(ofGroup groupId: String) -> Int { group(groupId).redeliveries }
    package func subscribedTopics(ofGroup groupId: String) -> [String] { group(groupId).knownTopics }
}
