/// The cluster half of the broker: producing with `acks`, followers fetching on the virtual
/// clock, the ISR shrinking and growing, the high watermark, and the controller's elections when
/// a broker dies or returns. Only in use when partitions have more than one replica
/// (`ClusterConfig.isSingleReplica` is false); with one, `send` appends directly as before.
extension Cluster {
    /// The offset below which consumers may read: the high watermark (the log end with one replica).
    /// It is also what Kafka's tools print as LOG-END-OFFSET: `ListOffsets(latest)` answers a
    /// consumer with the high watermark (`Partition.fetchOffsetForTimestamp`, READ_UNCOMMITTED).
    package func highWatermark(_ tp: TopicPartition) -> Int64 {
        guard let state = clusterState?.partitions[tp.topic]?[tp.partition] else { return logEndOffset(tp) }
        return state.highWatermark
    }

    /// The partition's replicas, leader, ISR and offsets; nil with one replica per partition.
    package func replicaState(_ tp: TopicPartition) -> PartitionReplicas? {
        clusterState?.partitions[tp.topic]?[tp.partition]
    }

    /// Whether some partition's leader holds records its in-sync followers have not fetched yet
    /// (not readable until they do). An offline partition has no leader to hold any.
    package var isReplicating: Bool {
        clusterState?.partitions.values.joined().contains { !$0.isOffline && $0.highWatermark < $0.leaderEnd } ?? false
    }

    /// Whether a producer was told the record at this offset is written (acks 1 or all) and it
    /// is still in the log. A retention-dropped range may be forgotten.
    package func isAcknowledged(_ tp: TopicPartition, offset: Int64) -> Bool {
        clusterState?.isAcknowledged(tp, offset) ?? false
    }

    package var clusterMetrics: ClusterMetrics { clusterState?.metrics ?? ClusterMetrics() }
    /// Acknowledged records a truncation removed and no later leader brought back, in the order
    /// they were lost.
    package var lostRecords: [LostRecord] { clusterState?.stillLost ?? [] }
    /// Every acknowledged record a truncation removed, in order, brought back later or not: what
    /// the Events pane's feed shows as it happens.
    package var lossHistory: [LostRecord] { clusterState?.lost ?? [] }
    /// Every record a truncation removed, acknowledged or not, in the order they were cut.
    package var truncatedRecords: [LostRecord] { clusterState?.truncated ?? [] }
    /// Producer errors so far, by Kafka's names.
    package var producerErrors: [String: Int] { clusterState?.errors ?? [:] }

    /// The one write path: appends a keyed record to the partition Kafka's default partitioner
    /// picks, with the producer's `acks`. A refusal throws `.refused` with Kafka's error; an
    /// `acks=all` produce that must wait for followers is `.pending`, and `answer` is called once
    /// with its completion and the virtual time of the call that completed it — at the latest
    /// `timeout` after the append (the producer's `request.timeout.ms`), with REQUEST_TIMED_OUT.
    ///
    /// `retryOf` is an idempotent producer's retry of a send the leader appended at that offset:
    /// when the log still holds that record (same event id), nothing is appended again and the
    /// retry is answered for the record already there, as the broker's producer-state check drops
    /// a batch whose sequence it has seen (`ProducerStateManager`, KIP-98).
    @discardableResult
    package func produce(
        topic: String, key: [UInt8], value: [UInt8], headers: RecordHeaders, timestamp: VirtualTime, acks: Acks,
        retryOf: Int64? = nil, timeout: VirtualDuration? = nil, answer: ProduceAnswer? = nil
    ) throws(BrokerError) -> ProduceOutcome {
        // One hash of the topic name per produce: the index is reused for the append.
        guard let index = logs.index(forKey: topic) else { throw .unknownTopic(topic) }
        try rejectIfArmed(topic: topic)
        let partition = KafkaPartitioner.partition(forKey: key, partitionCount: logs.values[index].count)
        guard clusterState != nil else {
            // One replica: the record is in the log, and that is all any acks waits for.
            let record = logs.values[index][partition].append(
                topic: logs.keys[index], partition: partition, key: key, value: value, headers: headers,
                timestamp: timestamp)
            appendCount += 1
            onAppend?(record)
            let metadata = RecordMetadata(topic: topic, partition: partition, offset: record.offset)
            return acks == .none ? .unacknowledged(metadata) : .acknowledged(metadata)
        }
        return try produceReplicated(
            index: index, partition: partition, key: key, value: value, headers: headers, timestamp: timestamp,
            acks: acks, retryOf: retryOf, timeout: timeout, answer: answer)
    }

    private func produceReplicated(
        index: Dictionary<String, [PartitionLog]>.Index, partition: Int, key: [UInt8], value: [UInt8],
        headers: RecordHeaders, timestamp: VirtualTime, acks: Acks, retryOf: Int64?, timeout: VirtualDuration?,
        answer: ProduceAnswer?
    ) throws(BrokerError) -> ProduceOutcome {
        let topic = logs.keys[index]
        let tp = TopicPartition(topic, partition)
        // What is due runs first; sends at the same instant as the last advance have nothing new to run.
        if timestamp > (clusterState?.advancedTo ?? .zero) { advanceReplication(to: timestamp) }
        // Read what the checks need, then change the partition in place: holding a copy of it
        // while changing it would copy its dictionaries on every send.
        guard
            let (leader, isrCount, leaderEpoch) = (clusterState?.partitions[topic]?[partition]).map({
                ($0.leader, $0.isr.count, $0.leaderEpoch)
            })
        else { throw .unknownTopic(topic) }
        // No leader that serves: the record never leaves the producer (acks=0 included).
        guard let leader, clusterState?.serves(leader) == true else { throw .noLeader(tp) }
        // `Partition.appendRecordsToLeader`: acks=all needs the effective min.insync.replicas in
        // sync before the append.
        if acks == .all && isrCount < config.effectiveMinInsyncReplicas {
            throw refuse(.notEnoughReplicas(tp))
        }
        let record: Record
        if let retryOf, let earlier = self.record(tp, at: retryOf), earlier.headers.eventId == headers.eventId {
            record = earlier
        } else {
            record = logs.values[index][partition].append(
                topic: topic, partition: partition, key: key, value: value, headers: headers, timestamp: timestamp)
            appendCount += 1
            let (liveness, stalled) = (clusterState?.liveness ?? [], clusterState?.stalled ?? [])
            clusterState?.partitions[topic]?[partition].leaderAppended(
                end: record.offset + 1, now: timestamp, interval: config.replicaFetchInterval,
                fetching: { ClusterState.fetches($0, liveness: liveness, stalled: stalled) })
            if let highWatermark = clusterState?.partitions[topic]?[partition].highWatermark {
                logs.values[index][partition].highWatermarkMoved(to: highWatermark)
            }
            onAppend?(record)
        }
        let metadata = RecordMetadata(topic: topic, partition: partition, offset: record.offset)
        let logStart = logs.values[index][partition].logStartOffset
        switch acks {
        case .none:
            return .unacknowledged(metadata)
        case .leader:
            clusterState?.acknowledge(tp, record.offset, logStart: logStart)
            return .acknowledged(metadata)
        case .all:
            if (clusterState?.partitions[topic]?[partition].highWatermark ?? 0) > record.offset {
                clusterState?.acknowledge(tp, record.offset, logStart: logStart)
                return .acknowledged(metadata)
            }
            let id = clusterState?.nextProduceId ?? 0
            clusterState?.nextProduceId += 1
            clusterState?.pending[tp, default: []].append(
                .init(
                    id: id, offset: record.offset, epoch: leaderEpoch, deadline: timeout.map { timestamp + $0 },
                    answer: answer))
            return .pending(id: id, metadata)
        }
    }

    private func refuse(_ error: ProduceError) -> BrokerError {
        clusterState?.errors[error.name, default: 0] += 1
        return .refused(error)
    }
}
