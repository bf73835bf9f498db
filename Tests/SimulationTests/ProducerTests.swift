import Bus
import KafkaClient
import Services
import Testing

private func ms(_ v: Int64) -> VirtualTime { VirtualTime(milliseconds: v) }

/// The producer's delivery rules (KafkaProducer's `acks`, `retries`, `delivery.timeout.ms` and
/// `enable.idempotence`) against a three-broker cluster, RF 3, `min.insync.replicas` 2.
@Suite struct ProducerTests {
    let tp = TopicPartition("t", 0)

    func cluster() -> Cluster {
        Cluster(
            topics: [TopicConfig(name: "t", partitions: 1)], retention: 1000,
            config: ClusterConfig(
                brokers: 3, replicationFactor: 3, minInsyncReplicas: 2, replicaLagTime: .seconds(10),
                replicaFetchInterval: .milliseconds(100),
                brokerSessionTimeout: .zero, eligibleLeaderReplicas: false))
    }

    /// A producer wired to the broker as the simulation wires it, and every answer it gives.
    final class Harness {
        let cluster: Cluster
        let producer: Producer
        var answers: [(String, Producer.Outcome, VirtualTime)] = []
        var now = VirtualTime.zero

        init(_ cluster: Cluster, _ config: ProducerConfig) {
            self.cluster = cluster
            producer = Producer(clientId: "test", cluster: cluster, config: config)
        }

        /// An answer known at once comes back from `send`; a later one through the closure.
        func send(_ id: String) {
            let atOnce = producer.send(
                topic: "t", key: Array("k".utf8), value: Array(id.utf8),
                headers: RecordHeaders(eventType: "E", eventId: id, correlationId: "k"), now: now
            ) { [unowned self] outcome, at in answers.append((id, outcome, at)) }
            if let atOnce { answers.append((id, atOnce, now)) }
        }

        /// Runs the clock as the simulation does: broker and producer deadlines in time order.
        func run(to target: VirtualTime) {
            while let next = [cluster.nextDeadline(), producer.nextDeadline()].compactMap({ $0 }).min(), next <= target
            {
                now = next
                cluster.advance(to: now)
                producer.advance(to: now)
            }
            now = target
            cluster.advance(to: now)
            producer.advance(to: now)
        }

        func failure(_ id: String) -> String? {
            answers.first { $0.0 == id }.flatMap { if case .failed(let f) = $0.1 { f.name } else { nil } }
        }
    }

    @Test func acksAllIsAnsweredOnceTheFollowersFetched() {
        let h = Harness(cluster(), ProducerConfig(acks: .all))
        h.send("e1")
        #expect(h.answers.isEmpty && h.producer.inFlight == 1)
        h.run(to: ms(100))
        #expect(h.answers.map(\.0) == ["e1"] && h.answers.first?.2 == ms(100))
        #expect(h.producer.stats.acknowledged == 1 && h.producer.inFlight == 0)
    }

    /// NotEnoughReplicas is retriable: the producer retries with a backoff that doubles from
    /// `retry.backoff.ms` up to `retry.backoff.max.ms` (KIP-580: 100, 200, 400, 800 ms, then 1 s
    /// each) and the send succeeds once a broker returns within `delivery.timeout.ms`.
    @Test func notEnoughReplicasIsRetriedUntilABrokerReturns() {
        let config = ProducerConfig(acks: .all, deliveryTimeout: .seconds(10))
        #expect((1...6).map { config.backoff(afterAttempts: $0).milliseconds } == [100, 200, 400, 800, 1_000, 1_000])
        let h = Harness(cluster(), config)
        h.cluster.killBroker(2, now: .zero)
        h.cluster.killBroker(3, now: .zero)
        h.send("e1")
        h.run(to: ms(2_000))
        // Attempts at 0, 0.1, 0.3, 0.7 and 1.5 s, each refused; the fifth retry is due at 2.5 s.
        #expect(h.answers.isEmpty && h.producer.stats.retries == 5)
        #expect(h.cluster.logEndOffset(tp) == 0, "refused before the append: nothing written")
        h.cluster.restartBroker(2, now: ms(2_000))
        h.run(to: ms(3_000))
        #expect(h.answers.map(\.0) == ["e1"] && h.failure("e1") == nil)
        #expect(h.cluster.logEndOffset(tp) == 1)
    }

    /// `delivery.timeout.ms` bounds the retries: the send fails with TimeoutException.
    @Test func retriesEndWithTimeoutExceptionAfterTheDeliveryTimeout() {
        let h = Harness(cluster(), ProducerConfig(acks: .all, deliveryTimeout: .seconds(10)))
        h.cluster.killBroker(2, now: .zero)
        h.cluster.killBroker(3, now: .zero)
        h.send("e1")
        h.run(to: ms(20_000))
        #expect(h.failure("e1") == "TimeoutException")
        #expect(h.answers.first.map { $0.2 <= ms(10_000) } == true)
        #expect(h.producer.stats.failed == ["TimeoutException": 1] && h.producer.inFlight == 0)
    }

    /// `retries=0`: the first refusal is the answer, by its own name.
    @Test func withoutRetriesTheRefusalIsTheAnswer() {
        let h = Harness(cluster(), ProducerConfig(acks: .all, retries: 0))
        h.cluster.killBroker(2, now: .zero)
        h.cluster.killBroker(3, now: .zero)
        h.send("e1")
        #expect(h.failure("e1") == "NotEnoughReplicas", "answered before send returned")
    }

    /// `RecordAccumulator`: a record for a partition whose leader does not serve (crashed, not
    /// fenced yet) stays in the producer — `acks=0` too — and goes out once a leader serves;
    /// nothing is counted as a broker's error, and no attempt is spent.
    @Test(arguments: [Acks.none, .leader, .all])
    func aRecordWithNoLeaderWaitsInTheProducer(acks: Acks) {
        let h = Harness(sessionCluster(), ProducerConfig(acks: acks, retries: 0, deliveryTimeout: .seconds(30)))
        h.cluster.killBroker(1, now: .zero)
        h.send("e1")
        h.run(to: ms(8_000))
        #expect(h.answers.isEmpty && h.producer.inFlight == 1 && h.cluster.producerErrors.isEmpty)
        h.run(to: ms(10_000))
        #expect(h.failure("e1") == nil && h.answers.count == 1, "written once broker 2 leads")
        #expect(h.cluster.replicaState(tp)?.leader == 2 && h.cluster.logEndOffset(tp) == 1)
    }

    /// With no leader until `delivery.timeout.ms`, the record expires with TimeoutException —
    /// `acks=0` included: no answer from a broker is not success without one.
    @Test(arguments: [Acks.none, .all])
    func aRecordWithNoLeaderExpires(acks: Acks) {
        let h = Harness(sessionCluster(), ProducerConfig(acks: acks, deliveryTimeout: .seconds(5)))
        h.cluster.killBroker(1, now: .zero)
        h.send("e1")
        h.run(to: ms(6_000))
        #expect(h.failure("e1") == "TimeoutException" && h.cluster.logEndOffset(tp) == 0)
        #expect(h.producer.stats.failed == ["TimeoutException": 1] && h.producer.stats.acknowledged == 0)
    }

    /// The cluster with Kafka's 9 s session timeout (the others fence a killed broker at once).
    func sessionCluster() -> Cluster {
        Cluster(
            topics: [TopicConfig(name: "t", partitions: 1)], retention: 1000,
            config: ClusterConfig(brokers: 3, replicationFactor: 3, minInsyncReplicas: 2))
    }

    /// acks=1 is answered after the leader's append, whatever the ISR.
    @Test func acksOneIgnoresMinInsyncReplicas() {
        let h = Harness(cluster(), ProducerConfig(acks: .leader))
        h.cluster.killBroker(2, now: .zero)
        h.cluster.killBroker(3, now: .zero)
        h.send("e1")
        #expect(h.answers.count == 1 && h.failure("e1") == nil)
    }

    /// The ISR shrinks while the send waits: the high watermark stays (strict min ISR) and the
    /// request times out (REQUEST_TIMED_OUT) with the record in the log; the retries meet
    /// NotEnoughReplicas until the ISR recovers. Retried then without idempotence, the record is
    /// written a second time; with idempotence (Kafka's default), the broker recognises the retry
    /// and writes nothing.
    @Test(arguments: [false, true])
    func aRetryAfterARequestTimeoutDuplicatesOnlyWithoutIdempotence(idempotent: Bool) {
        let h = Harness(
            cluster(), ProducerConfig(acks: .all, requestTimeout: .milliseconds(300), enableIdempotence: idempotent))
        h.send("e1")
        h.cluster.killBroker(2, now: .zero)
        h.cluster.killBroker(3, now: .zero)
        h.run(to: ms(400))
        #expect(h.cluster.producerErrors["RequestTimedOut"] == 1)
        #expect(h.cluster.logEndOffset(tp) == 1 && h.answers.isEmpty, "retrying, not answered")
        h.cluster.restartBroker(2, now: ms(500))
        h.run(to: ms(2_000))
        #expect(h.failure("e1") == nil && h.answers.count == 1)
        #expect(h.cluster.logEndOffset(tp) == (idempotent ? 1 : 2))
        #expect(h.producer.stats.duplicatesWritten == (idempotent ? 0 : 1))
    }

    /// The broker's fault injection (`rejectNextSends`) is not retriable: answered at once, as before
    /// brokers existed.
    @Test func aRejectedSendFailsAtOnceWithOneBroker() {
        let cluster = Cluster(topics: [TopicConfig(name: "t", partitions: 1)], retention: 1000)
        let h = Harness(cluster, ProducerConfig())
        cluster.rejectNextSends(1)
        h.send("e1")
        h.send("e2")
        #expect(h.failure("e1") == "KafkaException" && h.failure("e2") == nil)
        #expect(h.producer.stats.retries == 0 && cluster.logEndOffset(tp) == 1)
    }
}
