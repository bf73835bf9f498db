import Bus
import Events
import Services

/// Everything a dashboard frame shows, as plain values. Taking one reads running counts and
/// bounded windows, never a whole table or log.
public struct Snapshot: Sendable {
    public struct PartitionRow: Sendable, Equatable {
        public var topic: String
        public var partition: Int
        public var logStartOffset: Int64
        public var logEndOffset: Int64
        /// Appends in the last complete virtual second.
        public var recordsPerSecond: Int64
        /// Appends per virtual second over the last minute, oldest first.
        public var appendHistory: [Int64]
    }

    public struct GroupRow: Sendable, Equatable {
        public var group: String
        public var state: GroupState
        public var generation: Int
        public var rows: [GroupDescriptionRow]
        /// Per row: its lag grew over the last virtual second.
        public var growing: [Bool]
        /// Nil while no partition of the group has a committed offset.
        public var totalLag: Int64?
        /// Total lag sampled each virtual second over the last minute, oldest first.
        public var lagHistory: [Int64]
    }

    public struct InstanceRow: Sendable, Equatable {
        public var service: ServiceName
        public var clientId: String
        public var memberId: String
        public var state: InstanceState
        public var processed: Int
        public var redeliveries: Int
        public var poisonRecords: Int
        public var partitions: [TopicPartition]
    }

    public struct RecordRow: Sendable, Equatable {
        public var timestamp: VirtualTime
        public var topic: String
        public var partition: Int
        public var offset: Int64
        public var key: String
        public var eventType: String
    }

    public struct OutboxRow: Sendable, Equatable {
        public var pending: Int
        public var oldestPendingSince: VirtualTime?
        public var relay: OutboxRelay.State
        public var published: Int
        public var crashes: Int
        public var crashArmed: Bool
    }

    public var now: VirtualTime
    public var settings: FlowSettings
    public var seed: UInt64
    public var trafficOn: Bool
    public var trafficRate: Double
    public var orderCounts: [OrderStatus: Int]
    public var rejectedOrders: Int
    /// Newest last.
    public var recentOrders: [OrderSummary]
    public var partitions: [PartitionRow]
    public var groups: [GroupRow]
    public var instances: [InstanceRow]
    /// Newest last.
    public var recentRecords: [RecordRow]
    public var invariants: InvariantCounts
    public var emailsSent: Int
    public var charges: Int
    public var redeliveries: Int
    public var orderServiceDownUntil: VirtualTime?
    public var crashArmed: Bool
    public var killBeforeCommitArmed: Bool
    public var pendingRejections: Int
    public var outbox: OutboxRow
    /// Repeated events the payment and notification services skipped.
    public var dedupHits: [ServiceName: Int]
}
