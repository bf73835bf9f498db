import Bus
import Events
import Services

/// Everything a dashboard frame shows, as plain values. Taking one reads running counts and
/// bounded windows, never a whole table or log.
public struct Snapshot: Sendable, Equatable {
    public struct PartitionRow: Sendable, Equatable {
        public var topic: String
        public var partition: Int
        public var logStartOffset: Int64
        public var logEndOffset: Int64
        /// Appends in the last complete virtual second.
        public var recordsPerSecond: Int64
        /// Appends per virtual second over the last minute, oldest first.
        public var appendHistory: [Int64]
        /// With replicated partitions (nil otherwise): who leads, who is in sync, what consumers may read.
        public var replication: Replication?

        public struct Replication: Sendable, Equatable {
            /// nil: offline.
            public var leader: Int?
            public var isr: [Int]
            public var replicas: [Int]
            public var highWatermark: Int64
            /// Each replica's log end, by broker id.
            public var endOffsets: [Int: Int64]

            public init(
                leader: Int?, isr: [Int], replicas: [Int], highWatermark: Int64, endOffsets: [Int: Int64] = [:]
            ) {
                self.leader = leader
                self.isr = isr
                self.replicas = replicas
                self.highWatermark = highWatermark
                self.endOffsets = endOffsets
            }
        }

        public init(
            topic: String, partition: Int, logStartOffset: Int64, logEndOffset: Int64, recordsPerSecond: Int64,
            appendHistory: [Int64]
        ) {
            self.topic = topic
            self.partition = partition
            self.logStartOffset = logStartOffset
            self.logEndOffset = logEndOffset
            self.recordsPerSecond = recordsPerSecond
            self.appendHistory = appendHistory
        }
    }

    public struct GroupRow: Sendable, Equatable {
        public var group: String
        public var state: GroupState
        public var generation: Int
        /// The describe rows by Kafka's rules (see `GroupDescription`).
        public var rows: [GroupDescriptionRow]
        /// Kafka's line above the rows when the group is not Stable.
        public var notice: String?
        /// `--describe --members`.
        public var members: [GroupDescription.Member]
        /// `ASSIGNMENT-STRATEGY`; nil for an empty group.
        public var assignmentStrategy: String?
        /// Per row: its lag grew over the last virtual second.
        public var growing: [Bool]
        /// Nil while no partition of the group has a committed offset.
        public var totalLag: Int64?
        /// Total lag sampled each virtual second over the last minute, oldest first.
        public var lagHistory: [Int64]

        public init(
            group: String, state: GroupState, generation: Int, rows: [GroupDescriptionRow], growing: [Bool],
            totalLag: Int64? = nil, lagHistory: [Int64], notice: String? = nil,
            members: [GroupDescription.Member] = [], assignmentStrategy: String? = nil
        ) {
            self.notice = notice
            self.members = members
            self.assignmentStrategy = assignmentStrategy
            self.group = group
            self.state = state
            self.generation = generation
            self.rows = rows
            self.growing = growing
            self.totalLag = totalLag
            self.lagHistory = lagHistory
        }
    }

    public struct BatchProgress: Sendable, Equatable {
        public var done: Int
        public var of: Int

        public init(done: Int, of: Int) {
            self.done = done
            self.of = of
        }
    }

    public struct InstanceRow: Sendable, Equatable {

        public var service: ServiceName
        /// The instance's 1-based number, as its client id ends.
        public var number: Int
        public var clientId: String
        public var memberId: String
        public var state: InstanceState
        public var processed: Int
        public var redeliveries: Int
        public var poisonRecords: Int
        public var partitions: [TopicPartition]
        /// The batch the last poll returned: records finished and in all; nil when none is in hand.
        public var batch: BatchProgress?
        /// Its poll interval ran out with a batch in hand: it left the group and does not know yet.
        public var outOfGroup: Bool
        /// Times it left its group for not polling within `max.poll.interval.ms`.
        public var pollIntervalExceeded: Int

        public init(
            service: ServiceName, number: Int, clientId: String, memberId: String, state: InstanceState, processed: Int,
            redeliveries: Int, poisonRecords: Int, partitions: [TopicPartition], batch: BatchProgress? = nil,
            outOfGroup: Bool = false, pollIntervalExceeded: Int = 0
        ) {
            self.batch = batch
            self.outOfGroup = outOfGroup
            self.pollIntervalExceeded = pollIntervalExceeded
            self.service = service
            self.number = number
            self.clientId = clientId
            self.memberId = memberId
            self.state = state
            self.processed = processed
            self.redeliveries = redeliveries
            self.poisonRecords = poisonRecords
            self.partitions = partitions
        }
    }

    public struct RecordRow: Sendable, Equatable {
        public var timestamp: VirtualTime
        public var topic: String
        public var partition: Int
        public var offset: Int64
        public var key: String
        public var eventType: String

        public init(
            timestamp: VirtualTime, topic: String, partition: Int, offset: Int64, key: String, eventType: String
        ) {
            self.timestamp = timestamp
            self.topic = topic
            self.partition = partition
            self.offset = offset
            self.key = key
            self.eventType = eventType
        }
    }

    public struct OutboxRow: Sendable, Equatable {
        public var pending: Int
        public var oldestPendingSince: VirtualTime?
        public var relay: OutboxRelay.State
        public var published: Int
        public var crashes: Int
        public var crashArmed: Bool
        /// Passes that stopped at a refused send and will try again.
        public var retries: Int = 0

        public init(
            pending: Int, oldestPendingSince: VirtualTime? = nil, relay: OutboxRelay.State, published: Int,
            crashes: Int, crashArmed: Bool, retries: Int = 0
        ) {
            self.pending = pending
            self.oldestPendingSince = oldestPendingSince
            self.relay = relay
            self.published = published
            self.crashes = crashes
            self.crashArmed = crashArmed
            self.retries = retries
        }
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
    /// How many times slower than configured the payment provider answers (1: as configured).
    public var providerSlowdown = 1
    /// Records a poll returns at most now (`max.poll.records`).
    public var maxPollRecords = 500
    public var pendingRejections: Int
    /// The first storage failure of the run, naming the database; nil while storage is fine.
    public var storageFailure: String?
    /// Sends the broker refused so far.
    public var refusedSends: Int = 0
    /// Each broker's id and whether it is up; empty with one replica per partition.
    public var brokers: [BrokerRow] = []
    /// Records a producer was told were written that a shorter leader's log removed.
    public var acknowledgedRecordsLost = 0
    /// acks, min ISR, metrics and producer errors; nil with one replica per partition.
    public var cluster: ClusterRow?
    /// Producer errors and lost records, newest last (the Events pane merges them with records).
    public var clusterEvents: [ClusterEventRow] = []

    public struct BrokerRow: Sendable, Equatable {
        public var id: Int
        public var up: Bool
        /// Up, with its replica fetcher stopped: its followers fall behind.
        public var stalled: Bool

        public init(id: Int, up: Bool, stalled: Bool = false) {
            self.id = id
            self.up = up
            self.stalled = stalled
        }
    }
    public var outbox: OutboxRow
    /// Repeated events the payment and notification services skipped.
    public var dedupHits: [ServiceName: Int]

    public init(
        now: VirtualTime, settings: FlowSettings, seed: UInt64, trafficOn: Bool, trafficRate: Double,
        orderCounts: [OrderStatus: Int], rejectedOrders: Int, recentOrders: [OrderSummary], partitions: [PartitionRow],
        groups: [GroupRow], instances: [InstanceRow], recentRecords: [RecordRow], invariants: InvariantCounts,
        emailsSent: Int, charges: Int, redeliveries: Int, orderServiceDownUntil: VirtualTime? = nil, crashArmed: Bool,
        killBeforeCommitArmed: Bool, pendingRejections: Int, refusedSends: Int = 0, outbox: OutboxRow,
        dedupHits: [ServiceName: Int], storageFailure: String? = nil
    ) {
        self.now = now
        self.settings = settings
        self.seed = seed
        self.trafficOn = trafficOn
        self.trafficRate = trafficRate
        self.orderCounts = orderCounts
        self.rejectedOrders = rejectedOrders
        self.recentOrders = recentOrders
        self.partitions = partitions
        self.groups = groups
        self.instances = instances
        self.recentRecords = recentRecords
        self.invariants = invariants
        self.emailsSent = emailsSent
        self.charges = charges
        self.redeliveries = redeliveries
        self.orderServiceDownUntil = orderServiceDownUntil
        self.crashArmed = crashArmed
        self.killBeforeCommitArmed = killBeforeCommitArmed
        self.pendingRejections = pendingRejections
        self.refusedSends = refusedSends
        self.outbox = outbox
        self.dedupHits = dedupHits
        self.storageFailure = storageFailure
    }
}
