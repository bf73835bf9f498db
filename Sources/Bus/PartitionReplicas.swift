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
    /// Eligible Leader Replicas (KIP-966): replicas that left the ISR while it was below the
    /// min ISR. They have every record up to the high watermark (it did not advance without
    /// them), so the controller may elect one, cleanly, once the ISR is empty.
    package internal(set) var elr: [Int] = []
    /// Kafka's `LastKnownElr` as a 4.x controller keeps it (`useLastKnownLeaderInBalancedRecovery`,
    /// on in production): the leader the partition had when its ISR became empty, until it has a
    /// leader again. Printed by `--describe`.
    package internal(set) var lastKnownElr: [Int] = []
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
    /// Whether the controller keeps ELR (`ClusterConfig.eligibleLeaderReplicas`).
    let tracksElr: Bool

    init(replicas: [Int], minInsyncReplicas: Int = 1, tracksElr: Bool = false) {
        self.replicas = replicas
        self.minInsyncReplicas = minInsyncReplicas
        self.tracksElr = tracksElr
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
    mutating func fetch(now: VirtualTime, isUp: (Int) -> Bool, leaderServes: Bool = true) -> Int {
        fetchAt = nil
        // A leader that does not serve (its process died, not fenced yet) has nothing to fetch;
        // a stalled one still serves (only its own fetcher stopped).
        guard let leader, leaderServes else { return 0 }
        var expands = 0
        let end = leaderEnd
        for id in replicas where id != leader && isUp(id) {
            // A follower's log agrees with its leader's (`follow` cut it so): it now holds the
            // leader's records and their epochs.
            endOffsets[id] = end
            epochCaches[id] = epochCaches[leader]
            lastCaughtUp[id] = now
            if !isr.contains(id) {
                changeIsr(to: replicas.filter { $0 == id || isr.contains($0) })
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
        var lagging: [Int] = []
        for id in isr where id != leader {
            // At the leader's end counts as caught up (`Replica.isCaughtUp`); only a fetch renews the time.
            let atEnd = endOffsets[id] == leaderEnd
            if fetching(id) && atEnd { lastCaughtUp[id] = now }
            if !atEnd && now - (lastCaughtUp[id] ?? .zero) > lagTime { lagging.append(id) }
        }
        guard !lagging.isEmpty else { return 0 }
        changeIsr(to: isr.filter { !lagging.contains($0) })
        updateHighWatermark()
        return lagging.count
    }

    /// When the next in-sync follower behind the leader would be dropped for lagging, if any
    /// (one at the leader's end is caught up, and never due).
    /// An offline partition has no leader to shrink its ISR.
    func nextShrink(lagTime: VirtualDuration, leaderServes: Bool = true) -> VirtualTime? {
        // Only a running leader shrinks its ISR (by AlterPartition).
        guard let leader, leaderServes else { return nil }
        let end = leaderEnd
        // A loop, not filter and min: this runs for every partition whenever the clock is asked.
        var earliest: VirtualTime?
        for id in isr where id != leader && endOffsets[id] != end {
            if let at = lastCaughtUp[id], earliest.map({ at < $0 }) ?? true { earliest = at }
        }
        return earliest.map { $0 + lagTime + .milliseconds(1) }
    }

    /// The controller's election (`PartitionChangeBuilder.electAnyLeader`): a leader the
    /// controller counts alive stays; otherwise the first in-sync replica it counts alive, in
    /// assignment order; with an empty ISR, an ELR member it counts alive (a clean election: it
    /// has everything up to the high watermark); with the ELR empty too, the last known leader
    /// if it is alive (back from a crash, it may lead again); otherwise, if `unclean`, any
    /// replica it counts alive, which becomes the whole ISR; otherwise none: offline. A new
    /// leader starts a new leader epoch at its own log end; its log becomes the partition's (the
    /// cluster makes it so). Returns whether a new leader took over.
    mutating func elect(isAlive: (Int) -> Bool, unclean: Bool) -> Bool {
        if let leader, isAlive(leader) { return false }
        if let clean = replicas.first(where: { isr.contains($0) && isAlive($0) }) {
            leader = clean
        } else if isr.isEmpty, let eligible = replicas.first(where: { elr.contains($0) && isAlive($0) }) {
            leader = eligible
            isr = [eligible]
            elr.removeAll { $0 == eligible }
        } else if isr.isEmpty && elr.isEmpty, let last = lastKnownElr.first, isAlive(last) {
            // `canElectLastKnownLeader`: Kafka counts it as unclean (the ISR is set to it alone),
            // whatever `unclean.leader.election.enable` says.
            leader = last
            isr = [last]
        } else if unclean, let any = replicas.first(where: isAlive) {
            leader = any
            isr = [any]
            // An unclean election clears what ELR promised (`maybeUpdateRecordElr`).
            elr = []
        } else {
            leader = nil
            return false
        }
        // The partition has a leader again (`maybeUpdateLastKnownLeader`).
        lastKnownElr = []
        leaderEpoch += 1
        let (epoch, start) = (leaderEpoch, leaderEnd)
        if let leader { epochCaches[leader]?.assign(epoch: epoch, start: start) }
        return true
    }

    /// The controller takes a broker out of the ISR: it was fenced, it is shutting down, or it
    /// registered again after an unclean shutdown (`uncleanShutdown`: it may have lost what it
    /// never flushed, so it leaves the ELR too). Without ELR the last in-sync replica stays in
    /// the ISR, so an offline partition remembers who may lead it cleanly.
    mutating func removeFromIsr(_ id: Int, uncleanShutdown: Bool = false) {
        guard isr.contains(id) || (uncleanShutdown && elr.contains(id)) else { return }
        let remaining = isr.filter { $0 != id }
        if remaining.isEmpty && !tracksElr { return }
        changeIsr(to: remaining, uncleanShutdown: uncleanShutdown ? id : nil)
        if leader != nil { updateHighWatermark() }
    }

    /// Sets the ISR as the controller's `PartitionChangeBuilder` does: at or above the min ISR
    /// there is no ELR (`maybePopulateTargetElr`); below it, whoever was in the ISR or the ELR and
    /// is not in the new ISR is eligible, unless it shut down uncleanly. The ISR becoming empty
    /// remembers the leader as the last known one (`maybeUpdateLastKnownLeader`).
    mutating func changeIsr(to newIsr: [Int], uncleanShutdown: Int? = nil) {
        defer { isr = newIsr }
        guard tracksElr else { return }
        if newIsr.isEmpty, !isr.isEmpty, let leader { lastKnownElr = [leader] }
        guard newIsr.count < minInsyncReplicas else {
            elr = []
            return
        }
        let candidates = Set(elr).union(isr)
        elr = replicas.filter { candidates.contains($0) && !newIsr.contains($0) && $0 != uncleanShutdown }
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
