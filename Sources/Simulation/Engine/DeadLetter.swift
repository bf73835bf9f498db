import Bus
import Events
import KafkaClient
import Services

/// What the dead-letter topics have seen: records each service's listener sent there (counted
/// once the DLT acknowledged them), and what redrives sent back.
package struct DeadLetterCounts: Equatable, Sendable {
    package var byService: [ServiceName: Int] = [:]
    package var redriven = 0

    package init() {}

    package var total: Int { byService.values.reduce(0, +) }
}

/// Spring Kafka's names for the headers its DeadLetterPublishingRecoverer adds
/// (`KafkaHeaders.DLT_*`). Spring writes the partition, offset and timestamp as big-endian
/// binary numbers; orderflow writes their digits, so the record view can show them as text.
package enum DeadLetterHeader {
    package static let originalTopic = "kafka_dlt-original-topic"
    package static let originalPartition = "kafka_dlt-original-partition"
    package static let originalOffset = "kafka_dlt-original-offset"
    package static let originalTimestamp = "kafka_dlt-original-timestamp"
    package static let originalConsumerGroup = "kafka_dlt-original-consumer-group"
    package static let exceptionFqcn = "kafka_dlt-exception-fqcn"
    package static let exceptionCauseFqcn = "kafka_dlt-exception-cause-fqcn"
    package static let exceptionMessage = "kafka_dlt-exception-message"

    /// What Spring's listener container wraps every exception a listener throws in.
    package static let listenerFailed = "org.springframework.kafka.listener.ListenerExecutionFailedException"
    /// What Spring's ErrorHandlingDeserializer reports for bytes that are no event.
    package static let deserialization = "org.springframework.kafka.support.serializer.DeserializationException"

    /// The exception's class, as Spring would name it for a poison record, else orderflow's own error.
    static func cause(of error: any Error) -> String {
        switch error {
        case is PoisonRecord: deserialization
        case ProcessingError.providerRefused: "ProcessingError.providerRefused"
        case ProcessingError.publishFailed: "ProcessingError.publishFailed"
        case ProcessingError.database: "ProcessingError.database"
        default: String(describing: type(of: error))
        }
    }
}

/// Spring Kafka's DefaultErrorHandler with a DeadLetterPublishingRecoverer, as the article's
/// listeners would run it (`consumers.deadLetter`): a record that failed is read again
/// `consumers.retries` times, `retryBackoff` apart; then, or at once for a poison record (Spring
/// classifies a DeserializationException as not retryable), it is sent to `<topic>.DLT` with its
/// key, value and headers and the `kafka_dlt-*` headers, and the listener commits past it.
extension Simulation {
    /// Whether the failed record in hand goes to its dead-letter topic now (else it is read again).
    func givesUp(_ instance: ConsumerInstance, on record: Record, after error: any Error) -> Bool {
        guard config.deadLetter else { return false }
        if error is PoisonRecord { return true }
        return instance.failed(record) > config.retries
    }

    /// Sends the record in hand to its dead-letter topic through the service's producer and,
    /// once the DLT acknowledged it, goes on past it. The recoverer waits for that answer; a send
    /// that fails leaves the record to be read again (and dead-lettered again).
    func deadLetter(_ i: Int, _ record: Record, _ error: any Error) {
        let instance = instances[i]
        guard let producer = deadLetterProducer(instance.service) else { return seekBack(i) }
        var headers = record.headers
        headers.extra =
            record.headers.extra.filter { !$0.name.hasPrefix("kafka_dlt-") } + [
                RecordHeader(DeadLetterHeader.originalTopic, record.topic),
                RecordHeader(DeadLetterHeader.originalPartition, String(record.partition)),
                RecordHeader(DeadLetterHeader.originalOffset, String(record.offset)),
                RecordHeader(DeadLetterHeader.originalTimestamp, String(record.timestamp.milliseconds)),
                RecordHeader(DeadLetterHeader.originalConsumerGroup, instance.group),
                RecordHeader(DeadLetterHeader.exceptionFqcn, DeadLetterHeader.listenerFailed),
                RecordHeader(DeadLetterHeader.exceptionCauseFqcn, DeadLetterHeader.cause(of: error)),
                RecordHeader(DeadLetterHeader.exceptionMessage, String(describing: error)),
            ]
        let incarnation = instance.incarnation
        let atOnce = producer.send(
            topic: Topic.deadLetter(of: record.topic), key: record.key, value: record.value, headers: headers, now: now
        ) { [unowned self] outcome, _ in
            guard instances[i].incarnation == incarnation, instances[i].inFlight?.offset == record.offset,
                instances[i].inFlight?.topicPartition == record.topicPartition
            else { return }
            deadLettered(i, record, outcome)
        }
        if let atOnce { deadLettered(i, record, atOnce) }
    }

    private func deadLettered(_ i: Int, _ record: Record, _ outcome: Producer.Outcome) {
        let instance = instances[i]
        switch outcome {
        case .acknowledged(let metadata):
            deadLetters.byService[instance.service, default: 0] += 1
            deadLetteredKeys.insert(record.keyString)
            logger.error(
                "\(instance.clientId) sent \(record.topicPartition)@\(record.offset) to \(metadata.topicPartition)@\(metadata.offset)"
            )
            processed(record, by: instance)
            nextRecord(i)
        case .failed(let failure):
            logger.error(
                "\(instance.clientId) could not dead-letter \(record.topicPartition)@\(record.offset): \(failure)")
            seekBack(i)
        }
    }

    /// Orders still PENDING_PAYMENT with a record in a dead-letter topic (the sweep's
    /// `deadLettered`, kept live): of the keys dead-lettered so far, the order ids still pending.
    func deadLetteredOrdersWaiting() -> Int {
        deadLetteredKeys.filter { id in (try? orderService.order(id))??.status == .pendingPayment }.count
    }

    /// Who sends a service's dead-letter records: its own producer (notification-service gets one with the DLTs).
    private func deadLetterProducer(_ service: ServiceName) -> Producer? {
        switch service {
        case .order: orderProducer
        case .payment: paymentProducer
        case .notification: notificationProducer
        }
    }

    /// Sends what the dead-letter topics hold and no redrive sent yet back to the topics they
    /// came from (`kafka_dlt-original-topic`), without the `kafka_dlt-*` headers: what an
    /// operator runs once the cause is fixed. Written as an operator's tool would, with acks=1
    /// (like the repair); a record no leader takes now stays for the next redrive.
    package func redrive() -> ActionOutcome {
        guard config.deadLetter else { return .redriven(nil) }
        var sent = 0
        defer { deadLetters.redriven += sent }
        for topic in config.topics {
            for tp in cluster.partitions(of: Topic.deadLetter(of: topic.name)) {
                var offset = max(redriveCursors[tp] ?? 0, cluster.logStartOffset(tp))
                while true {
                    let batch = cluster.records(tp, from: offset, limit: 1000)
                    guard !batch.isEmpty else { break }
                    for record in batch {
                        var headers = record.headers
                        headers.extra.removeAll { $0.name.hasPrefix("kafka_dlt-") }
                        let source = record.headers[DeadLetterHeader.originalTopic] ?? topic.name
                        do {
                            try cluster.produce(
                                topic: source, key: record.key, value: record.value, headers: headers, timestamp: now,
                                acks: .leader)
                        } catch {
                            logger.warning("redrive stopped at \(tp)@\(record.offset): \(error)")
                            redriveCursors[tp] = record.offset
                            return .redriven(sent)
                        }
                        sent += 1
                        offset = record.offset + 1
                    }
                }
                redriveCursors[tp] = offset
            }
        }
        return .redriven(sent)
    }
}
