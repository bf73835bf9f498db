import Bus
import KafkaClient
import Services

/// The cluster in the JSON report: only when partitions have more than one replica, so a
/// one-broker run's report is what it was before brokers existed.
package struct ClusterReport: Encodable, Sendable {
    package struct BrokerEntry: Encodable, Sendable {
        package var id: Int
        /// "up", "stalled" (up, its replica fetcher stopped), "unfenced" (dead, its session not
        /// expired yet), "registering" (restarted, waiting for the old session to expire), "fenced".
        package var state: String
    }

    package struct PartitionEntry: Encodable, Sendable {
        package var topic: String
        package var partition: Int
        /// Nil (`null` in the JSON) when the partition is offline.
        package var leader: Int?
        package var leaderEpoch: Int
        package var replicas: [Int]
        package var isr: [Int]
        /// Kafka's `Elr` and `LastKnownElr` (KIP-966), as `kafka-topics.sh --describe` prints them.
        package var elr: [Int]
        package var lastKnownElr: [Int]
        package var highWatermark: Int64
        /// The leader's log end; the records between it and the high watermark are not yet readable.
        package var logEndOffset: Int64
        /// Each replica's log end, by broker id (as text: JSON keys are strings).
        package var replicaLogEndOffsets: [String: Int64]

        private enum CodingKeys: String, CodingKey {
            case topic, partition, leader, leaderEpoch, replicas, isr, elr, lastKnownElr, highWatermark, logEndOffset
            case replicaLogEndOffsets
        }

        /// Every key always present: an offline partition's leader is `null`, not a missing key.
        package func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(topic, forKey: .topic)
            try c.encode(partition, forKey: .partition)
            try c.encode(leader, forKey: .leader)
            try c.encode(leaderEpoch, forKey: .leaderEpoch)
            try c.encode(replicas, forKey: .replicas)
            try c.encode(isr, forKey: .isr)
            try c.encode(elr, forKey: .elr)
            try c.encode(lastKnownElr, forKey: .lastKnownElr)
            try c.encode(highWatermark, forKey: .highWatermark)
            try c.encode(logEndOffset, forKey: .logEndOffset)
            try c.encode(replicaLogEndOffsets, forKey: .replicaLogEndOffsets)
        }
    }

    /// A service's producer over the run.
    package struct ProducerEntry: Encodable, Sendable {
        package var clientId: String
        package var acks: String
        package var enableIdempotence: Bool
        package var sent: Int
        package var acknowledged: Int
        package var retries: Int
        /// Sends given up, by the exception the service saw (TimeoutException, NotEnoughReplicas …).
        package var failed: [String: Int]
        /// Records a retry without idempotence wrote a second time.
        package var duplicatesWritten: Int

        init(_ producer: Producer) {
            clientId = producer.clientId
            acks = producer.config.acks.rawValue
            enableIdempotence = producer.config.isIdempotent
            let stats = producer.stats
            sent = stats.sent
            acknowledged = stats.acknowledged
            retries = stats.retries
            failed = stats.failed
            duplicatesWritten = stats.duplicatesWritten
        }
    }

    package var brokers: [BrokerEntry]
    package var replicationFactor: Int
    package var minInsyncReplicas: Int
    package var uncleanLeaderElection: Bool
    package var partitions: [PartitionEntry]
    /// Kafka's metric names: UnderReplicatedPartitions, UnderMinIsrPartitionCount,
    /// AtMinIsrPartitionCount, OfflinePartitionsCount, and the ISR shrinks and expands counted over the run.
    package var metrics: [String: Int]
    /// Errors the brokers answered sends with, by Kafka's names (NotEnoughReplicas,
    /// RequestTimedOut, NotLeaderOrFollower); a producer may have retried them.
    package var producerErrors: [String: Int]
    package var producers: [ProducerEntry]
    /// Best-effort orders committed whose OrderCreatedEvent the producer gave up on.
    package var orderEventsNotPublished: Int
    /// Records a producer was told were written that a new leader's shorter log removed: the
    /// invariant "acknowledged records lost", with the order ids (record keys) they carried.
    package var acknowledgedRecordsLost: Int
    package var lostOrderIds: [String]

    init?(_ sim: Simulation) {
        let cluster = sim.cluster
        guard !cluster.config.isSingleReplica else { return nil }
        let stalled = cluster.stalledBrokers
        brokers = cluster.brokerStates.map {
            BrokerEntry(id: $0.id, state: $0.liveness.serves && stalled.contains($0.id) ? "stalled" : $0.liveness.name)
        }
        replicationFactor = cluster.config.replicationFactor
        minInsyncReplicas = cluster.config.minInsyncReplicas
        uncleanLeaderElection = cluster.config.uncleanLeaderElection
        partitions = cluster.topics.flatMap { topic in
            cluster.partitions(of: topic.name).compactMap { tp in
                cluster.replicaState(tp).map { state in
                    PartitionEntry(
                        topic: tp.topic, partition: tp.partition, leader: state.leader, leaderEpoch: state.leaderEpoch,
                        replicas: state.replicas, isr: state.isr, elr: state.elr, lastKnownElr: state.lastKnownElr,
                        highWatermark: state.highWatermark,
                        logEndOffset: cluster.logEndOffset(tp),
                        replicaLogEndOffsets: Dictionary(
                            uniqueKeysWithValues: state.endOffsets.map { (String($0.key), $0.value) }))
                }
            }
        }
        let m = cluster.clusterMetrics
        metrics = [
            "UnderReplicatedPartitions": m.underReplicatedPartitions,
            "UnderMinIsrPartitionCount": m.underMinIsrPartitionCount,
            "AtMinIsrPartitionCount": m.atMinIsrPartitionCount,
            "OfflinePartitionsCount": m.offlinePartitionsCount, "IsrShrinks": m.isrShrinks, "IsrExpands": m.isrExpands,
        ]
        producerErrors = cluster.producerErrors
        producers = sim.producers.map(ProducerEntry.init)
        orderEventsNotPublished = sim.orderService.eventsLostToProducerErrors
        acknowledgedRecordsLost = cluster.lostRecords.count
        lostOrderIds = cluster.lostRecords.map(\.key)
    }

    /// The brokers block of `orderflow simulate`'s summary.
    func text() -> String {
        func counts(_ d: [String: Int]) -> String {
            d.isEmpty ? "none" : d.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
        func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
        let states: String = brokers.map { "\($0.id) \($0.state)" }.joined(separator: "   ")
        let unclean = uncleanLeaderElection ? "on" : "off"
        let metricText: String = metrics.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            .joined(separator: "   ")
        var lines: [String] = [
            "Brokers    \(states)   replication factor \(replicationFactor)   "
                + "min.insync.replicas \(minInsyncReplicas)   unclean election \(unclean)",
            "Metrics    \(metricText)",
            "Sends      broker errors: \(counts(producerErrors))   acknowledged records lost \(acknowledgedRecordsLost)   "
                + "order events not published \(orderEventsNotPublished)",
        ]
        for p in producers {
            let idempotence = p.enableIdempotence ? "on" : "off"
            lines.append(
                "  \(p.clientId) acks=\(p.acks) idempotence \(idempotence): sent \(p.sent), acknowledged \(p.acknowledged), "
                    + "retries \(p.retries), failed: \(counts(p.failed)), duplicates written \(p.duplicatesWritten)")
        }
        lines.append("  TOPIC             P LEADER REPLICAS ISR      HIGH-WATERMARK LOG-END-OFFSET per replica")
        for p in partitions {
            let ends: String = p.replicas.map { "\($0):\(p.replicaLogEndOffsets[String($0)] ?? 0)" }
                .joined(separator: " ")
            let leader = pad(p.leader.map(String.init) ?? "none", 6)
            let replicas = pad(p.replicas.map(String.init).joined(separator: ","), 8)
            let isr = pad(p.isr.map(String.init).joined(separator: ","), 8)
            let columns: [String] = [pad(p.topic, 17), String(p.partition), leader, replicas, isr]
            lines.append("  " + columns.joined(separator: " ") + " " + pad(String(p.highWatermark), 14) + " " + ends)
        }
        return lines.joined(separator: "\n")
    }
}
