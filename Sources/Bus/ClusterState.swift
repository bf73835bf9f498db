/// A record a truncation removed from the log: in `Cluster.lostRecords` when a producer had been
/// told it was written, in `Cluster.truncatedRecords` in any case.
package struct LostRecord: Hashable, Sendable {
    package var topicPartition: TopicPartition
    package var offset: Int64
    package var key: String
    package var eventId: String
    /// When the record was appended, and when the truncation removed it.
    package var appendedAt: VirtualTime
    package var lostAt: VirtualTime
}

/// A lost record by where it was and what it was: the same record when a later leader brings
/// it back at the same offset.
struct RestoredRecord: Hashable {
    var topicPartition: TopicPartition
    var offset: Int64
    var eventId: String

    init(topicPartition: TopicPartition, offset: Int64, eventId: String) {
        self.topicPartition = topicPartition
        self.offset = offset
        self.eventId = eventId
    }

    init(_ lost: LostRecord) {
        self.init(topicPartition: lost.topicPartition, offset: lost.offset, eventId: lost.eventId)
    }
}

/// A send with `acks=all` answered later: when every in-sync replica has it, or when the ISR
/// shrank below `min.insync.replicas` or the leader changed while it waited.
package struct ProduceCompletion: Hashable, Sendable {
    package var id: Int
    package var metadata: RecordMetadata
    /// nil: acknowledged.
    package var error: ProduceError?
}

/// Where an `acks=all` produce's completion goes: the producer that sent it.
package typealias ProduceAnswer = (ProduceCompletion, VirtualTime) -> Void

/// What `produce` says at once.
package enum ProduceOutcome: Hashable, Sendable {
    /// `acks=1`, or `acks=all` with every in-sync replica already holding the record.
    case acknowledged(RecordMetadata)
    /// `acks=all`: appended, answered later through the produce's `answer` with this id.
    case pending(id: Int, RecordMetadata)
    /// `acks=0`: sent, no answer will come (the metadata is what the broker did, for tests).
    case unacknowledged(RecordMetadata)

    /// Where the record went.
    package var metadata: RecordMetadata {
        switch self {
        case .acknowledged(let metadata), .pending(_, let metadata), .unacknowledged(let metadata): metadata
        }
    }
}

/// Kafka's broker metrics for the cluster, by their names.
package struct ClusterMetrics: Hashable, Sendable {
    package var underReplicatedPartitions = 0
    package var underMinIsrPartitionCount = 0
    /// Partitions whose ISR is exactly the effective min ISR: one more loss and `acks=all` stops.
    package var atMinIsrPartitionCount = 0
    package var offlinePartitionsCount = 0
    package var isrShrinks = 0
    package var isrExpands = 0

    package init(
        underReplicatedPartitions: Int = 0, underMinIsrPartitionCount: Int = 0, atMinIsrPartitionCount: Int = 0,
        offlinePartitionsCount: Int = 0, isrShrinks: Int = 0, isrExpands: Int = 0
    ) {
        self.underReplicatedPartitions = underReplicatedPartitions
        self.underMinIsrPartitionCount = underMinIsrPartitionCount
        self.atMinIsrPartitionCount = atMinIsrPartitionCount
        self.offlinePartitionsCount = offlinePartitionsCount
        self.isrShrinks = isrShrinks
        self.isrExpands = isrExpands
    }
}

/// The replication state a `Cluster` keeps when partitions have more than one replica.
struct ClusterState {
    struct Pending {
        var id: Int
        var offset: Int64
        var epoch: Int
        /// When the request times out (its `request.timeout.ms` after the append); nil: never.
        var deadline: VirtualTime?
        /// Who sent it: the answer goes back there and nowhere else.
        var answer: ProduceAnswer?
    }

    /// What one replica's log holds past the point where it stops sharing the partition's log:
    /// a dead leader's last records, or an epoch an unclean election left behind.
    struct Tail {
        var from: Int64
        var records: [Record]
    }

    /// The only setting the state reads (`ClusterConfig.effectiveMinInsyncReplicas`); the broker's `cluster` holds the rest (unclean
    /// election changes at run time, so a copy here would go stale).
    let minInsyncReplicas: Int
    /// Each broker, by id − 1, as its process and the controller know it.
    var liveness: [BrokerLiveness]
    /// Brokers killed (not stopped): when they register again it is after an unclean shutdown.
    var crashed: Set<Int> = []
    /// When the controller's periodic unclean election check runs next, if it is due.
    var uncleanCheckAt: VirtualTime?
    var partitions: [String: [PartitionReplicas]] = [:]
    var pending: [TopicPartition: [Pending]] = [:]
    var nextProduceId = 1
    /// Offsets a producer was told are written, as ranges, per partition.
    var acknowledged: [TopicPartition: [Range<Int64>]] = [:]
    /// Every acknowledged record a truncation removed, in order (a later leader may bring some back).
    var lost: [LostRecord] = []
    /// Lost records a later leader's log brought back (`Cluster.restore`).
    var restored: Set<RestoredRecord> = []
    /// Per partition, the replicas whose logs hold records the partition's log does not.
    var tails: [TopicPartition: [Int: Tail]] = [:]
    /// Every record a truncation removed, acknowledged or not (`lost` is the acknowledged ones).
    var truncated: [LostRecord] = []
    var isrShrinks = 0
    var isrExpands = 0
    var errors: [String: Int] = [:]

    init(config: ClusterConfig, topics: [TopicConfig]) {
        minInsyncReplicas = config.effectiveMinInsyncReplicas
        liveness = Array(repeating: .running, count: config.brokers)
        for topic in topics {
            partitions[topic.name] = (0..<topic.partitions).map {
                PartitionReplicas(
                    replicas: config.replicas(ofPartition: $0), minInsyncReplicas: config.effectiveMinInsyncReplicas,
                    tracksElr: config.eligibleLeaderReplicas)
            }
        }
    }

    /// The virtual time replication last ran up to (`Cluster.advanceReplication`).
    var advancedTo = VirtualTime.zero
    /// Brokers that are up but whose replica fetcher is stopped (`Cluster.setFetching`).
    var stalled: Set<Int> = []

    func liveness(of id: Int) -> BrokerLiveness? { id >= 1 && id <= liveness.count ? liveness[id - 1] : nil }
    /// Running and unfenced: it leads, fetches and takes writes.
    func serves(_ id: Int) -> Bool { liveness(of: id) == .running }
    /// The controller counts it alive, so it may be elected.
    func isUnfenced(_ id: Int) -> Bool { liveness(of: id)?.isUnfenced ?? false }
    /// Serving and fetching: its follower replicas keep up with their leaders.
    func fetches(_ id: Int) -> Bool { Self.fetches(id, liveness: liveness, stalled: stalled) }

    /// `fetches` from the two values it reads, for a caller that changes the state meanwhile (a
    /// closure holding the whole state would copy its partitions on the next change).
    static func fetches(_ id: Int, liveness: [BrokerLiveness], stalled: Set<Int>) -> Bool {
        id >= 1 && id <= liveness.count && liveness[id - 1] == .running && !stalled.contains(id)
    }

    /// Notes an acknowledged offset; ranges retention has passed are dropped. The ranges change
    /// in place (a copy taken out of the dictionary would be copied again on every send).
    mutating func acknowledge(_ tp: TopicPartition, _ offset: Int64, logStart: Int64) {
        func extend(_ ranges: inout [Range<Int64>]) {
            if ranges.count > 64 { ranges.removeAll { $0.upperBound <= logStart } }
            if let last = ranges.last, last.upperBound == offset {
                ranges[ranges.count - 1] = last.lowerBound..<offset + 1
            } else {
                ranges.append(offset..<offset + 1)
            }
        }
        extend(&acknowledged[tp, default: []])
    }

    /// A record at `offset` is back in the log: acknowledged again if it was lost.
    mutating func restore(_ tp: TopicPartition, offset: Int64, eventId: String, logStart: Int64) {
        let key = RestoredRecord(topicPartition: tp, offset: offset, eventId: eventId)
        guard lost.contains(where: { RestoredRecord($0) == key }) else { return }
        restored.insert(key)
        acknowledge(tp, offset, logStart: logStart)
    }

    /// The acknowledged records the log has lost and not got back.
    var stillLost: [LostRecord] {
        restored.isEmpty ? lost : lost.filter { !restored.contains(RestoredRecord($0)) }
    }

    func isAcknowledged(_ tp: TopicPartition, _ offset: Int64) -> Bool {
        acknowledged[tp]?.contains { $0.contains(offset) } ?? false
    }

    /// Removes and returns the acknowledged offsets at or past `end`.
    mutating func forgetAcknowledged(_ tp: TopicPartition, from end: Int64) -> [Int64] {
        guard let ranges = acknowledged[tp] else { return [] }
        var kept: [Range<Int64>] = []
        var cut: [Int64] = []
        for range in ranges {
            if range.upperBound <= end {
                kept.append(range)
            } else {
                if range.lowerBound < end { kept.append(range.lowerBound..<end) }
                cut += Array(max(range.lowerBound, end)..<range.upperBound)
            }
        }
        acknowledged[tp] = kept
        return cut
    }

    var metrics: ClusterMetrics {
        var m = ClusterMetrics(isrShrinks: isrShrinks, isrExpands: isrExpands)
        for state in partitions.values.joined() {
            // As the leaders report them: an offline partition has no leader to count it.
            guard !state.isOffline else {
                m.offlinePartitionsCount += 1
                continue
            }
            if state.isr.count < state.replicas.count { m.underReplicatedPartitions += 1 }
            if state.isr.count < minInsyncReplicas { m.underMinIsrPartitionCount += 1 }
            if state.isr.count == minInsyncReplicas { m.atMinIsrPartitionCount += 1 }
        }
        return m
    }
}
