import Bus
import Events
import Services

/// Every setting of a run. The defaults here are the ones `config/orderflow.yaml` documents.
public struct OrderflowConfig: Sendable, Equatable {
    public enum CommitMode: String, Sendable, CaseIterable {
        /// Commit right after each record is processed.
        case perRecord = "per-record"
        /// Commit the processed position every `autoCommitInterval`, as Kafka's enable.auto.commit does.
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

    // Consumer groups
    /// Kafka's own default is 45 s; 10 s keeps a class from waiting.
    public var sessionTimeout: VirtualDuration = .seconds(10)
    public var rebalanceTime: VirtualDuration = .seconds(1)
    public var assignor: AssignorKind = .range
    public var autoOffsetReset: OffsetReset = .earliest
    public var pollInterval: VirtualDuration = .milliseconds(100)
    public var commit: CommitMode = .perRecord
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
            sessionTimeout: sessionTimeout, rebalanceTime: rebalanceTime, assignor: assignor,
            autoOffsetReset: autoOffsetReset)
    }
}
