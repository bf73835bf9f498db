/// One partition's replicas as its leader and the controller see them: who leads, who is in
/// sync, how far each replica's own log reaches and which leader epochs wrote it, and the high
/// watermark consumers may read up to.
///
/// Each replica has a log of its own. Where a replica's history agrees with the leader's, its
/// records are the partition's `PartitionLog` (shared storage, so RF 3 does not hold each record
/// three times); what only it has (a dead leader's last records, an old epoch an unclean
/// election left behind) the cluster keeps beside it (`ClusterState.tails`). A replica's log is
/// cut only when it becomes a follower, to where its epochs and the leader's agree (`follow`,
/// KIP-101 and KIP-279), as Kafka's replica fetcher does.
package struct PartitionReplicas: Hashable, Sendable {
    /// Cluster ids in assignment order; the first is the preferred leader.
    package let replicas: [Int]
    /// nil: no live replica may lead, the partition is offline.
    package internal(set) var leader: Int?
    /// The in-sync replicas, in assignment order. An offline partition keeps its last ISR, so the
    /// replica that was in sync leads again when it returns.
    package internal(set) var isr: [Int]
    package internal(set) var leaderEpoch = 0
    /// Each replica's own log-end offset, by broker id (a dead replica keeps its log).
    package internal(set) var endOffsets: [Int: Int64]
    /// Each replica's leader-epoch cache, by broker id.
    package internal(set) var epochCaches: [Int: LeaderEpochCache]
    /// The offset below which every in-sync replica has the records: what consumers may read.
    package internal(set) var highWatermark: Int64 = 0
    /// When each follower last reached the leader's log end (Kafka's lastCaughtUpTimeMs).
    var lastCaughtUp: [Int: VirtualTime]
    /// When the followers' next fetch lands, if one is due.
    var fetchAt: VirtualTime?
    /// The effective `min.insync.replicas`: below it the high watermark does not advance.
    let minInsyncReplicas: Int

    init(replicas: [Int], minInsyncReplicas: Int = 1) {
        self.replicas = replicas
        self.minInsyncReplicas = minInsyncReplicas
        leader = replicas.first
        isr = replicas
        endOffsets = Dictionary(uniqueKeysWithValues: replicas.map { ($0, 0) })
        epochCaches = Dictionary(uniqueKeysWithValues: replicas.map { ($0, LeaderEpochCache()) })
        lastCaughtUp = Dictionary(uniqueKeysWithValues: replicas.map { ($0, .zero) })
    }

    package var isOffline: Bool { leader == nil }
    package var leaderEnd: Int64 { leader.flatMap { endOffsets[$0] } ?? 0 }

    /// The leader appended up to `end`; followers that are up fetch it `interval` later. A
    /// fetching follower at the old end was caught up until now (Kafka's followers fetch
    /// continuously, and each fetch at the log end renews `lastCaughtUpTimeMs`).
    mutating func leaderAppended(
        end: Int64, now: VirtualTime, interval: VirtualDuration, fetching: (Int) -> Bool = { _ in true }
    ) {
        guard let leader else { return }
        for id in replicas where id != leader && fetching(id) && endOffsets[id] == leaderEnd {
            lastCaughtUp[id] = now
        }
        endOffsets[leader] = end
        if fetchAt == nil && replicas.count > 1 { fetchAt = now + interval }
        updateHighWatermark()
    }

    /// The followers that are up fetch everything the leader has and rejoin the ISR once they
    /// reached its end (`Partition.maybeExpandIsr`). Returns how many rejoined.
    mutating func fetch(now: VirtualTime, isUp: (Int) -> Bool) -> Int {
        fetchAt = nil
        guard let leader else { return 0 }
        var expands = 0
        let end = leaderEnd
        for id in replicas where id != leader && isUp(id) {
            // A follower's log agrees with its leader's (`follow` cut it so): it now holds the
            // leader's records and their epochs.
            endOffsets[id] = end
            epochCaches[id] = epochCaches[leader]
            lastCaughtUp[id] = now
            if !isr.contains(id) {
                isr = replicas.filter { $0 == id || isr.contains($0) }
                expands += 1
            }
        }
        lastCaughtUp[leader] = now
        updateHighWatermark()
        return expands
    }

    /// Followers behind the leader that have not caught up for longer than `lagTime` leave the
    /// ISR (`Partition.maybeShrinkIsr`); a fetching follower with nothing left to fetch is caught
    /// up now. Returns how many left.
    mutating func shrinkLagging(now: VirtualTime, lagTime: VirtualDuration, fetching: (Int) -> Bool) -> Int {
        guard let leader else { return 0 }
        var shrinks = 0
        for id in isr where id != leader {
            // At the leader's end counts as caught up (`Replica.isCaughtUp`); only a fetch renews the time.
            let atEnd = endOffsets[id] == leaderEnd
            if fetching(id) && atEnd { lastCaughtUp[id] = now }
            if !atEnd && now - (lastCaughtUp[id] ?? .zero) > lagTime {
                isr.removeAll { $0 == id }
                shrinks += 1
            }
        }
        if shrinks > 0 { updateHighWatermark() }
        return shrinks
    }

    /// When the next in-sync follower behind the leader would be dropped for lagging, if any
    /// (one at the leader's end is caught up, and never due).
    /// An offline partition has no leader to shrink its ISR.
    func nextShrink(lagTime: VirtualDuration) -> VirtualTime? {
        guard let leader else { return nil }
        let end = leaderEnd
        // A loop, not filter and min: this runs for every partition whenever the clock is asked.
        var earliest: VirtualTime?
        for id in isr where id != leader && endOffsets[id] != end {
            if let at = lastCaughtUp[id], earliest.map({ at < $0 }) ?? true { earliest = at }
        }
        return earliest.map { $0 + lagTime + .milliseconds(1) }
    }

    /// The controller's election after a broker change: the first live in-sync replica in
    /// assignment order; with none, an out-of-sync live replica if unclean election is on;
    /// otherwise offline. A new leader starts a new leader epoch at its own log end; its log
    /// becomes the partition's (the cluster makes it so). Returns whether a new leader took over.
    mutating func elect(isUp: (Int) -> Bool, unclean: Bool) -> Bool {
        if let leader, isUp(leader) { return false }
        let previous = leader
        if let clean = replicas.first(where: { isr.contains($0) && isUp($0) }) {
            leader = clean
            if let previous { isr.removeAll { $0 == previous } }
        } else if unclean, let any = replicas.first(where: isUp) {
            leader = any
            isr = [any]
        } else {
            leader = nil
            return false
        }
        leaderEpoch += 1
        let (epoch, start) = (leaderEpoch, leaderEnd)
        if let leader { epochCaches[leader]?.assign(epoch: epoch, start: start) }
        return true
    }

    /// The controller takes a dead follower out of the ISR (`ReplicationControlManager` fencing a
    /// broker): the high watermark may move on without it. A dead leader stays in the ISR until
    /// `elect` replaces it, so an offline partition remembers who was in sync.
    mutating func removeFromIsr(_ id: Int) {
        guard leader != id, isr.contains(id) else { return }
        isr.removeAll { $0 == id }
        if leader != nil { updateHighWatermark() }
    }

    /// A live replica follows the leader: it cuts its log to where their histories agree
    /// (`LeaderEpochCache.divergence`), and if it then lacks records or is out of the ISR it
    /// fetches at the next fetch (and rejoins the ISR once caught up). Returns where its log was
    /// cut, if it was: what only it had past there is gone.
    @discardableResult
    mutating func follow(_ id: Int, now: VirtualTime, interval: VirtualDuration) -> Int64? {
        guard let leader, leader != id, let cache = epochCaches[id], let leaderCache = epochCaches[leader] else {
            return nil
        }
        let end = endOffsets[id] ?? 0
        let agreed = LeaderEpochCache.divergence(
            follower: cache, followerEnd: end, leader: leaderCache, leaderEnd: leaderEnd)
        var cut: Int64?
        if agreed < end {
            endOffsets[id] = agreed
            epochCaches[id]?.truncate(from: agreed)
            cut = agreed
        }
        if (endOffsets[id] ?? 0) < leaderEnd || !isr.contains(id) {
            if fetchAt == nil { fetchAt = now + interval }
        }
        return cut
    }

    /// The ISR changed under a new leader: the high watermark is the ISR's again, lower too.
    mutating func leaderChanged() {
        if !isr.isEmpty { updateHighWatermark(allowingDecrease: true) }
    }

    /// The high watermark is what every in-sync replica has — and, since Kafka 3.7 (KAFKA-15583,
    /// `Partition.maybeIncrementLeaderHW`), it does not advance while the ISR is smaller than the
    /// effective min ISR: a record written then is not readable until the ISR recovers.
    private mutating func updateHighWatermark(allowingDecrease: Bool = false) {
        let hw = isr.compactMap { endOffsets[$0] }.min() ?? 0
        if isr.count < minInsyncReplicas {
            if allowingDecrease { highWatermark = min(highWatermark, hw) }
            return
        }
        highWatermark = allowingDecrease ? hw : max(highWatermark, hw)
    }

    /// Whether the ISR is below the effective min ISR (Kafka's `UnderMinIsr`).
    package var isUnderMinIsr: Bool { !isOffline && isr.count < minInsyncReplicas }
}
