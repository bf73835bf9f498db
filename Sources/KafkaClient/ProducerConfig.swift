import Bus

/// The services' producer settings, with Kafka's defaults (3.0 and later).
package struct ProducerConfig: Hashable, Sendable {
    /// `acks`: Kafka's default since 3.0 is all.
    package var acks: Acks
    /// `retries`: Kafka's default is 2147483647, so `delivery.timeout.ms` is what bounds retrying.
    package var retries: Int
    /// `retry.backoff.ms`: Kafka's default 100 ms.
    package var retryBackoff: VirtualDuration
    /// `delivery.timeout.ms`: Kafka's default 120 s, from the send to its answer, retries included.
    package var deliveryTimeout: VirtualDuration
    /// `request.timeout.ms`: Kafka's default 30 s, how long one attempt waits for the cluster's
    /// answer (an `acks=all` send whose in-sync replicas never catch up ends with
    /// REQUEST_TIMED_OUT, and is retried).
    package var requestTimeout: VirtualDuration
    /// `enable.idempotence` as the config sets it; nil leaves it to Kafka's default (true since
    /// 3.0), which `acks` and `retries` may turn off (`isIdempotent`). Off, a retry after
    /// NotEnoughReplicasAfterAppend appends the record a second time.
    package var enableIdempotence: Bool?

    package init(
        acks: Acks = .all, retries: Int = 2_147_483_647, retryBackoff: VirtualDuration = .milliseconds(100),
        deliveryTimeout: VirtualDuration = .seconds(120), requestTimeout: VirtualDuration = .seconds(30),
        enableIdempotence: Bool? = nil
    ) {
        self.acks = acks
        self.retries = max(0, retries)
        self.retryBackoff = max(.milliseconds(1), retryBackoff)
        self.deliveryTimeout = max(.milliseconds(1), deliveryTimeout)
        self.requestTimeout = max(.milliseconds(1), requestTimeout)
        self.enableIdempotence = enableIdempotence
    }

    /// Whether the producer runs idempotent, by `KafkaProducer`'s rule
    /// (`ProducerConfig.postProcessAndValidateIdempotenceConfigs`): on unless turned off, and off
    /// whenever `acks` is not all or `retries` is 0 — silently when the config left it unset
    /// ("Idempotence will be disabled because acks is set to 1"), a config error when it asked for
    /// it (`idempotenceConflict`). The dashboard's acks switch shows what a producer with the new
    /// acks would run.
    package var isIdempotent: Bool { (enableIdempotence ?? true) && acks == .all && retries > 0 }

    /// Kafka's ConfigException for a `delivery.timeout.ms` shorter than `linger.ms` (0 here: every
    /// send goes at once) plus `request.timeout.ms` (`KafkaProducer.configureDeliveryTimeout`).
    package var deliveryTimeoutConflict: String? {
        deliveryTimeout >= requestTimeout
            ? nil : "delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms"
    }

    /// Kafka's ConfigException for `enable.idempotence` set to true beside settings it cannot
    /// work with; nil when there is none.
    package var idempotenceConflict: String? {
        guard enableIdempotence == true else { return nil }
        if retries == 0 { return "Must set retries to non-zero when using the idempotent producer." }
        if acks != .all {
            return
                "Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence."
        }
        return nil
    }
}
