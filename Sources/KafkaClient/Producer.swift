import Bus

/// A service's Kafka producer: it sends with its `acks`, retries what the cluster refuses with a
/// retriable error until `retries` or `delivery.timeout.ms` runs out, and answers each send once.
///
/// The services used to append and be done; with a cluster a send can wait (acks=all), wait in
/// the producer for a leader (an offline partition, a crashed leader not fenced yet), be refused
/// (NotEnoughReplicas) or time out after its append (REQUEST_TIMED_OUT, where Kafka up to 3.6
/// answered NotEnoughReplicasAfterAppend). What the service does with that answer is the lesson: `send`
/// returns it when the broker knows it at once (always so with one broker), and otherwise the
/// send's `later` closure gets it. Retries and timeouts run on the virtual
/// clock: the simulation asks for `nextDeadline()` and calls `advance(to:)`, as with the broker.
package final class Producer {
    package typealias Completion = (Outcome, VirtualTime) -> Void

    package enum Outcome: Equatable, Sendable {
        /// The cluster has the record as `acks` asked (for acks=0: the leader took it).
        case acknowledged(RecordMetadata)
        /// The producer gave up: a non-retriable error, `retries` used up, or `delivery.timeout.ms`
        /// passed. The record may still be in the log (after a request timed out).
        case failed(SendFailure)
    }

    /// Why a send failed, by the exception's name in Kafka's client (`TimeoutException` when
    /// `delivery.timeout.ms` ran out, with the last error the cluster gave).
    package struct SendFailure: Error, Equatable, Sendable, CustomStringConvertible {
        package var name: String
        package var detail: String
        package var description: String { detail }
    }

    private struct Send {
        var topic: String
        var key: [UInt8]
        var value: [UInt8]
        var headers: RecordHeaders
        var deadline: VirtualTime
        var attempts = 0
        /// Where the leader appended it, for an idempotent retry.
        var appendedAt: Int64?
        var lastError: BrokerError?
        var retryAt: VirtualTime?
        /// How many times it found no leader to send to: it waits in the accumulator, and
        /// looks again after a growing backoff (not an attempt: nothing was sent).
        var waits = 0
        var later: Completion
    }

    package let clientId: String
    /// Read at each attempt: a change (the dashboard's acks switch) applies to the next send.
    package var config: ProducerConfig
    private let cluster: Cluster
    private var sends: [Int: Send] = [:]
    private var nextId = 0
    package private(set) var stats = ProducerStats()
    /// The send being made, and its answer if `finish` gives it before `send` returns.
    private var answeredAtOnce: (id: Int, outcome: Outcome?)?
    /// Called with the first error of a send it retries and with a send's failure, as Kafka's
    /// producer logs a retry's warning and a failed send's error (the Events pane shows them).
    package var onError: ((ProducerErrorEvent) -> Void)?

    package init(clientId: String, cluster: Cluster, config: ProducerConfig) {
        self.clientId = clientId
        self.cluster = cluster
        self.config = config
    }

    /// Sends not answered yet.
    package var inFlight: Int { sends.count }

    /// Sends the record. An answer known at once is returned, and `later` is never called;
    /// otherwise `send` returns nil and `later` runs exactly once, with the answer and its
    /// virtual time.
    @discardableResult
    package func send(
        topic: String, key: [UInt8], value: [UInt8], headers: RecordHeaders, now: VirtualTime,
        later: @escaping Completion
    ) -> Outcome? {
        nextId += 1
        stats.sent += 1
        sends[nextId] = Send(
            topic: topic, key: key, value: value, headers: headers, deadline: now + config.deliveryTimeout,
            later: later)
        answeredAtOnce = (nextId, nil)
        defer { answeredAtOnce = nil }
        attempt(nextId, now: now)
        return answeredAtOnce?.outcome
    }

    private func attempt(_ id: Int, now: VirtualTime) {
        guard var send = sends[id] else { return }
        send.attempts += 1
        send.retryAt = nil
        let retryOf = config.isIdempotent ? send.appendedAt : nil
        do {
            let answer: ProduceAnswer = { [weak self] completion, now in self?.answered(id, completion, now: now) }
            switch try cluster.produce(
                topic: send.topic, key: send.key, value: send.value, headers: send.headers, timestamp: now,
                acks: config.acks, retryOf: retryOf, timeout: config.requestTimeout, answer: answer)
            {
            case .acknowledged(let metadata), .unacknowledged(let metadata):
                noteAppend(&send, metadata)
                sends[id] = send
                finish(id, .acknowledged(metadata), now: now)
            case .pending(_, let metadata):
                noteAppend(&send, metadata)
                sends[id] = send
            }
        } catch .noLeader {
            // `RecordAccumulator`: a batch for a partition whose leader is unknown or unreachable
            // stays in the producer; the metadata is fetched again after a backoff. It expires
            // at `delivery.timeout.ms` like any other.
            send.attempts -= 1
            send.waits += 1
            let retryAt = now + config.backoff(afterAttempts: send.waits)
            send.retryAt = retryAt < send.deadline ? retryAt : nil
            sends[id] = send
        } catch {
            sends[id] = send
            failed(id, error, now: now)
        }
    }

    /// A second append of the same record is a duplicate in the log: what a retry without
    /// idempotence writes after a request timed out with the record in the log.
    private func noteAppend(_ send: inout Send, _ metadata: RecordMetadata) {
        if let earlier = send.appendedAt, earlier != metadata.offset { stats.duplicatesWritten += 1 }
        send.appendedAt = metadata.offset
    }

    /// The cluster's later answer to an acks=all send. A send that timed out meanwhile is gone,
    /// and its late answer changes nothing.
    private func answered(_ id: Int, _ answer: ProduceCompletion, now: VirtualTime) {
        guard sends[id] != nil else { return }
        if let error = answer.error {
            failed(id, .refused(error), now: now)
        } else {
            finish(id, .acknowledged(answer.metadata), now: now)
        }
    }

    /// A retriable error is tried again after the backoff (`ProducerConfig.backoff`) while retries
    /// and time remain.
    private func failed(_ id: Int, _ error: BrokerError, now: VirtualTime) {
        guard var send = sends[id] else { return }
        let firstError = send.lastError == nil
        send.lastError = error
        let retriable = if case .refused = error { true } else { false }
        let retryAt = now + config.backoff(afterAttempts: send.attempts)
        guard retriable, send.attempts <= config.retries, retryAt < send.deadline else {
            sends[id] = send
            let timedOut = retriable && send.attempts <= config.retries
            finish(id, .failed(timedOut ? timeout(last: error) : failure(error)), now: now)
            return
        }
        if firstError { report(send, failure(error).name, gaveUp: false, now: now) }
        stats.retries += 1
        send.retryAt = retryAt
        sends[id] = send
    }

    private func failure(_ error: BrokerError) -> SendFailure {
        let name =
            switch error {
            case .refused(let refusal): refusal.name
            case .rejected: "KafkaException"
            case .unknownTopic: "UnknownTopicOrPartition"
            case .noLeader: "TimeoutException"
            }
        return SendFailure(name: name, detail: error.description)
    }

    private func timeout(last error: BrokerError?, waited: Bool = false) -> SendFailure {
        SendFailure(
            name: "TimeoutException",
            detail: "delivery.timeout.ms (\(config.deliveryTimeout)) passed"
                + (error.map { "; last error \($0.description)" }
                    ?? (waited ? " with no leader to send to" : " waiting for the in-sync replicas")))
    }

    private func finish(_ id: Int, _ outcome: Outcome, now: VirtualTime) {
        guard let send = sends.removeValue(forKey: id) else { return }
        switch outcome {
        case .acknowledged: stats.acknowledged += 1
        case .failed(let failure):
            stats.failed[failure.name, default: 0] += 1
            report(send, failure.name, gaveUp: true, now: now)
        }
        if answeredAtOnce?.id == id {
            answeredAtOnce?.outcome = outcome
        } else {
            send.later(outcome, now)
        }
    }

    private func report(_ send: Send, _ name: String, gaveUp: Bool, now: VirtualTime) {
        guard let onError else { return }
        let partition = KafkaPartitioner.partition(
            forKey: send.key, partitionCount: cluster.partitionCount(of: send.topic))
        onError(
            ProducerErrorEvent(
                time: now, clientId: clientId, topic: send.topic, partition: partition,
                key: String(decoding: send.key, as: UTF8.self), error: name, gaveUp: gaveUp))
    }

    /// Sends that met an error and are being tried again (or wait for the answer to a retry).
    package var retrying: Int { sends.values.filter { $0.lastError != nil }.count }

    /// Sends that never left the producer: their partition has no leader that serves.
    package var waitingForLeader: Int {
        sends.values.filter { $0.waits > 0 && $0.appendedAt == nil && $0.lastError == nil }.count
    }

    /// The earliest retry or delivery timeout due.
    package func nextDeadline() -> VirtualTime? {
        sends.values.lazy.map { $0.retryAt ?? $0.deadline }.min()
    }

    /// Runs the retries due and fails the sends whose delivery timeout passed, in id order.
    package func advance(to now: VirtualTime) {
        guard !sends.isEmpty else { return }
        for id in sends.keys.sorted() {
            guard let send = sends[id] else { continue }
            if let retryAt = send.retryAt, retryAt <= now {
                attempt(id, now: now)
            } else if send.deadline <= now {
                finish(id, .failed(timeout(last: send.lastError, waited: send.waits > 0)), now: now)
            }
        }
    }
}

/// A send's first error, or its failure: what the Events pane lists as it happens.
package struct ProducerErrorEvent: Hashable, Sendable {
    package var time: VirtualTime
    package var clientId: String
    package var topic: String
    package var partition: Int
    package var key: String
    /// Kafka's name: NotEnoughReplicas, NotLeaderOrFollower, TimeoutException …
    package var error: String
    /// The producer gave up: the service got this error.
    package var gaveUp: Bool

    package init(
        time: VirtualTime, clientId: String, topic: String, partition: Int, key: String, error: String, gaveUp: Bool
    ) {
        self.time = time
        self.clientId = clientId
        self.topic = topic
        self.partition = partition
        self.key = key
        self.error = error
        self.gaveUp = gaveUp
    }
}

/// A producer's counts since the start, as the Services pane and the report show them.
package struct ProducerStats: Hashable, Sendable {
    package var sent = 0
    package var acknowledged = 0
    package var retries = 0
    /// Sends given up, by the name of the exception the service saw.
    package var failed: [String: Int] = [:]
    /// Records written twice by a retry without idempotence.
    package var duplicatesWritten = 0
}
