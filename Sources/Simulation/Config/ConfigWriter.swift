import Bus
import Events
import Services

extension OrderflowConfig {
    /// The config as the YAML `ConfigLoader` reads, every key spelled out (an unset
    /// `producer.enableIdempotence` stays unset): what a recorded session carries, so its replay
    /// runs with the same settings whatever the config file says by then. `load(yaml)` is `self`.
    package func yamlLines(indent: String = "") -> [String] {
        func d(_ duration: VirtualDuration) -> String { duration.description }
        var lines = ["seed: \(seed)"]
        lines += [
            "flow:", "  design: \(flow.design.rawValue)", "  publish: \(flow.publish.rawValue)",
            "  idempotency: \(flow.idempotency.rawValue)",
        ]
        lines += [
            "outbox:", "  relayInterval: \(d(outboxRelayInterval))", "  relayBatch: \(outboxRelayBatch)",
            "  relayRestartDelay: \(d(outboxRelayRestartDelay))",
        ]
        lines += ["bus:", "  retention: \(retention)", "  topics:"]
        lines += topics.map { "    \($0.name): \($0.partitions)" }
        let k = cluster
        lines += [
            "  brokers: \(k.brokers)", "  replicationFactor: \(k.replicationFactor)",
            "  minInsyncReplicas: \(k.minInsyncReplicas)", "  uncleanLeaderElection: \(k.uncleanLeaderElection)",
            "  replicaLagTime: \(d(k.replicaLagTime))", "  replicaFetchInterval: \(d(k.replicaFetchInterval))",
            "  brokerSessionTimeout: \(d(k.brokerSessionTimeout))",
            "  uncleanElectionInterval: \(d(k.uncleanElectionInterval))",
            "  eligibleLeaderReplicas: \(k.eligibleLeaderReplicas)",
            "  groupConsumerHeartbeatInterval: \(d(consumerHeartbeatInterval))",
            "  groupConsumerSessionTimeout: \(d(consumerSessionTimeout))",
        ]
        let p = producer
        lines += [
            "producer:", "  acks: \(p.acks.rawValue)", "  retries: \(p.retries)",
            "  retryBackoff: \(d(p.retryBackoff))",
            "  retryBackoffMax: \(d(p.retryBackoffMax))", "  deliveryTimeout: \(d(p.deliveryTimeout))",
            "  requestTimeout: \(d(p.requestTimeout))",
        ]
        if let on = p.enableIdempotence { lines.append("  enableIdempotence: \(on)") }
        lines += [
            "consumers:", "  sessionTimeout: \(d(sessionTimeout))", "  rebalanceTime: \(d(rebalanceTime))",
            "  assignor: \(assignor.kafkaName)", "  autoOffsetReset: \(autoOffsetReset.rawValue)",
            "  pollInterval: \(d(pollInterval))", "  maxPollRecords: \(maxPollRecords)",
            "  maxPollInterval: \(d(maxPollInterval))", "  commit: \(commit.rawValue)",
            "  autoCommitInterval: \(d(autoCommitInterval))", "  retryBackoff: \(d(retryBackoff))",
            "  deadLetter: \(deadLetter ? "on" : "off")", "  retries: \(retries)",
            "  groupProtocol: \(groupProtocol.rawValue)", "  groupRemoteAssignor: \(remoteAssignor.rawValue)",
            "  groupInstanceId: \(groupInstanceIds.rawValue)",
        ]
        lines.append("services:")
        for service in ServiceName.allCases {
            lines += ["  \(service.rawValue):", "    instances: \(instances(of: service))"]
            if service != .payment { lines.append("    processingTime: \(d(processingTime(of: service)))") }
            if service == .order { lines.append("    crashDowntime: \(d(orderServiceCrashDowntime))") }
            if service == .payment { lines.append("    restartAfterCrash: \(d(paymentRestartAfterCrash))") }
        }
        lines += [
            "provider:", "  latency:", "    min: \(d(providerLatencyMin))", "    max: \(d(providerLatencyMax))",
            "  failureRate: \(providerFailureRate)", "  limitCents: \(providerLimitCents.map(String.init) ?? "none")",
        ]
        lines += [
            "traffic:", "  auto: \(trafficAuto)", "  rate: \(trafficRate)", "  amountCents:",
            "    min: \(amountCentsMin)", "    max: \(amountCentsMax)",
            "  currencies: [\(currencies.joined(separator: ", "))]", "  customers: \(customers)",
        ]
        lines += ["invariants:", "  stuckPendingAfter: \(d(stuckPendingAfter))"]
        lines += ["simulate:", "  duration: \(d(simulateDuration))", "  drainDeadline: \(d(drainDeadline))"]
        return lines.map { indent + $0 }
    }
}
