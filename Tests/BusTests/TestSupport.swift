import Bus

func ms(_ v: Int64) -> VirtualTime { VirtualTime(milliseconds: v) }

extension Cluster {
    /// Appends `count` records with distinct keys to exactly `partition` of `topic`.
    func fill(_ topic: String, partition: Int, count: Int, at time: VirtualTime = .zero) {
        var written = 0
        var n = 0
        let headers = RecordHeaders(eventType: "Test", eventId: "e", correlationId: "c")
        let partitions = partitionCount(of: topic)
        while written < count {
            let key = Array("key-\(n)".utf8)
            n += 1
            guard KafkaPartitioner.partition(forKey: key, partitionCount: partitions) == partition else { continue }
            _ = try! produce(topic: topic, key: key, value: [], headers: headers, timestamp: time, acks: .leader)
            written += 1
        }
    }

    /// An acks=1 produce, and where the record went (a test's shorthand).
    @discardableResult
    func append(
        topic: String, key: [UInt8], value: [UInt8], headers: RecordHeaders, timestamp: VirtualTime
    ) throws(BrokerError) -> RecordMetadata {
        try produce(topic: topic, key: key, value: value, headers: headers, timestamp: timestamp, acks: .leader)
            .metadata
    }
}

extension GroupCoordinator {
    func member(_ id: String) -> MemberIdentity { MemberIdentity(memberId: id, clientId: id) }

    /// Polls until the member gets records or the group is not rebalancing any more.
    func pollAll(_ group: String, _ member: String, at time: VirtualTime, max: Int = 1000) -> PollResult {
        poll(group: group, memberId: member, maxRecords: max, now: time)
    }
}
