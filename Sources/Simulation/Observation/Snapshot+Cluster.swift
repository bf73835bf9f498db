import Bus
import Services

extension Snapshot {
    /// The cluster as the class sees it: present only with replicated partitions.
    package struct ClusterRow: Sendable, Equatable {
        /// The producers' acks now (the dashboard's switch changes it).
        package var acks: Acks
        package var uncleanLeaderElection: Bool
        package var metrics: ClusterMetrics
        /// Sends waiting for a retry or the in-sync replicas, over both producers.
        package var retrying: Int
        /// Sends the producers gave up on (the services got the error).
        package var gaveUp: Int
        /// Sends held in the producers because their partition has no leader that serves.
        package var waitingForLeader = 0
        /// The brokers' answers by Kafka's names, retried ones included.
        package var errors: [String: Int]
        /// Whether the producers run idempotent (`enable.idempotence` with acks=all): without it,
        /// a retried send the leader already appended is appended again.
        package var idempotentProducers = true

        package init(
            acks: Acks, uncleanLeaderElection: Bool, metrics: ClusterMetrics = ClusterMetrics(),
            retrying: Int = 0, gaveUp: Int = 0, errors: [String: Int] = [:]
        ) {
            self.acks = acks
            self.uncleanLeaderElection = uncleanLeaderElection
            self.metrics = metrics
            self.retrying = retrying
            self.gaveUp = gaveUp
            self.errors = errors
        }
    }

    /// A line of the Events pane that is not a record: a producer's error as it happens, or an
    /// acknowledged record a truncation removed.
    package struct ClusterEventRow: Sendable, Equatable {
        package var time: VirtualTime
        package var topic: String
        package var partition: Int
        /// The lost record's offset; nil for a send (refused before any offset).
        package var offset: Int64?
        package var key: String
        /// "retry NotEnoughReplicas" (a send's first error, retried), "FAILED TimeoutException" (what
        /// the service got), or "LOST (acked)": the outcome first, so a narrow column keeps it.
        package var what: String
        /// A failure the service saw, or a lost record: red. A first error being retried: yellow.
        package var final: Bool

        package init(
            time: VirtualTime, topic: String, partition: Int, offset: Int64? = nil, key: String, what: String,
            final: Bool
        ) {
            self.time = time
            self.topic = topic
            self.partition = partition
            self.offset = offset
            self.key = key
            self.what = what
            self.final = final
        }
    }
}
