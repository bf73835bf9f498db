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
    /// The partition has no leader that serves (offline, or led by a broker that died and is not
    /// fenced yet): not an answer from any broker. The producer keeps the record in its
    /// accumulator until a leader serves or `delivery.timeout.ms` passes.
    case noLeader(TopicPartition)

    package var description: String {
        switch self {
        case .noLeader(let tp): "no leader serves \(tp)"
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
    private var sendsToReject = 0

    /// Called once for every record that reaches a log, in append order.
    package var onAppend: ((Record) -> Void)?
    /// Told of every truncation, after the cut (see `observeTruncations`).
    private var truncationObservers: [(Truncation) -> Void] = []
    /// Replication across brokers; nil with one replica per partition (the default).
    var clusterState: ClusterState?
    /// Only `uncleanLeaderElection` changes after the start (`setUncleanLeaderElection`).
    package internal(set) var config: ClusterConfig

    /// With a `spill`, each partition keeps its newest records in memory and older ones there.
    /// With a `config` of several replicas, partitions are replicated (see `Cluster+Produce.swift`).
    /// A topic has at least one partition (the config loader asks for 1 to 64).
    package init(
        topics: [TopicConfig], retention: Int, spill: LogSpill? = nil, config: ClusterConfig = ClusterConfig()
    ) {
        let topics = topics.map { TopicConfig(name: $0.name, partitions: max(1, $0.partitions)) }
        self.topics = topics
        self.config = config
        clusterState = config.isSingleReplica ? nil : ClusterState(config: config, topics: topics)
        for topic in topics {
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
        rejectedSends += 1
        sendsToReject -= 1
        throw .rejected(topic: topic)
    }

    /// Records appended so far, all topics: a poll that found nothing can tell whether anything
    /// could have arrived since.
    package internal(set) var appendCount = 0

    /// Sends refused so far (each one a publish that did not happen).
    package private(set) var rejectedSends = 0

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

    /// Whether partitions have more than one replica (and a high watermark below the log end).
    package var isReplicated: Bool { clusterState != nil }

    // MARK: The clock

    /// Runs the replication due on the virtual clock: fetches, ISR changes, waiting answers.
    package func advance(to now: VirtualTime) {
        if clusterState != nil { advanceReplication(to: now) }
    }

    /// The earliest virtual time at which `advance` would change something; nil with one replica.
    package func nextDeadline() -> VirtualTime? {
        clusterState == nil ? nil : nextReplicationDeadline()
    }

    /// `observer` is told of every truncation after the cut: the group coordinator moves its
    /// consumers back, the simulation forgets what was counted as written.
    package func observeTruncations(_ observer: @escaping (Truncation) -> Void) {
        truncationObservers.append(observer)
    }

    func truncated(_ truncation: Truncation) {
        for observer in truncationObservers { observer(truncation) }
    }
}

/// A new leader cut a partition's log back to `end`: `removed` are the records that went, in
/// offset order (whoever counted them as written must count them again).
package struct Truncation {
    package var partition: TopicPartition
    package var end: Int64
    package var removed: [Record]
}
