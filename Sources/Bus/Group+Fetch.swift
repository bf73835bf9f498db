/// The consumer's half of a group, the same under both protocols: polls (positions,
/// `auto.offset.reset`, redeliveries, the idle-poll shortcut), commits, auto-commit's positions
/// and seeks. The protocol half — membership, states, rebalances — is `ClassicGroup.swift` or
/// `ConsumerGroup.swift`.
extension Group {
    func poll(memberId: String, maxRecords: Int, cluster: Cluster, now: VirtualTime) -> PollResult {
        guard isAlive(memberId) else { return .empty }
        // An eager member's rejoining poll returns nothing: it gave its partitions up.
        guard beginPoll(memberId: memberId, cluster: cluster, now: now) else { return .empty }
        let o = offsets
        let stamp = o.emptyPollStamp[memberId]
        if let stamp, stamp.version == o.version, stamp.appends == cluster.appendCount {
            // Nothing was appended and nothing moved since this member's last empty poll.
            o.fetchCursor &+= 1
            return .empty
        }
        let owned = fetchablePartitions(of: memberId)
        guard !owned.isEmpty else { return .empty }
        // As the Java consumer's updateFetchPositions: every owned partition gets a position,
        // which auto-commit then commits even when nothing was read from it.
        let starts = owned.map { resolvedPosition($0, cluster: cluster) }

        var records: [Record] = []
        var redelivered = 0
        // Start at a rotating partition so one busy partition cannot starve the others.
        o.fetchCursor &+= 1
        for i in 0..<owned.count where records.count < maxRecords {
            let k = (o.fetchCursor + i) % owned.count
            let tp = owned[k]
            let first = records.count
            let n = cluster.appendRecords(tp, from: starts[k], limit: maxRecords - records.count, into: &records)
            guard n > 0 else { continue }
            let last = records[records.count - 1].offset
            let highest = o.highestDelivered[tp] ?? -1
            if records[first].offset <= highest {
                redelivered += records[first...].lazy.filter { $0.offset <= highest }.count
            }
            o.highestDelivered[tp] = max(highest, last)
            o.position[tp] = last + 1
        }
        o.redeliveries += redelivered
        if records.isEmpty {
            o.emptyPollStamp[memberId] = (o.version, cluster.appendCount)
        } else if stamp != nil {
            o.emptyPollStamp[memberId] = nil
        }
        return PollResult(records: records, redelivered: redelivered)
    }

    /// Whether the member's next poll answers empty at once, changing nothing but the fetch
    /// cursor: nothing for the protocol to do, and nothing appended or moved since its last empty poll.
    func idlePollWouldBeEmpty(memberId: String, cluster: Cluster) -> Bool {
        guard idlePollIsInert(memberId), isAlive(memberId), let stamp = offsets.emptyPollStamp[memberId] else {
            return false
        }
        return stamp.version == offsets.version && stamp.appends == cluster.appendCount
    }

    /// Whether auto-commit would commit nothing new for the member: every position it holds is committed.
    func positionsCommitted(memberId: String) -> Bool {
        ownedPartitions(of: memberId).allSatisfy { tp in
            offsets.position[tp].map { offsets.committed[tp] == $0 } ?? true
        }
    }

    /// Everything the member holds, what it is giving up included: what it may commit.
    func ownedPartitions(of memberId: String) -> [TopicPartition] {
        offsets.owner.filter { $0.value == memberId }.map(\.key).sorted()
    }

    /// Where the owner reads next: its position, else the committed offset, else
    /// `auto.offset.reset`; an offset that retention dropped, or past a log cut back by a new
    /// leader, also resets (OFFSET_OUT_OF_RANGE).
    func resolvedPosition(_ tp: TopicPartition, cluster: Cluster) -> Int64 {
        let logStart = cluster.logStartOffset(tp)
        let logEnd = cluster.logEndOffset(tp)
        if let p = offsets.position[tp] {
            if p >= logStart, p <= logEnd { return p }
        } else if let c = offsets.committed[tp], c >= logStart, c <= logEnd {
            offsets.position[tp] = c
            return c
        }
        // `latest` is what ListOffsets(latest) answers a consumer: the high watermark.
        let reset = config.autoOffsetReset == .earliest ? logStart : cluster.highWatermark(tp)
        offsets.position[tp] = reset
        return reset
    }

    /// The log was cut back to `end` by a new leader. Kafka's consumer detects that on its next
    /// fetch (KIP-320: its position's leader epoch ends at `end` on the new leader) and moves its
    /// position back there, so the records later written at the reused offsets are read, not
    /// skipped. A committed offset past the cut is moved back too, as that consumer's next
    /// commit would, so a restarted member starts at the cut as well.
    func logTruncated(_ tp: TopicPartition, to end: Int64) {
        let o = offsets
        if let p = o.position[tp], p > end { o.position[tp] = end }
        if let c = o.committed[tp], c > end { o.committed[tp] = end }
        if let h = o.highestDelivered[tp], h >= end { o.highestDelivered[tp] = end - 1 }
        o.version += 1
    }

    func commit(memberId: String, _ tp: TopicPartition, offset: Int64) throws(CommitError) {
        guard isAlive(memberId), offsets.owner[tp] == memberId else {
            throw .notOwner(memberId: memberId, partition: tp)
        }
        offsets.committed[tp] = offset
    }

    /// Auto-commit: the position of every partition the member owns, read or not, as
    /// `ConsumerCoordinator`'s auto-commit sends `allConsumed()`. Returns what it committed.
    func commitPositions(memberId: String) -> [(TopicPartition, Int64)] {
        guard isAlive(memberId) else { return [] }
        let positions = ownedPartitions(of: memberId).compactMap { tp in offsets.position[tp].map { (tp, $0) } }
        for (tp, offset) in positions { offsets.committed[tp] = offset }
        return positions
    }

    func seek(memberId: String, _ tp: TopicPartition, to offset: Int64) {
        guard offsets.owner[tp] == memberId else { return }
        offsets.version += 1
        offsets.position[tp] = offset
    }
}
