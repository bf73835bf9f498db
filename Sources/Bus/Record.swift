/// A topic and one of its partitions: the unit of ordering, assignment and committed offsets.
package struct TopicPartition: Hashable, Comparable, Sendable, CustomStringConvertible {
    package var topic: String
    package var partition: Int

    package init(_ topic: String, _ partition: Int) {
        self.topic = topic
        self.partition = partition
    }

    package static func < (a: TopicPartition, b: TopicPartition) -> Bool {
        (a.topic, a.partition) < (b.topic, b.partition)
    }

    package var description: String { "\(topic)-\(partition)" }
}

/// The headers every orderflow record carries, and any others it was sent with. Kafka headers
/// are free-form; the first three are the ones the services and the dashboard rely on, `extra`
/// the rest in the order they were added (a dead-letter record's `kafka_dlt-*`).
package struct RecordHeaders: Hashable, Sendable {
    package var eventType: String
    package var eventId: String
    /// The order id: one id follows an order through every topic and service.
    package var correlationId: String
    package var extra: [RecordHeader]

    package init(eventType: String, eventId: String, correlationId: String, extra: [RecordHeader] = []) {
        self.eventType = eventType
        self.eventId = eventId
        self.correlationId = correlationId
        self.extra = extra
    }

    /// The value of the first extra header of that name.
    package subscript(name: String) -> String? { extra.first { $0.name == name }?.value }
}

/// One header beyond the three every event carries. Kafka's header values are bytes; orderflow
/// keeps text (a number as its decimal digits).
package struct RecordHeader: Hashable, Sendable {
    package var name: String
    package var value: String

    package init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// One entry of a partition's log: a view of its bytes in the log's chunk (see `RecordChunk`),
/// so a copy costs one reference, not six. Key, value and headers are read from the chunk when
/// asked for; the log drops the chunk's memory once retention passed it and no view is left.
package struct Record: Sendable {
    package let topic: String
    package let partition: Int
    package let offset: Int64
    private let chunk: RecordChunk
    private let slot: RecordSlot

    init(topic: String, partition: Int, offset: Int64, chunk: RecordChunk, slot: RecordSlot) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.chunk = chunk
        self.slot = slot
    }

    /// A record outside any log (tests, fixtures): its own one-record chunk.
    package init(
        topic: String, partition: Int, offset: Int64, timestamp: VirtualTime,
        key: [UInt8], value: [UInt8], headers: RecordHeaders
    ) {
        let chunk = RecordChunk(
            firstOffset: offset, records: 1,
            byteCapacity: RecordChunk.size(key: key, value: value, headers: headers))
        // A fresh chunk sized for the record always has room for it.
        let slot =
            chunk.append(key: key, value: value, headers: headers, timestamp: timestamp)
            ?? RecordSlot(
                start: 0, keyCount: 0, valueCount: 0, eventTypeCount: 0, eventIdCount: 0, correlationIdCount: 0,
                extraCount: 0, timestamp: timestamp)
        self.init(topic: topic, partition: partition, offset: offset, chunk: chunk, slot: slot)
    }

    package var timestamp: VirtualTime { slot.timestamp }
    package var key: [UInt8] { chunk.array(slot.keyRange) }
    package var value: [UInt8] { chunk.array(slot.valueRange) }
    package var headers: RecordHeaders {
        RecordHeaders(
            eventType: eventType, eventId: chunk.string(slot.eventIdRange),
            correlationId: chunk.string(slot.correlationIdRange),
            extra: slot.extraCount == 0 ? [] : RecordChunk.decodeExtra(chunk.array(slot.extraRange)))
    }
    /// The eventType header alone, without building the others.
    package var eventType: String { chunk.string(slot.eventTypeRange) }
    package var keyString: String { chunk.string(slot.keyRange) }
    /// Whether the key is these bytes, without copying it.
    package func hasKey(_ key: [UInt8]) -> Bool { chunk.equals(slot.keyRange, key) }

    package var topicPartition: TopicPartition { TopicPartition(topic, partition) }
}

/// Where a record is: what a successful send tells the producer (and nothing about what any
/// consumer will do with it), and what the dashboard's Events pane selects and opens.
package struct RecordMetadata: Hashable, Sendable {
    package var topic: String
    package var partition: Int
    package var offset: Int64

    package var topicPartition: TopicPartition { TopicPartition(topic, partition) }

    package init(topic: String, partition: Int, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }
}
