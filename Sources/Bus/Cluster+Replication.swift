/// What the cluster does on the virtual clock: followers' fetches land, lagging followers leave
/// the ISR, waiting `acks=all` sends are answered, and the controller elects leaders and cuts
/// logs back when a shorter replica takes over.
extension Cluster {
    /// Runs every fetch and ISR check due up to `now`, in time order.
    func advanceReplication(to now: VirtualTime) {
        defer { if let advanced = clusterState?.advancedTo, now > advanced { clusterState?.advancedTo = now } }
        var last: VirtualTime?
        while let due = nextReplicationDeadline(), due <= now {
            // Each pass moves every deadline it ran past `due`; one that did not move would spin.
            if let last, due <= last { break }
            runReplication(at: due, answering: now)
            last = due
        }
    }

    /// The earliest time a fetch lands or an in-sync follower would be dropped.
    func nextReplicationDeadline() -> VirtualTime? {
        guard let state = clusterState else { return nil }
        // Asked every step of the clock: plain comparisons, nothing allocated.
        var next: VirtualTime?
        func consider(_ time: VirtualTime?) {
            if let time, next.map({ time < $0 }) ?? true { next = time }
        }
        for replicas in state.partitions.values {
            for partition in replicas {
                consider(partition.fetchAt)
                consider(partition.nextShrink(lagTime: config.replicaLagTime))
            }
        }
        return next
    }

    /// Runs what is due at `now`; the answers it completes carry `answering`, the time of the
    /// call that advanced the clock (the time their producer hears them).
    private func runReplication(at now: VirtualTime, answering: VirtualTime) {
        guard let state = clusterState else { return }
        // A stalled broker is up but its replicas do not fetch: they fall behind, and leave the ISR.
        let fetches = { (id: Int) in state.fetches(id) }
        for topic in topics {
            for p in 0..<(state.partitions[topic.name]?.count ?? 0) {
                guard var partition = clusterState?.partitions[topic.name]?[p] else { continue }
                let highWatermark = partition.highWatermark
                if let at = partition.fetchAt, at <= now {
                    clusterState?.isrExpands += partition.fetch(now: now, isUp: fetches)
                }
                if let at = partition.nextShrink(lagTime: config.replicaLagTime), at <= now {
                    clusterState?.isrShrinks += partition.shrinkLagging(
                        now: now, lagTime: config.replicaLagTime, fetching: fetches)
                }
                clusterState?.partitions[topic.name]?[p] = partition
                let tp = TopicPartition(topic.name, p)
                if partition.highWatermark != highWatermark { highWatermarkMoved(tp, to: partition.highWatermark) }
                answerWaiting(tp, now: answering)
            }
        }
    }

    /// New records became readable: an idle consumer's shortcut must look again, and retention
    /// may drop what it kept for them.
    private func highWatermarkMoved(_ tp: TopicPartition, to offset: Int64) {
        appendCount += 1
        guard let index = logs.index(forKey: tp.topic) else { return }
        logs.values[index][tp.partition].highWatermarkMoved(to: offset)
    }

    /// `DelayedProduce`: a waiting send completes once the high watermark passed it — with
    /// NotEnoughReplicasAfterAppend if the ISR is by then below the minimum — and fails with
    /// NotLeaderOrFollower when the leader changed under it.
    func answerWaiting(_ tp: TopicPartition, now: VirtualTime) {
        guard let partition = clusterState?.partitions[tp.topic]?[tp.partition],
            let waiting = clusterState?.pending[tp], !waiting.isEmpty
        else { return }
        var still: [ClusterState.Pending] = []
        for request in waiting {
            let metadata = RecordMetadata(topic: tp.topic, partition: tp.partition, offset: request.offset)
            let error: ProduceError?
            if partition.isOffline || partition.leaderEpoch != request.epoch {
                error = .notLeaderOrFollower(tp)
            } else if partition.highWatermark > request.offset {
                // `Partition.checkEnoughReplicasReachOffset`: reached, but the ISR it reached may
                // have shrunk below the minimum on the way.
                error =
                    partition.isr.count >= config.minInsyncReplicas ? nil : .notEnoughReplicasAfterAppend(tp)
            } else {
                still.append(request)
                continue
            }
            if let error {
                clusterState?.errors[error.name, default: 0] += 1
            } else {
                clusterState?.acknowledge(tp, request.offset, logStart: logStartOffset(tp))
            }
            request.answer?(ProduceCompletion(id: request.id, metadata: metadata, error: error), now)
        }
        clusterState?.pending[tp] = still
    }

    /// The controller's pass after a broker died or returned: a dead follower leaves the ISR,
    /// every partition whose leader is gone gets a new one (or goes offline), and a log longer
    /// than its new leader's is cut back.
    func electLeaders(now: VirtualTime, died: Int? = nil) {
        guard let state = clusterState else { return }
        let isUp = { (id: Int) in state.isUp(id) }
        for topic in topics {
            for p in 0..<(state.partitions[topic.name]?.count ?? 0) {
                guard var partition = clusterState?.partitions[topic.name]?[p] else { continue }
                let highWatermark = partition.highWatermark
                if let died { partition.removeFromIsr(died) }
                let cut = partition.elect(isUp: isUp, unclean: config.uncleanLeaderElection)
                // Every live follower fetches from the leader it has now: one that returned while
                // the partition was offline has waited for a leader to fetch from.
                for id in partition.replicas where isUp(id) {
                    partition.followerReturned(id, now: now, interval: config.replicaFetchInterval)
                }
                clusterState?.partitions[topic.name]?[p] = partition
                let tp = TopicPartition(topic.name, p)
                if let cut { truncate(tp, to: cut, now: now) }
                // Records became readable (a dead follower no longer holds the high watermark back).
                if partition.highWatermark != highWatermark { highWatermarkMoved(tp, to: partition.highWatermark) }
                answerWaiting(tp, now: now)
            }
        }
    }

    /// Cuts the partition's log back to `end`: the records past it are gone from every replica.
    /// Those a producer was told were written are counted as lost.
    private func truncate(_ tp: TopicPartition, to end: Int64, now: VirtualTime) {
        guard let index = logs.index(forKey: tp.topic) else { return }
        // The records the cut removes, read once: for the lost ones and for the truncation's observers.
        var removed: [Record] = []
        let logEnd = logs.values[index][tp.partition].logEndOffset
        let from = max(end, logs.values[index][tp.partition].logStartOffset)
        logs.values[index][tp.partition].read(
            topic: tp.topic, partition: tp.partition, from: from, limit: Int(logEnd - from), into: &removed)
        let acknowledged = Set(clusterState?.forgetAcknowledged(tp, from: end) ?? [])
        for record in removed {
            let cut = LostRecord(
                topicPartition: tp, offset: record.offset, key: record.keyString, eventId: record.headers.eventId,
                appendedAt: record.timestamp, lostAt: now)
            clusterState?.truncated.append(cut)
            if acknowledged.contains(record.offset) { clusterState?.lost.append(cut) }
        }
        logs.values[index][tp.partition].truncate(to: end)
        truncated(Truncation(partition: tp, end: end, removed: removed))
        appendCount += 1  // the log changed: an idle consumer's shortcut must not apply
    }
}
