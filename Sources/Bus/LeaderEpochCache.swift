/// A replica's leader-epoch cache (Kafka's `LeaderEpochFileCache`): which leader epoch wrote
/// each stretch of its log, as the offset where each epoch's records start. Two replicas agree
/// up to an offset exactly when their caches say the same epochs wrote it: that is how a
/// follower finds where to truncate (KIP-101) without comparing records.
package struct LeaderEpochCache: Hashable, Sendable {
    package struct Entry: Hashable, Sendable {
        package var epoch: Int
        package var start: Int64
    }

    /// Oldest first; epochs increase, starts never decrease.
    package private(set) var entries: [Entry]

    /// A log that epoch 0 writes from offset 0: every replica of a new partition.
    package init(entries: [Entry] = [Entry(epoch: 0, start: 0)]) {
        self.entries = entries
    }

    package var latestEpoch: Int? { entries.last?.epoch }

    /// A new leader epoch begins at `start` (the new leader's log end, as Kafka's
    /// `LeaderEpochFileCache.assign` records it). An epoch that is not newer changes nothing.
    mutating func assign(epoch: Int, start: Int64) {
        if let last = entries.last, last.epoch >= epoch { return }
        entries.append(Entry(epoch: epoch, start: start))
    }

    /// The log was cut back to `end`: the epochs whose records all lay past it go
    /// (`LeaderEpochFileCache.truncateFromEndAsyncFlush`).
    mutating func truncate(from end: Int64) {
        // The first entry stays: an empty log still remembers who writes it next.
        while entries.count > 1, let last = entries.last, last.start >= end { entries.removeLast() }
    }

    /// Forgets the epochs newer than `epoch`: the leader never had them.
    mutating func removeEpochs(after epoch: Int) {
        while entries.count > 1, let last = entries.last, last.epoch > epoch { entries.removeLast() }
    }

    /// The answer to OffsetsForLeaderEpoch for `epoch` (`LeaderEpochFileCache.endOffsetFor`): the
    /// largest epoch this replica knows at or below it, and where that epoch's records end (the
    /// next epoch's start, or `logEnd` for the latest). Nil when every epoch here is newer.
    func endOffset(for epoch: Int, logEnd: Int64) -> (epoch: Int, end: Int64)? {
        guard let i = entries.lastIndex(where: { $0.epoch <= epoch }) else { return nil }
        let end = i + 1 < entries.count ? entries[i + 1].start : logEnd
        return (entries[i].epoch, end)
    }

    /// Where a follower's log must be cut before it fetches from `leader` (KIP-101, with KIP-279's
    /// rounds, as `AbstractFetcherThread.getOffsetTruncationState` does them): the follower asks
    /// the leader for the end of its latest epoch; the leader answers with the largest epoch it
    /// knows at or below it and that epoch's end. When the follower has that epoch too, the logs
    /// agree up to the smaller of the two ends; when it does not, it cuts to the end of its own
    /// epoch below and asks again with that one. The offset returned is the first the two logs
    /// may hold differently.
    static func divergence(
        follower: LeaderEpochCache, followerEnd: Int64, leader: LeaderEpochCache, leaderEnd: Int64
    ) -> Int64 {
        var cache = follower
        var end = followerEnd
        // Each round asks with an older epoch than the last, so this ends.
        while let asked = cache.latestEpoch {
            // The leader knows no epoch this old: nothing is known to be shared.
            guard let (epoch, leaderEpochEnd) = leader.endOffset(for: asked, logEnd: leaderEnd) else { return 0 }
            guard let (own, ownEnd) = cache.endOffset(for: epoch, logEnd: end) else {
                return min(leaderEpochEnd, end)
            }
            if own == epoch { return min(leaderEpochEnd, ownEnd) }
            end = min(ownEnd, end)
            cache.removeEpochs(after: own)
            // The next round asks with `own` or older: a round asking `own` itself ends there.
            cache.truncate(from: end)
        }
        return 0
    }
}
