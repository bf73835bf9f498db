/// A topic and one of its partitions: the unit of ordering, assignment and committed offsets.
public struct TopicPartition: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var topic: String
    public var partition: Int

    public init(_ topic: String, _ partition: Int) {
        self.topic = topic
        self.partition = partition
    }

    public static func < (a: TopicPartition, b: TopicPartition) -> Bool {
        (a.topic, a.partition) < (b.topic, b.partition)
    }

    public var description: String { "\(topic)-\(partition)" }
}

/// The headers every orderflow record carries. Kafka headers are free-form; these three are
/// the ones the services and the dashboard rely on.
public struct RecordHeaders: Hashable, Sendable {
    public var eventType: String
    public var eventId: String
    /// The order id: one id follows an order through every topic and service.
    public var correlationId: String

    public init(eventType: String, eventId: String, correlationId: String) {
        self.eventType = eventType
        self.eventId = eventId
        self.correlationId = correlationId
    }
}

/// One entry of a partition's log: a view of its bytes in the log's chunk (see `RecordChunk`),
/// so a copy costs one reference, not six. Key, value and headers are read from the chunk when
/// asked for; the log drops the chunk's memory once retention passed it and no view is left.
public struct Record: Sendable {
    public let topic: String
    public let partition: Int
    public let offset: Int64
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
    public init(
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
                timestamp: timestamp)
        self.init(topic: topic, partition: partition, offset: offset, chunk: chunk, slot: slot)
    }

    public var timestamp: VirtualTime { slot.timestamp }
    public var key: [UInt8] { chunk.array(slot.keyRange) }
    public var value: [UInt8] { chunk.array(slot.valueRange) }
    public var headers: RecordHeaders {
        RecordHeaders(
            eventType: eventType, eventId: chunk.string(slot.eventIdRange),
            correlationId: chunk.string(slot.correlationIdRange))
    }
    /// The eventType header alone, without building the others.
    public var eventType: String { chunk.string(slot.eventTypeRange) }
    public var keyString: String { chunk.string(slot.keyRange) }
    /// Whether the key is these bytes, without copying it.
    public func hasKey(_ key: [UInt8]) -> Bool { chunk.equals(slot.keyRange, key) }

    public var topicPartition: TopicPartition { TopicPartition(topic, partition) }
}

/// What a successful send tells the producer: where the record landed, and nothing about
/// what any consumer will do with it.
public struct RecordMetadata: Hashable, Sendable {
    public var topic: String
    public var partition: Int
    public var offset: Int64

    public init(topic: String, partition: Int, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }
}
