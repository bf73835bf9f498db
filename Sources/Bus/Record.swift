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

/// One entry of a partition's log.
public struct Record: Sendable {
    public var topic: String
    public var partition: Int
    public var offset: Int64
    public var timestamp: VirtualTime
    public var key: [UInt8]
    public var value: [UInt8]
    public var headers: RecordHeaders

    public init(
        topic: String, partition: Int, offset: Int64, timestamp: VirtualTime,
        key: [UInt8], value: [UInt8], headers: RecordHeaders
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
        self.key = key
        self.value = value
        self.headers = headers
    }

    public var topicPartition: TopicPartition { TopicPartition(topic, partition) }
    public var keyString: String { String(decoding: key, as: UTF8.self) }
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
