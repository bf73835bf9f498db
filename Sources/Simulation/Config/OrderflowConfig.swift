import Bus
import Events
import KafkaClient
import Services

/// Every setting of a run. The defaults here are the ones `config/orderflow.yaml` documents.
package struct OrderflowConfig: Sendable, Equatable {
    /// When a consumer commits, in the words of Spring Kafka's listener container (the article's
    /// services are `@KafkaListener`s) and of Kafka's own client.
    package enum CommitMode: String, Sendable, CaseIterable {
        /// After each record (Spring Kafka's AckMode.RECORD).
        case record
        /// After the whole batch a poll returned (AckMode.BATCH, Spring Kafka's default, with
        /// enable.auto.commit=false).
        case batch
        /// Kafka's enable.auto.commit=true (the client's own default): inside poll every
        /// `autoCommitInterval`, before a rebalance and on close, the position of every assigned partition.
        case auto
        /// What a poll returned is committed at once, before any of it is processed: at most
        /// once. A death mid-batch loses the rest; nothing redelivers it (`at-most-once`).
        case beforeProcessing = "before-processing"
    }

    /// Where each consumer's `group.instance.id` comes from: none (dynamic members, Kafka's
    /// default) or its client id (`payment-service-2`), as a StatefulSet's pod name gives one.
    package enum GroupInstanceIds: String, Sendable, CaseIterable {
        case none
        case clientId = "client-id"
    }

    package struct ServiceSettings: Sendable, Equatable {
        package var instances: Int
        /// Virtual time a record takes to process (the payment service uses the provider's latency).
        package var processingTime: VirtualDuration
    }

    package var seed: UInt64 = 42

    /// The design, publish strategy and idempotency a run starts with.
    package var flow = FlowSettings()

    // The bus
    package var topics: [TopicConfig] = Topic.all.map { TopicConfig(name: $0, partitions: 3) }
    package var retention = 100_000
    /// The brokers and replication (`bus.brokers` …): one broker, one replica by default.
    package var cluster = ClusterConfig()
    /// The services' producers (`producer.acks` …): Kafka's defaults.
    package var producer = ProducerConfig()

    // Consumer groups
    /// Kafka's own default is 45 s; 10 s keeps a class from waiting.
    package var sessionTimeout: VirtualDuration = .seconds(10)
    package var rebalanceTime: VirtualDuration = .seconds(1)
    package var assignor: AssignorKind = .range
    /// Kafka's default, `latest`: a partition with no committed offset is read from its end.
    package var autoOffsetReset: OffsetReset = .latest
    package var pollInterval: VirtualDuration = .milliseconds(100)
    /// Records a poll returns at most (Kafka's `max.poll.records`, 500).
    package var maxPollRecords = 500
    /// A consumer that has not polled again within this leaves its group (Kafka's
    /// `max.poll.interval.ms`, 300 s); also the group's rebalance timeout.
    package var maxPollInterval: VirtualDuration = .minutes(5)
    package var commit: CommitMode = .batch
    package var autoCommitInterval: VirtualDuration = .seconds(5)
    /// How long a consumer waits before reading a record again after it failed to process it.
    package var retryBackoff: VirtualDuration = .seconds(1)
    /// Spring Kafka's DeadLetterPublishingRecoverer behind its DefaultErrorHandler: a record that
    /// failed `retries` times more (a poison record at once) goes to `<topic>.DLT` and the
    /// consumer commits past it. Off: a failed record is read again until it succeeds.
    package var deadLetter = false
    /// Reads after the first failure before the record is dead-lettered (Spring's FixedBackOff
    /// default: 9, 10 attempts in all). Only with `deadLetter`.
    package var retries = 9
    /// Kafka's `group.protocol`: classic (the client's default in 4.x) or consumer (KIP-848).
    package var groupProtocol: GroupProtocol = .classic
    /// Kafka's `group.remote.assignor` under the consumer protocol: the broker's first, uniform.
    package var remoteAssignor: RemoteAssignorKind = .uniform
    /// Static membership (KIP-345): none, or each instance's client id as its `group.instance.id`.
    package var groupInstanceIds: GroupInstanceIds = .none
    /// The broker's `group.consumer.heartbeat.interval.ms`, 5 s (the consumer protocol).
    package var consumerHeartbeatInterval: VirtualDuration = .seconds(5)
    /// The broker's `group.consumer.session.timeout.ms`, 45 s (the consumer protocol; Kafka's
    /// brokers refuse less than `group.consumer.min.session.timeout.ms`, 45 s, so orderflow keeps it).
    package var consumerSessionTimeout: VirtualDuration = .seconds(45)

    // Services
    package var services: [ServiceName: ServiceSettings] = [
        .order: ServiceSettings(instances: 1, processingTime: .milliseconds(5)),
        .payment: ServiceSettings(instances: 2, processingTime: .zero),
        .notification: ServiceSettings(instances: 1, processingTime: .milliseconds(20)),
    ]
    /// How long the order service stays down after crashing mid-publish.
    package var orderServiceCrashDowntime: VirtualDuration = .seconds(15)
    /// How long a payment-service instance killed between processing and commit takes to come back.
    package var paymentRestartAfterCrash: VirtualDuration = .seconds(5)

    // The outbox relay
    /// How often the relay looks for unpublished rows.
    package var outboxRelayInterval: VirtualDuration = .milliseconds(100)
    /// Rows per pass, oldest first.
    package var outboxRelayBatch = 100
    /// How long the relay stays down after crashing between a publish and its mark.
    package var outboxRelayRestartDelay: VirtualDuration = .seconds(5)

    // The payment provider
    package var providerLatencyMin: VirtualDuration = .milliseconds(50)
    package var providerLatencyMax: VirtualDuration = .milliseconds(300)
    package var providerFailureRate = 0.05
    /// The provider refuses (an error, not a decline) any charge above this many cents; nil: no limit.
    package var providerLimitCents: Int?

    // Traffic
    package var trafficAuto = true
    /// Orders per virtual second, Poisson arrivals.
    package var trafficRate = 2.0
    package var amountCentsMin = 500
    package var amountCentsMax = 25_000
    package var currencies = ["EUR"]
    package var customers = 500

    // Invariants
    package var stuckPendingAfter: VirtualDuration = .seconds(60)

    // Headless runs
    /// How long `simulate` runs traffic when neither --orders nor --duration is given.
    package var simulateDuration: VirtualDuration = .seconds(60)
    /// The latest virtual time, after traffic stops, that `simulate` waits for the consumers to drain.
    package var drainDeadline: VirtualDuration = .minutes(30)

    package init() {}

    /// The topics the cluster runs: the config's, and with `deadLetter` each one's `<topic>.DLT`
    /// with as many partitions (Spring's default recoverer writes to the failed record's partition).
    package var clusterTopics: [TopicConfig] {
        topics
            + (deadLetter
                ? topics.map { TopicConfig(name: Topic.deadLetter(of: $0.name), partitions: $0.partitions) } : [])
    }

    package func instances(of service: ServiceName) -> Int { services[service]?.instances ?? 1 }
    package func processingTime(of service: ServiceName) -> VirtualDuration {
        services[service]?.processingTime ?? .zero
    }

    package var groupConfig: GroupConfig {
        GroupConfig(
            sessionTimeout: sessionTimeout, rebalanceTime: rebalanceTime, rebalanceTimeout: maxPollInterval,
            assignor: assignor, autoOffsetReset: autoOffsetReset, groupProtocol: groupProtocol,
            remoteAssignor: remoteAssignor, heartbeatInterval: consumerHeartbeatInterval,
            consumerSessionTimeout: consumerSessionTimeout)
    }
}
