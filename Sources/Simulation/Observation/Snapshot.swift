import Bus
import Events
import Services

/// Everything a dashboard frame shows, as plain values. Taking one reads running counts and
/// bounded windows, never a whole table or log.
package struct Snapshot: Sendable, Equatable {
    package struct PartitionRow: Sendable, Equatable {
        package var topic: String
        package var partition: Int
        package var logStartOffset: Int64
        package var logEndOffset: Int64
        /// Appends in the last complete virtual second.
        package var recordsPerSecond: Int64
        /// Appends per virtual second over the last minute, oldest first.
        package var appendHistory: [Int64]
        /// With replicated partitions (nil otherwise): who leads, who is in sync, what consumers may read.
        package var replication: Replication?

        package struct Replication: Sendable, Equatable {
            /// nil: offline.
            package var leader: Int?
            package var isr: [Int]
            package var replicas: [Int]
            package var highWatermark: Int64
            /// Each replica's log end, by broker id.
            package var endOffsets: [Int: Int64]
            /// Eligible Leader Replicas (KIP-966).
            package var elr: [Int]

            package init(
                leader: Int?, isr: [Int], replicas: [Int], highWatermark: Int64, endOffsets: [Int: Int64] = [:],
                elr: [Int] = []
            ) {
                self.leader = leader
                self.isr = isr
                self.elr = elr
                self.replicas = replicas
                self.highWatermark = highWatermark
                self.endOffsets = endOffsets
            }
        }

        package init(
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

    package struct GroupRow: Sendable, Equatable {
        package var group: String
        package var state: GroupState
        package var generation: Int
        /// The describe rows by Kafka's rules (see `GroupDescription`).
        package var rows: [GroupDescriptionRow]
        /// Kafka's line above the rows when the group is not Stable.
        package var notice: String?
        /// `--describe --members`.
        package var members: [GroupDescription.Member]
        /// `ASSIGNMENT-STRATEGY`; nil for an empty group.
        package var assignmentStrategy: String?
        /// Per row: its lag grew over the last virtual second.
        package var growing: [Bool]
        /// Nil while no partition of the group has a committed offset.
        package var totalLag: Int64?
        /// Total lag sampled each virtual second over the last minute, oldest first.
        package var lagHistory: [Int64]
        /// The group's lag in time (its oldest waiting record, its catch-up): nil while unknown.
        package var timeLag: TimeLag?
        /// Per describe row, its lag in time.
        package var rowTimeLags: [TimeLag?] = []
        /// Per describe row: whether its partition is being read, and if not why and since when.
        package var rowPauses: [PartitionPause?] = []
        /// Paused partition-time by cause and rebalances so far; the group's rolling deploys.
        package var pauses = PauseTotals()
        package var deploys: [RollingDeployRecord] = []

        package init(
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

    package struct BatchProgress: Sendable, Equatable {
        package var done: Int
        package var of: Int

        package init(done: Int, of: Int) {
            self.done = done
            self.of = of
        }
    }

    package struct InstanceRow: Sendable, Equatable {

        package var service: ServiceName
        /// The instance's 1-based number, as its client id ends.
        package var number: Int
        package var clientId: String
        package var memberId: String
        package var state: InstanceState
        package var processed: Int
        package var redeliveries: Int
        package var poisonRecords: Int
        package var partitions: [TopicPartition]
        /// The batch the last poll returned: records finished and in all; nil when none is in hand.
        package var batch: BatchProgress?
        /// Its poll interval ran out with a batch in hand: it left the group and does not know yet.
        package var outOfGroup: Bool
        /// Times it left its group for not polling within `max.poll.interval.ms`.
        package var pollIntervalExceeded: Int
        /// The record in hand has failed this many times in a row (0: it has not), and where it is.
        package var failures = 0
        package var failing: RecordMetadata?

        package init(
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

    package struct RecordRow: Sendable, Equatable {
        package var timestamp: VirtualTime
        package var topic: String
        package var partition: Int
        package var offset: Int64
        package var key: String
        package var eventType: String

        package init(
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

    package struct OutboxRow: Sendable, Equatable {
        package var pending: Int
        package var oldestPendingSince: VirtualTime?
        package var relay: OutboxRelay.State
        package var published: Int
        package var crashes: Int
        package var crashArmed: Bool
        /// Passes that stopped at a refused send and will try again.
        package var retries: Int = 0

        package init(
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

    package var now: VirtualTime
    package var settings: FlowSettings
    package var seed: UInt64
    package var trafficOn: Bool
    package var trafficRate: Double
    package var orderCounts: [OrderStatus: Int]
    package var rejectedOrders: Int
    /// Newest last.
    package var recentOrders: [OrderSummary]
    package var partitions: [PartitionRow]
    package var groups: [GroupRow]
    package var instances: [InstanceRow]
    /// Newest last.
    package var recentRecords: [RecordRow]
    package var invariants: InvariantCounts
    package var emailsSent: Int
    package var charges: Int
    package var redeliveries: Int
    package var orderServiceDownUntil: VirtualTime?
    package var crashArmed: Bool
    package var killBeforeCommitArmed: Bool
    /// How many times slower than configured the payment provider answers (1: as configured).
    package var providerSlowdown = 1
    /// Records a poll returns at most now (`max.poll.records`).
    package var maxPollRecords = 500
    /// When the consumers commit (`consumers.commit`): the header names any but the default.
    package var commit: OrderflowConfig.CommitMode = .batch
    package var pendingRejections: Int
    /// The first storage failure of the run, naming the database; nil while storage is fine.
    package var storageFailure: String?
    /// Sends the broker refused so far.
    package var rejectedSends: Int = 0
    /// Each broker's id and whether it is up; empty with one replica per partition.
    package var brokers: [BrokerRow] = []
    /// Records a producer was told were written that a shorter leader's log removed.
    package var acknowledgedRecordsLost = 0
    /// The dead-letter topics; nil when `consumers.deadLetter` is off.
    package var deadLetter: DeadLetterRow?
    /// acks, min ISR, metrics and producer errors; nil with one replica per partition.
    package var cluster: ClusterRow?
    /// Producer errors and lost records, newest last (the Events pane merges them with records).
    package var clusterEvents: [ClusterEventRow] = []

    package struct BrokerRow: Sendable, Equatable {
        package var id: Int
        package var liveness: BrokerLiveness
        /// Up, with its replica fetcher stopped: its followers fall behind.
        package var stalled: Bool

        package init(id: Int, liveness: BrokerLiveness = .running, stalled: Bool = false) {
            self.id = id
            self.liveness = liveness
            self.stalled = stalled
        }

        /// Running and unfenced: it serves its replicas.
        package var up: Bool { liveness.serves }
    }
    package var outbox: OutboxRow
    /// Repeated events the payment and notification services skipped.
    package var dedupHits: [ServiceName: Int]

    package init(
        now: VirtualTime, settings: FlowSettings, seed: UInt64, trafficOn: Bool, trafficRate: Double,
        orderCounts: [OrderStatus: Int], rejectedOrders: Int, recentOrders: [OrderSummary], partitions: [PartitionRow],
        groups: [GroupRow], instances: [InstanceRow], recentRecords: [RecordRow], invariants: InvariantCounts,
        emailsSent: Int, charges: Int, redeliveries: Int, orderServiceDownUntil: VirtualTime? = nil, crashArmed: Bool,
        killBeforeCommitArmed: Bool, pendingRejections: Int, rejectedSends: Int = 0, outbox: OutboxRow,
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
        self.rejectedSends = rejectedSends
        self.outbox = outbox
        self.dedupHits = dedupHits
        self.storageFailure = storageFailure
    }
}
