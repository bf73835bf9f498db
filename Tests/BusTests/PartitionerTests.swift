import Bus
import Testing

@Suite struct PartitionerTests {
    @Test(
        "murmur2 matches Kafka's and librdkafka's test vectors",
        arguments: [
            ("21", Int32(-973_932_308)),
            ("foobar", Int32(-790_332_482)),
            ("a-little-bit-long-string", Int32(-985_981_536)),
            ("abc", Int32(479_470_107)),
            ("kafka", Int32(bitPattern: 0xd067_cf64)),
            ("1234", Int32(bitPattern: 0x9fc9_7b14)),
            ("", Int32(bitPattern: 0x106e_08d9)),
        ])
    func murmur2Vectors(key: String, expected: Int32) {
        #expect(KafkaPartitioner.murmur2(Array(key.utf8)) == expected)
    }

    @Test(
        "keys map to the partitions a Java producer picks with 3 partitions",
        arguments: [
            ("order-1", 1), ("order-2", 0), ("order-3", 0), ("order-42", 0),
        ])
    func keyToPartition(key: String, partition: Int) {
        #expect(KafkaPartitioner.partition(forKey: Array(key.utf8), partitionCount: 3) == partition)
    }

    @Test func partitionMasksTheSignBitInsteadOfTakingAbs() {
        // "21" hashes negative: abs would give 973932308 % 7 = 0, masking gives 1173551340 % 7 = 6.
        let h = KafkaPartitioner.murmur2(Array("21".utf8))
        #expect(h < 0)
        #expect(
            KafkaPartitioner.partition(forKey: Array("21".utf8), partitionCount: 7)
                == Int((UInt32(bitPattern: h) & 0x7fff_ffff) % 7))
        #expect(KafkaPartitioner.partition(forKey: Array("21".utf8), partitionCount: 7) != Int(abs(Int64(h)) % 7))
    }

    @Test func sendPlacesKeyedRecordsOnTheHashedPartitionWithConsecutiveOffsets() throws {
        let cluster = GroupCoordinator(
            cluster: Cluster(topics: [TopicConfig(name: "order.created", partitions: 3)], retention: 100))
        let headers = RecordHeaders(eventType: "OrderCreated", eventId: "e", correlationId: "c")
        let first = try cluster.cluster.append(
            topic: "order.created", key: Array("order-1".utf8), value: [1], headers: headers, timestamp: .zero)
        let second = try cluster.cluster.append(
            topic: "order.created", key: Array("order-1".utf8), value: [2], headers: headers, timestamp: .zero)
        let other = try cluster.cluster.append(
            topic: "order.created", key: Array("order-2".utf8), value: [3], headers: headers, timestamp: .zero)
        #expect(first == RecordMetadata(topic: "order.created", partition: 1, offset: 0))
        #expect(second == RecordMetadata(topic: "order.created", partition: 1, offset: 1))
        #expect(other == RecordMetadata(topic: "order.created", partition: 0, offset: 0))
        #expect(cluster.cluster.logEndOffset(TopicPartition("order.created", 1)) == 2)
    }

    @Test func rejectedSendsThrowAndLeaveTheLogUntouched() throws {
        let cluster = GroupCoordinator(
            cluster: Cluster(topics: [TopicConfig(name: "t", partitions: 1)], retention: 100))
        let headers = RecordHeaders(eventType: "x", eventId: "e", correlationId: "c")
        cluster.cluster.rejectNextSends(2)
        #expect(throws: BrokerError.rejected(topic: "t")) {
            try cluster.cluster.append(topic: "t", key: [1], value: [], headers: headers, timestamp: .zero)
        }
        #expect(throws: BrokerError.rejected(topic: "t")) {
            try cluster.cluster.append(topic: "t", key: [1], value: [], headers: headers, timestamp: .zero)
        }
        #expect(
            try cluster.cluster.append(topic: "t", key: [1], value: [], headers: headers, timestamp: .zero).offset == 0)
    }
}
