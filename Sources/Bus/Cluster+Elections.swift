/// The controller's elections and what they do to each replica's log: the new leader's log
/// becomes the partition's, the records only other replicas had are kept as theirs, and every
/// live follower cuts its log to where its history and the new leader's agree.
extension Cluster {
    /// An operator's unclean election (`kafka-leader-election.sh --election-type unclean`,
    /// `ReplicationControlManager.electLeader`): every offline partition with a live replica gets
    /// that replica as leader now, whatever `unclean.leader.election.enable` says. Returns the
    /// partitions that got a leader.
    @discardableResult
    package func electUnclean(now: VirtualTime) -> [TopicPartition] {
        guard clusterState != nil else { return [] }
        advance(to: now)
        let offline = allPartitions.filter { replicaState($0)?.isOffline == true }
        electLeaders(now: now, forceUnclean: true)
        scheduleUncleanCheck(after: now)
        return offline.filter { replicaState($0)?.isOffline == false }
    }

    /// The controller's pass after a broker was fenced or registered: every partition whose
    /// leader is fenced gets a new one (or goes offline), and each running follower follows its
    /// leader. `forceUnclean`: an operator's election, whatever the config.
    func electLeaders(now: VirtualTime, forceUnclean: Bool = false) {
        guard let state = clusterState else { return }
        let isAlive = { (id: Int) in state.isUnfenced(id) }
        let serves = { (id: Int) in state.serves(id) }
        for topic in topics {
            for p in 0..<(state.partitions[topic.name]?.count ?? 0) {
                guard var partition = clusterState?.partitions[topic.name]?[p] else { continue }
                let tp = TopicPartition(topic.name, p)
                let highWatermark = partition.highWatermark
                let elected = partition.elect(isAlive: isAlive, unclean: forceUnclean || config.uncleanLeaderElection)
                if elected, let leader = partition.leader { adoptLog(of: leader, tp, partition, now: now) }
                // Every live follower fetches from the leader it has now (one that returned while
                // the partition was offline has waited for a leader to fetch from), after cutting
                // what its history does not share with the leader's.
                for id in partition.replicas where serves(id) {
                    if let cut = partition.follow(id, now: now, interval: config.replicaFetchInterval) {
                        forgetTail(of: id, tp, from: cut)
                    }
                }
                if elected { partition.leaderChanged() }
                clusterState?.partitions[topic.name]?[p] = partition
                // Records became readable (a dead follower no longer holds the high watermark back).
                if partition.highWatermark != highWatermark { highWatermarkMoved(tp, to: partition.highWatermark) }
                answerWaiting(tp, at: now, answering: now)
            }
        }
    }

    /// The partition's log becomes `leader`'s: cut back to where the new leader's history leaves
    /// it, and what only the new leader had written after that restored. What the other replicas
    /// hold past that point stays theirs, as a tail, until they follow and cut it.
    private func adoptLog(of leader: Int, _ tp: TopicPartition, _ partition: PartitionReplicas, now: VirtualTime) {
        guard let index = logs.index(forKey: tp.topic) else { return }
        let logEnd = logs.values[index][tp.partition].logEndOffset
        let tails = clusterState?.tails[tp] ?? [:]
        let leaderTail = tails[leader]
        let agreed = leaderTail?.from ?? min(partition.endOffsets[leader] ?? 0, logEnd)
        for id in partition.replicas where id != leader {
            let end = partition.endOffsets[id] ?? 0
            // Where this replica stops sharing the partition's log: its tail, or its end.
            let ownFrom = tails[id]?.from ?? end
            guard end > agreed, ownFrom >= agreed else { continue }
            var records: [Record] = []
            let start = max(agreed, logs.values[index][tp.partition].logStartOffset)
            let upTo = min(ownFrom, logEnd)
            if upTo > start {
                logs.values[index][tp.partition].read(
                    topic: tp.topic, partition: tp.partition, from: start, limit: Int(upTo - start), into: &records)
            }
            records += tails[id]?.records ?? []
            clusterState?.tails[tp, default: [:]][id] =
                records.isEmpty ? nil : ClusterState.Tail(from: agreed, records: records)
        }
        if agreed < logEnd { truncate(tp, to: agreed, now: now) }
        if let leaderTail {
            clusterState?.tails[tp]?[leader] = nil
            restore(leaderTail.records, to: tp, index: index)
        }
    }

    /// The records a new leader had and the partition's log had lost come back, at their own
    /// offsets: readable again once the high watermark passes them, and no longer counted as lost.
    private func restore(_ records: [Record], to tp: TopicPartition, index: Dictionary<String, [PartitionLog]>.Index) {
        let logStart = logs.values[index][tp.partition].logStartOffset
        for record in records {
            // A gap (retention dropped the records before it) ends what can come back.
            guard record.offset == logs.values[index][tp.partition].logEndOffset else { break }
            let back = logs.values[index][tp.partition].append(
                topic: tp.topic, partition: tp.partition, key: record.key, value: record.value,
                headers: record.headers, timestamp: record.timestamp)
            appendCount += 1
            clusterState?.restore(tp, offset: back.offset, eventId: record.headers.eventId, logStart: logStart)
            onAppend?(back)
        }
    }

    /// A follower cut its log at `cut`: what only it had past there is gone.
    private func forgetTail(of id: Int, _ tp: TopicPartition, from cut: Int64) {
        guard let tail = clusterState?.tails[tp]?[id] else { return }
        let kept = tail.records.filter { $0.offset < cut }
        clusterState?.tails[tp]?[id] = kept.isEmpty ? nil : ClusterState.Tail(from: tail.from, records: kept)
    }

    /// Cuts the partition's log back to `end`: the records past it are gone from the log
    /// consumers read (replicas that hold them keep them as a tail). Those a producer was told
    /// were written are counted as lost.
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
