import Bus
import Services

extension Snapshot {
    /// The cluster as the class sees it: present only with replicated partitions.
    public struct ClusterRow: Sendable, Equatable {
        /// The producers' acks now (the dashboard's switch changes it).
        public var acks: Acks
        public var uncleanLeaderElection: Bool
        public var metrics: ClusterMetrics
        /// Sends waiting for a retry or the in-sync replicas, over both producers.
        public var retrying: Int
        /// Sends the producers gave up on (the services got the error).
        public var gaveUp: Int
        /// The brokers' answers by Kafka's names, retried ones included.
        public var errors: [String: Int]

        public init(
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
    public struct ClusterEventRow: Sendable, Equatable {
        public var time: VirtualTime
        public var topic: String
        public var partition: Int
        /// The lost record's offset; nil for a send (refused before any offset).
        public var offset: Int64?
        public var key: String
        /// "retry NotEnoughReplicas" (a send's first error, retried), "FAILED TimeoutException" (what
        /// the service got), or "LOST (acked)": the outcome first, so a narrow column keeps it.
        public var what: String
        /// A failure the service saw, or a lost record: red. A first error being retried: yellow.
        public var final: Bool

        public init(
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
