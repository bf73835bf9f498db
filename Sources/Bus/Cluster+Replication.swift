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

    /// The earliest time a fetch lands, an in-sync follower would be dropped, or a waiting send
    /// times out.
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
                consider(
                    partition.nextShrink(
                        lagTime: config.replicaLagTime, leaderServes: partition.leader.map(state.serves) ?? false))
            }
        }
        for liveness in state.liveness { consider(liveness.controllerDeadline) }
        consider(state.uncleanCheckAt)
        for waiting in state.pending.values {
            for request in waiting { consider(request.deadline) }
        }
        return next
    }

    /// Runs what is due at `now`; the answers it completes carry `answering`, the time of the
    /// call that advanced the clock (the time their producer hears them).
    private func runReplication(at now: VirtualTime, answering: VirtualTime) {
        runController(at: now)
        guard let state = clusterState else { return }
        // A stalled broker is up but its replicas do not fetch: they fall behind, and leave the ISR.
        let fetches = { (id: Int) in state.fetches(id) }
        for topic in topics {
            for p in 0..<(state.partitions[topic.name]?.count ?? 0) {
                guard var partition = clusterState?.partitions[topic.name]?[p] else { continue }
                let highWatermark = partition.highWatermark
                let leaderServes = partition.leader.map(state.serves) ?? false
                if let at = partition.fetchAt, at <= now {
                    clusterState?.isrExpands += partition.fetch(now: now, isUp: fetches, leaderServes: leaderServes)
                }
                if let at = partition.nextShrink(lagTime: config.replicaLagTime, leaderServes: leaderServes), at <= now
                {
                    clusterState?.isrShrinks += partition.shrinkLagging(
                        now: now, lagTime: config.replicaLagTime, fetching: fetches)
                }
                clusterState?.partitions[topic.name]?[p] = partition
                let tp = TopicPartition(topic.name, p)
                if partition.highWatermark != highWatermark { highWatermarkMoved(tp, to: partition.highWatermark) }
                answerWaiting(tp, at: now, answering: answering)
            }
        }
    }

    /// New records became readable: an idle consumer's shortcut must look again, and retention
    /// may drop what it kept for them.
    func highWatermarkMoved(_ tp: TopicPartition, to offset: Int64) {
        appendCount += 1
        guard let index = logs.index(forKey: tp.topic) else { return }
        logs.values[index][tp.partition].highWatermarkMoved(to: offset)
    }

    /// The leader of `tp` died with requests in flight: each fails with `error` at once.
    func failWaiting(_ tp: TopicPartition, with error: ProduceError, now: VirtualTime) {
        guard let waiting = clusterState?.pending.removeValue(forKey: tp) else { return }
        for request in waiting {
            clusterState?.errors[error.name, default: 0] += 1
            let metadata = RecordMetadata(topic: tp.topic, partition: tp.partition, offset: request.offset)
            request.answer?(ProduceCompletion(id: request.id, metadata: metadata, error: error), now)
        }
    }

    /// `DelayedProduce`: a waiting send completes once the high watermark passed it (with
    /// NotEnoughReplicasAfterAppend if the ISR is by then below the minimum: with strict min ISR
    /// only a race, as the high watermark does not advance under it), fails with
    /// NotLeaderOrFollower when the leader changed under it, and with REQUEST_TIMED_OUT once its
    /// timeout passed at `time` — the ISR never recovered. `now` is when its producer hears it.
    func answerWaiting(_ tp: TopicPartition, at time: VirtualTime, answering now: VirtualTime) {
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
                    partition.isr.count >= config.effectiveMinInsyncReplicas ? nil : .notEnoughReplicasAfterAppend(tp)
            } else if let deadline = request.deadline, deadline <= time {
                error = .requestTimedOut(tp)
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
}
