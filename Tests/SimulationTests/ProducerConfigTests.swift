import KafkaClient
import Simulation
import Testing

/// The producer's settings as `KafkaProducer` reads them: what the config file may set, and
/// what the producer then runs.
@Suite struct ProducerConfigTests {
    /// Kafka's `KafkaProducerTest.testAcksAndIdempotenceForIdempotentProducers` and
    /// `testRetriesAndIdempotenceForIdempotentProducers`: left unset, idempotence turns itself off
    /// for acks 0 or 1 and for retries 0; set to false it is off; set to true beside either, the
    /// config is refused with Kafka's message, naming the key.
    @Test func idempotenceFollowsAcksAndRetriesAsKafkaProducerDecides() throws {
        func producer(_ yaml: String) throws -> ProducerConfig {
            try OrderflowConfig.parse("producer:\n" + yaml, file: "p.yaml").producer
        }
        #expect(try !producer("  acks: \"0\"\n  enableIdempotence: false\n").isIdempotent)
        #expect(try producer("  acks: all\n").isIdempotent, "the default")
        #expect(try !producer("  acks: all\n  enableIdempotence: false\n").isIdempotent)
        #expect(try !producer("  acks: \"0\"\n").isIdempotent, "unset: off for acks 0")
        #expect(try !producer("  acks: \"1\"\n").isIdempotent, "unset: off for acks 1")
        #expect(try !producer("  retries: 0\n").isIdempotent, "unset: off for retries 0")
        #expect(throws: InputError.self) { try producer("  acks: \"1\"\n  enableIdempotence: true\n") }
        do {
            _ = try producer("  retries: 0\n  enableIdempotence: true\n")
            Issue.record("retries 0 with enable.idempotence true is refused")
        } catch let error as InputError {
            #expect(
                error.description
                    == "p.yaml:3: producer.enableIdempotence: Must set retries to non-zero when using the idempotent producer."
            )
        }
    }

    /// `KafkaProducer.configureDeliveryTimeout`: `delivery.timeout.ms` shorter than `linger.ms`
    /// (0 here) plus `request.timeout.ms` is a ConfigException, named by its key.
    @Test func deliveryTimeoutIsAtLeastTheRequestTimeout() throws {
        let ok = try OrderflowConfig.parse("producer:\n  deliveryTimeout: 10s\n  requestTimeout: 10s\n", file: "p.yaml")
        #expect(ok.producer.requestTimeout == .seconds(10))
        do {
            _ = try OrderflowConfig.parse("producer:\n  deliveryTimeout: 10s\n", file: "p.yaml")
            Issue.record("10s is shorter than the default request.timeout.ms, 30s")
        } catch let error as InputError {
            #expect(
                error.description
                    == "p.yaml:2: producer.deliveryTimeout: delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms"
            )
        }
    }
}
