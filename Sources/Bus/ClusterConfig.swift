/// The brokers behind the bus and how topics are replicated across them.
///
/// The default is what the article's docker-compose runs: one broker, every partition a single
/// replica, so the bus behaves exactly as it did before brokers existed. The brokers lesson turns
/// on a cluster (three brokers, replication factor 3, `min.insync.replicas` 2).
package struct ClusterConfig: Hashable, Sendable {
    /// Cluster ids are 1...brokers, as the article's compose file numbers its one broker 1.
    package var brokers: Int
    /// Replicas per partition (Kafka's `replication.factor`), at most `brokers`.
    package var replicationFactor: Int
    /// Kafka's `min.insync.replicas` (default 1): with `acks=all`, a send needs this many in-sync replicas.
    package var minInsyncReplicas: Int
    /// Kafka's `unclean.leader.election.enable` (default false).
    package var uncleanLeaderElection: Bool
    /// Kafka's `replica.lag.time.max.ms` (default 30 s): a follower that has not caught up for
    /// this long leaves the ISR.
    package var replicaLagTime: VirtualDuration
    /// How long after an append a follower's fetch lands. Kafka's followers fetch continuously
    /// (`replica.fetch.wait.max.ms`, 500 ms, bounds the wait when there is nothing new); this is
    /// the window in which a leader has records its followers do not.
    package var replicaFetchInterval: VirtualDuration
    /// Kafka's `broker.session.timeout.ms` (9 s): a broker that stopped heartbeating is fenced
    /// this long after its last heartbeat. Until then the controller counts it alive: it still
    /// leads its partitions and holds its place in every ISR.
    package var brokerSessionTimeout: VirtualDuration
    /// Kafka's `unclean.leader.election.interval.ms` (5 minutes): how often the controller looks
    /// for offline partitions to elect an unclean leader for, once the setting was turned on.
    /// orderflow's default is 10 s, so a class sees the election it is waiting for.
    package var uncleanElectionInterval: VirtualDuration
    /// Eligible Leader Replicas (KIP-966; `eligible.leader.replicas.version` 1, on by default on
    /// clusters created by Kafka 4.1 or later): replicas that left the ISR while it was below
    /// min ISR stay electable.
    package var eligibleLeaderReplicas: Bool

    package init(
        brokers: Int = 1, replicationFactor: Int = 1, minInsyncReplicas: Int = 1,
        uncleanLeaderElection: Bool = false, replicaLagTime: VirtualDuration = .seconds(30),
        replicaFetchInterval: VirtualDuration = .milliseconds(100),
        brokerSessionTimeout: VirtualDuration = .seconds(9), uncleanElectionInterval: VirtualDuration = .seconds(10),
        eligibleLeaderReplicas: Bool = true
    ) {
        self.brokers = max(1, brokers)
        self.replicationFactor = min(max(1, replicationFactor), max(1, brokers))
        self.minInsyncReplicas = max(1, minInsyncReplicas)
        self.uncleanLeaderElection = uncleanLeaderElection
        self.replicaLagTime = replicaLagTime
        self.replicaFetchInterval = max(.milliseconds(1), replicaFetchInterval)
        self.brokerSessionTimeout = max(.zero, brokerSessionTimeout)
        self.uncleanElectionInterval = max(.milliseconds(1), uncleanElectionInterval)
        self.eligibleLeaderReplicas = eligibleLeaderReplicas
    }

    /// What `min.insync.replicas` means for a partition (Kafka's `Partition.effectiveMinIsr`): the
    /// setting capped at the replica count, so a setting larger than the replication factor
    /// still lets `acks=all` write once every replica is in sync.
    package var effectiveMinInsyncReplicas: Int { min(minInsyncReplicas, replicationFactor) }

    /// One broker, one replica: nothing to replicate, and the bus takes its old, direct path.
    package var isSingleReplica: Bool { replicationFactor == 1 }

    /// Kafka's default replica placement without racks, with its random start index and shift
    /// fixed at 0 so a run is deterministic: partition p's first replica is broker
    /// (p mod n) + 1; the followers are shifted by 1 + (shift + j) mod (n − 1), and the shift grows
    /// by one every n partitions (`StripedReplicaPlacer`, formerly `AdminUtils.assignReplicasToBrokers`).
    package func replicas(ofPartition p: Int) -> [Int] {
        let n = brokers
        let first = p % n
        guard replicationFactor > 1, n > 1 else { return [first + 1] }
        let shift = p / n
        var ids = [first + 1]
        for j in 0..<(replicationFactor - 1) {
            let offset = 1 + (shift + j) % (n - 1)
            ids.append((first + offset) % n + 1)
        }
        return ids
    }
}

/// The producer's `acks`: when the broker answers a send.
package enum Acks: String, CaseIterable, Hashable, Sendable {
    /// `acks=0`: the producer does not wait for any answer.
    case none = "0"
    /// `acks=1`: answered once the leader appended the record.
    case leader = "1"
    /// `acks=all` (Kafka's default since 3.0): answered once every in-sync replica has it.
    case all
}

/// A send the cluster refused or could not complete, by the name Kafka's producer logs.
package enum ProduceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Error 19: fewer in-sync replicas than `min.insync.replicas`; nothing was appended.
    case notEnoughReplicas(TopicPartition)
    /// Error 20: appended to the leader, then the ISR shrank below the minimum before every
    /// in-sync replica had it. The record IS in the leader's log.
    case notEnoughReplicasAfterAppend(TopicPartition)
    /// Error 6: the partition has no leader (offline), or its leader changed while the send waited.
    case notLeaderOrFollower(TopicPartition)
    /// Error 7, REQUEST_TIMED_OUT: an `acks=all` send waited longer than the request's timeout
    /// (the producer's `request.timeout.ms`) for its in-sync replicas. The record IS in the
    /// leader's log; the producer retries it.
    case requestTimedOut(TopicPartition)
    /// The leader's process died with the request in flight: the producer's connection dropped
    /// (Kafka's client reports `NetworkException`, retriable). The record may be in the dead
    /// leader's log.
    case networkException(TopicPartition)

    package var name: String {
        switch self {
        case .notEnoughReplicas: "NotEnoughReplicas"
        case .notEnoughReplicasAfterAppend: "NotEnoughReplicasAfterAppend"
        case .notLeaderOrFollower: "NotLeaderOrFollower"
        case .requestTimedOut: "RequestTimedOut"
        case .networkException: "NetworkException"
        }
    }

    package var description: String {
        switch self {
        case .notEnoughReplicas(let tp), .notEnoughReplicasAfterAppend(let tp), .notLeaderOrFollower(let tp),
            .requestTimedOut(let tp), .networkException(let tp):
            "\(name) on \(tp)"
        }
    }
}
