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
    /// `enable.idempotence`: Kafka's default true since 3.0. Off, a retry after
    /// NotEnoughReplicasAfterAppend appends the record a second time.
    package var enableIdempotence: Bool

    package init(
        acks: Acks = .all, retries: Int = 2_147_483_647, retryBackoff: VirtualDuration = .milliseconds(100),
        deliveryTimeout: VirtualDuration = .seconds(120), enableIdempotence: Bool = true
    ) {
        self.acks = acks
        self.retries = max(0, retries)
        self.retryBackoff = max(.milliseconds(1), retryBackoff)
        self.deliveryTimeout = max(.milliseconds(1), deliveryTimeout)
        self.enableIdempotence = enableIdempotence
    }
}
