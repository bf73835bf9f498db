import Bus
import Events
import Foundation
import Services

extension OrderflowConfig {
    /// Reads a config file over the defaults. Every key is optional; unknown keys and wrong
    /// types are errors naming the file, the line and the key.
    package static func load(path: String) throws(InputError) -> OrderflowConfig {
        try parse(try readInputFile(path), file: path)
    }

    package static func parse(_ text: String, file: String) throws(InputError) -> OrderflowConfig {
        var c = OrderflowConfig()
        guard let root = try YAMLMapping.document(text, file: file) else { return c }
        try apply(root, to: &c)
        return c
    }

    /// Every key the loader asks for while it reads `text` (a config with every section, such as
    /// `config/orderflow.yaml`): its own list of the keys it knows, qualified (`bus.brokers`).
    package static func knownKeys(readingEvery text: String, file: String) throws(InputError) -> Set<String> {
        let asked = AskedKeys()
        var c = OrderflowConfig()
        guard let root = try YAMLMapping.document(text, file: file, asked: asked) else { return [] }
        try apply(root, to: &c)
        return asked.keys
    }

    /// Sets what `root` names over `c`: a config file's top level, or a scenario's `config:` block.
    static func apply(_ root: YAMLMapping, to c: inout OrderflowConfig) throws(InputError) {
        if let seed = try root.int("seed", in: 0...Int.max) { c.seed = UInt64(seed) }

        if let flow = try root.mapping("flow") {
            if let d = try flow.choice("design", OrderDesign.self) { c.flow.design = d }
            if let p = try flow.choice("publish", PublishStrategy.self) { c.flow.publish = p }
            if let i = try flow.choice("idempotency", Idempotency.self) { c.flow.idempotency = i }
            try flow.finish()
        }

        if let outbox = try root.mapping("outbox") {
            if let d = try outbox.duration("relayInterval", positive: true) { c.outboxRelayInterval = d }
            if let n = try outbox.int("relayBatch", in: 1...100_000) { c.outboxRelayBatch = n }
            if let d = try outbox.duration("relayRestartDelay") { c.outboxRelayRestartDelay = d }
            try outbox.finish()
        }

        if let bus = try root.mapping("bus") {
            if let r = try bus.int("retention", in: 1...100_000_000) { c.retention = r }
            try applyCluster(bus, to: &c)
            if let d = try bus.duration("groupConsumerHeartbeatInterval", positive: true) {
                c.consumerHeartbeatInterval = d
            }
            if let d = try bus.duration("groupConsumerSessionTimeout", positive: true) { c.consumerSessionTimeout = d }
            if let topics = try bus.mapping("topics") {
                for name in topics.keys {
                    guard Topic.all.contains(name) else {
                        throw topics.error(name, "unknown topic; the topics are \(Topic.all.joined(separator: ", "))")
                    }
                }
                c.topics = try Topic.all.map { name throws(InputError) in
                    TopicConfig(name: name, partitions: try topics.int(name, in: 1...64) ?? 3)
                }
                try topics.finish()
            }
            try bus.finish()
        }

        if let producer = try root.mapping("producer") {
            try applyProducer(producer, to: &c)
        }

        if let consumers = try root.mapping("consumers") {
            if let d = try consumers.duration("sessionTimeout", positive: true) { c.sessionTimeout = d }
            if let d = try consumers.duration("rebalanceTime") { c.rebalanceTime = d }
            if let name = try consumers.string("assignor") {
                guard let kind = AssignorKind(kafkaName: name) else {
                    throw consumers.error(
                        "assignor",
                        "expected one of range, roundrobin, cooperative-sticky (or Kafka's class names, "
                            + "org.apache.kafka.clients.consumer.RangeAssignor etc.), got '\(name.prefix(60))'")
                }
                c.assignor = kind
            }
            if let r = try consumers.choice("autoOffsetReset", OffsetReset.self) { c.autoOffsetReset = r }
            if let d = try consumers.duration("pollInterval", positive: true) { c.pollInterval = d }
            if let n = try consumers.int("maxPollRecords", in: 1...100_000) { c.maxPollRecords = n }
            if let d = try consumers.duration("maxPollInterval", positive: true) { c.maxPollInterval = d }
            if let m = try consumers.choice("commit", CommitMode.self) { c.commit = m }
            if let d = try consumers.duration("autoCommitInterval", positive: true) { c.autoCommitInterval = d }
            if let d = try consumers.duration("retryBackoff", positive: true) { c.retryBackoff = d }
            if let on = try consumers.bool("deadLetter") { c.deadLetter = on }
            if let n = try consumers.int("retries", in: 0...1000) { c.retries = n }
            if let p = try consumers.choice("groupProtocol", GroupProtocol.self) { c.groupProtocol = p }
            if let a = try consumers.choice("groupRemoteAssignor", RemoteAssignorKind.self) { c.remoteAssignor = a }
            if let i = try consumers.choice("groupInstanceId", OrderflowConfig.GroupInstanceIds.self) {
                c.groupInstanceIds = i
            }
            try consumers.finish()
        }

        if let services = try root.mapping("services") {
            for name in services.keys where ServiceName(rawValue: name) == nil {
                throw services.error(
                    name,
                    "unknown service; the services are \(ServiceName.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            for service in ServiceName.allCases {
                guard let s = try services.mapping(service.rawValue) else { continue }
                if let n = try s.int("instances", in: 1...16) { c.services[service]?.instances = n }
                if service != .payment, let d = try s.duration("processingTime") {
                    c.services[service]?.processingTime = d
                }
                if service == .order, let d = try s.duration("crashDowntime") { c.orderServiceCrashDowntime = d }
                if service == .payment, let d = try s.duration("restartAfterCrash") { c.paymentRestartAfterCrash = d }
                try s.finish()
            }
            try services.finish()
        }

        if let provider = try root.mapping("provider") {
            if let latency = try provider.mapping("latency") {
                if let d = try latency.duration("min") { c.providerLatencyMin = d }
                if let d = try latency.duration("max") { c.providerLatencyMax = d }
                guard c.providerLatencyMin <= c.providerLatencyMax else {
                    // Name the key the file has: the other one kept its default.
                    let given = latency.keys.contains("max") ? "max" : "min"
                    throw latency.error(
                        given,
                        latency.keys.contains("max") && latency.keys.contains("min")
                            ? "max must not be below min"
                            : given == "min"
                                ? "is above the default max (\(c.providerLatencyMax)); set max too"
                                : "is below the default min (\(c.providerLatencyMin)); set min too")
                }
                try latency.finish()
            }
            if let r = try provider.double("failureRate", in: 0...1) { c.providerFailureRate = r }
            if let limit = try provider.string("limitCents") {
                guard limit == "none" || Int(limit).map({ (1...100_000_000).contains($0) }) == true else {
                    throw provider.error(
                        "limitCents",
                        "expected none or a whole number of cents from 1 to 100000000, got '\(limit.prefix(40))'")
                }
                c.providerLimitCents = Int(limit)
            }
            try provider.finish()
        }

        if let traffic = try root.mapping("traffic") {
            if let b = try traffic.bool("auto") { c.trafficAuto = b }
            if let r = try traffic.double("rate", in: 0...100_000) { c.trafficRate = r }
            if let amount = try traffic.mapping("amountCents") {
                if let v = try amount.int("min", in: 1...100_000_000) { c.amountCentsMin = v }
                if let v = try amount.int("max", in: 1...100_000_000) { c.amountCentsMax = v }
                guard c.amountCentsMin <= c.amountCentsMax else { throw amount.error("max", "must not be below min") }
                try amount.finish()
            }
            if let list = try traffic.stringList("currencies") {
                guard !list.isEmpty else { throw traffic.error("currencies", "needs at least one currency") }
                // ISO 4217 codes: three capital letters, as every payment provider takes them.
                if let bad = list.first(where: { !($0.count == 3 && $0.allSatisfy { $0.isASCII && $0.isUppercase }) }) {
                    throw traffic.error(
                        "currencies",
                        "expected ISO 4217 codes such as EUR or USD (three capital letters), got '\(bad.prefix(40))'")
                }
                guard list.count <= 200 else { throw traffic.error("currencies", "at most 200 currencies") }
                c.currencies = list
            }
            if let n = try traffic.int("customers", in: 1...10_000_000) { c.customers = n }
            try traffic.finish()
        }

        if let invariants = try root.mapping("invariants") {
            if let d = try invariants.duration("stuckPendingAfter", positive: true) { c.stuckPendingAfter = d }
            try invariants.finish()
        }

        if let simulate = try root.mapping("simulate") {
            if let d = try simulate.duration("duration") { c.simulateDuration = d }
            if let d = try simulate.duration("drainDeadline") { c.drainDeadline = d }
            try simulate.finish()
        }

        try root.finish()
    }
}

extension OrderflowConfig {
    /// `bus.brokers`, `replicationFactor`, `minInsyncReplicas`, `uncleanLeaderElection`,
    /// `replicaLagTime`, `replicaFetchInterval`, `brokerSessionTimeout`, `uncleanElectionInterval`
    /// and `eligibleLeaderReplicas`. As Kafka refuses a topic whose replication
    /// factor exceeds the brokers (InvalidReplicationFactorException), so does the config.
    static func applyCluster(_ bus: YAMLMapping, to c: inout OrderflowConfig) throws(InputError) {
        var cluster = c.cluster
        if let n = try bus.int("brokers", in: 1...9) { cluster.brokers = n }
        if let rf = try bus.int("replicationFactor", in: 1...9) {
            guard rf <= cluster.brokers else {
                throw bus.error(
                    "replicationFactor", "replication factor \(rf) is larger than the \(cluster.brokers) broker(s)")
            }
            cluster.replicationFactor = rf
        }
        if let n = try bus.int("minInsyncReplicas", in: 1...9) { cluster.minInsyncReplicas = n }
        if let unclean = try bus.bool("uncleanLeaderElection") { cluster.uncleanLeaderElection = unclean }
        if let d = try bus.duration("replicaLagTime", positive: true) { cluster.replicaLagTime = d }
        if let d = try bus.duration("replicaFetchInterval", positive: true) { cluster.replicaFetchInterval = d }
        // Zero fences a crashed broker at once, as orderflow did before it knew sessions.
        if let d = try bus.duration("brokerSessionTimeout") { cluster.brokerSessionTimeout = d }
        if let d = try bus.duration("uncleanElectionInterval", positive: true) { cluster.uncleanElectionInterval = d }
        if let on = try bus.bool("eligibleLeaderReplicas") { cluster.eligibleLeaderReplicas = on }
        cluster.replicationFactor = min(cluster.replicationFactor, cluster.brokers)
        c.cluster = cluster
    }
}

extension OrderflowConfig {
    /// `producer.acks`, `retries`, `retryBackoff`, `retryBackoffMax`, `deliveryTimeout`, `requestTimeout`
    /// and `enableIdempotence`.
    static func applyProducer(_ producer: YAMLMapping, to c: inout OrderflowConfig) throws(InputError) {
        var p = c.producer
        if let acks = try producer.choice("acks", Acks.self) { p.acks = acks }
        if let n = try producer.int("retries", in: 0...Int(Int32.max)) { p.retries = n }
        if let d = try producer.duration("retryBackoff", positive: true) { p.retryBackoff = d }
        if let d = try producer.duration("retryBackoffMax", positive: true) { p.retryBackoffMax = d }
        if let d = try producer.duration("deliveryTimeout", positive: true) { p.deliveryTimeout = d }
        if let d = try producer.duration("requestTimeout", positive: true) { p.requestTimeout = d }
        if let on = try producer.bool("enableIdempotence") { p.enableIdempotence = on }
        try producer.finish()
        if let conflict = p.idempotenceConflict { throw producer.error("enableIdempotence", conflict) }
        if let conflict = p.deliveryTimeoutConflict { throw producer.error("deliveryTimeout", conflict) }
        c.producer = p
    }
}
