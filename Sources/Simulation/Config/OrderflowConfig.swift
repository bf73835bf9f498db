import Bus
import Events
import Services

/// Every setting of a run. The defaults here are the ones `config/orderflow.yaml` documents.
public struct OrderflowConfig: Sendable, Equatable {
    /// When a consumer commits, in the words of Spring Kafka's listener container (the article's
    /// services are `@KafkaListener`s) and of Kafka's own client.
    public enum CommitMode: String, Sendable, CaseIterable {
        /// After each record (Spring Kafka's AckMode.RECORD).
        case record
        /// After the whole batch a poll returned (AckMode.BATCH, Spring Kafka's default, with
        /// enable.auto.commit=false).
        case batch
        /// Kafka's enable.auto.commit=true (the client's own default): inside poll every
        /// `autoCommitInterval`, before a rebalance and on close, the position of every assigned partition.
        case auto
    }

    public struct ServiceSettings: Sendable, Equatable {
        public var instances: Int
        /// Virtual time a record takes to process (the payment service uses the provider's latency).
        public var processingTime: VirtualDuration
    }

    public var seed: UInt64 = 42

    /// The design, publish strategy and idempotency a run starts with.
    public var flow = FlowSettings()

    // The bus
    public var topics: [TopicConfig] = Topic.all.map { TopicConfig(name: $0, partitions: 3) }
    public var retention = 100_000
    /// The brokers and replication (`bus.brokers` …): one broker, one replica by default.
    public var cluster = ClusterConfig()
    /// The services' producers (`producer.acks` …): Kafka's defaults.
    public var producer = ProducerConfig()

    // Consumer groups
    /// Kafka's own default is 45 s; 10 s keeps a class from waiting.
    public var sessionTimeout: VirtualDuration = .seconds(10)
    public var rebalanceTime: VirtualDuration = .seconds(1)
    public var assignor: AssignorKind = .range
    /// Kafka's default, `latest`: a partition with no committed offset is read from its end.
    public var autoOffsetReset: OffsetReset = .latest
    public var pollInterval: VirtualDuration = .milliseconds(100)
    /// Records a poll returns at most (Kafka's `max.poll.records`, 500).
    public var maxPollRecords = 500
    /// A consumer that has not polled again within this leaves its group (Kafka's
    /// `max.poll.interval.ms`, 300 s); also the group's rebalance timeout.
    public var maxPollInterval: VirtualDuration = .minutes(5)
    public var commit: CommitMode = .batch
    public var autoCommitInterval: VirtualDuration = .seconds(5)
    /// How long a consumer waits before reading a record again after it failed to process it.
    public var retryBackoff: VirtualDuration = .seconds(1)

    // Services
    public var services: [ServiceName: ServiceSettings] = [
        .order: ServiceSettings(instances: 1, processingTime: .milliseconds(5)),
        .payment: ServiceSettings(instances: 2, processingTime: .zero),
        .notification: ServiceSettings(instances: 1, processingTime: .milliseconds(20)),
    ]
    /// How long the order service stays down after crashing mid-publish.
    public var orderServiceCrashDowntime: VirtualDuration = .seconds(15)
    /// How long a payment-service instance killed between processing and commit takes to come back.
    public var paymentRestartAfterCrash: VirtualDuration = .seconds(5)

    // The outbox relay
    /// How often the relay looks for unpublished rows.
    public var outboxRelayInterval: VirtualDuration = .milliseconds(100)
    /// Rows per pass, oldest first.
    public var outboxRelayBatch = 100
    /// How long the relay stays down after crashing between a publish and its mark.
    public var outboxRelayRestartDelay: VirtualDuration = .seconds(5)

    // The payment provider
    public var providerLatencyMin: VirtualDuration = .milliseconds(50)
    public var providerLatencyMax: VirtualDuration = .milliseconds(300)
    public var providerFailureRate = 0.05

    // Traffic
    public var trafficAuto = true
    /// Orders per virtual second, Poisson arrivals.
    public var trafficRate = 2.0
    public var amountCentsMin = 500
    public var amountCentsMax = 25_000
    public var currencies = ["EUR"]
    public var customers = 500

    // Invariants
    public var stuckPendingAfter: VirtualDuration = .seconds(60)

    // Headless runs
    /// How long `simulate` runs traffic when neither --orders nor --duration is given.
    public var simulateDuration: VirtualDuration = .seconds(60)
    /// The latest virtual time, after traffic stops, that `simulate` waits for the consumers to drain.
    public var drainDeadline: VirtualDuration = .minutes(30)

    public init() {}

    public func instances(of service: ServiceName) -> Int { services[service]?.instances ?? 1 }
    public func processingTime(of service: ServiceName) -> VirtualDuration {
        services[service]?.processingTime ?? .zero
    }

    public var groupConfig: GroupConfig {
        GroupConfig(
            sessionTimeout: sessionTimeout, rebalanceTime: rebalanceTime, rebalanceTimeout: maxPollInterval,
            assignor: assignor, autoOffsetReset: autoOffsetReset)
    }
}
