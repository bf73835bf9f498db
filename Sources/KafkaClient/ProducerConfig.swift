import Bus

/// The services' producer settings, with Kafka's defaults (3.0 and later).
package struct ProducerConfig: Hashable, Sendable {
    /// `acks`: Kafka's default since 3.0 is all.
    package var acks: Acks
    /// `retries`: Kafka's default is 2147483647, so `delivery.timeout.ms` is what bounds retrying.
    package var retries: Int
    /// `retry.backoff.ms`: Kafka's default 100 ms, the first retry's wait.
    package var retryBackoff: VirtualDuration
    /// `retry.backoff.max.ms` (KIP-580, Kafka 3.7): each retry waits twice as long as the one
    /// before, up to this; Kafka's default 1 s.
    package var retryBackoffMax: VirtualDuration
    /// `delivery.timeout.ms`: Kafka's default 120 s, from the send to its answer, retries included.
    package var deliveryTimeout: VirtualDuration
    /// `request.timeout.ms`: Kafka's default 30 s, how long one attempt waits for the cluster's
    /// answer (an `acks=all` send whose in-sync replicas never catch up ends with
    /// REQUEST_TIMED_OUT, and is retried).
    package var requestTimeout: VirtualDuration
    /// `enable.idempotence` as the config sets it; nil leaves it to Kafka's default (true since
    /// 3.0), which `acks` and `retries` may turn off (`isIdempotent`). Off, a retry of a record
    /// already in the log (its request timed out) appends it a second time.
    package var enableIdempotence: Bool?

    package init(
        acks: Acks = .all, retries: Int = 2_147_483_647, retryBackoff: VirtualDuration = .milliseconds(100),
        retryBackoffMax: VirtualDuration = .seconds(1),
        deliveryTimeout: VirtualDuration = .seconds(120), requestTimeout: VirtualDuration = .seconds(30),
        enableIdempotence: Bool? = nil
    ) {
        self.acks = acks
        self.retries = max(0, retries)
        self.retryBackoff = max(.milliseconds(1), retryBackoff)
        self.retryBackoffMax = max(.milliseconds(1), retryBackoffMax)
        self.deliveryTimeout = max(.milliseconds(1), deliveryTimeout)
        self.requestTimeout = max(.milliseconds(1), requestTimeout)
        self.enableIdempotence = enableIdempotence
    }

    /// How long the retry after `attempts` attempts waits (Kafka's `ExponentialBackoff`, KIP-580):
    /// `retry.backoff.ms` doubled for each retry before it, capped at `retry.backoff.max.ms` (a
    /// backoff set above the cap waits the cap). Kafka adds ±20 % of random jitter; orderflow
    /// does not, so a run stays the same run.
    package func backoff(afterAttempts attempts: Int) -> VirtualDuration {
        let cap = retryBackoffMax.milliseconds
        var wait = min(retryBackoff.milliseconds, cap)
        for _ in 1..<max(1, min(attempts, 32)) where wait < cap { wait = min(wait * 2, cap) }
        return .milliseconds(wait)
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
