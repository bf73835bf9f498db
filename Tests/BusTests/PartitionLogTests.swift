import Testing

@testable import Bus

@Suite struct RetentionTests {
    @Test func retentionDropsOldestRecordsAndAdvancesLogStart() {
        let cluster = GroupCoordinator(cluster: Cluster(topics: [TopicConfig(name: "t", partitions: 1)], retention: 5))
        let tp = TopicPartition("t", 0)
        cluster.cluster.fill("t", partition: 0, count: 3)
        #expect(cluster.cluster.logStartOffset(tp) == 0)
        #expect(cluster.cluster.logEndOffset(tp) == 3)
        cluster.cluster.fill("t", partition: 0, count: 9)
        #expect(cluster.cluster.logEndOffset(tp) == 12)
        #expect(cluster.cluster.logStartOffset(tp) == 7)
        #expect(cluster.cluster.records(tp, from: 0, limit: 100).map(\.offset) == [7, 8, 9, 10, 11])
        #expect(cluster.cluster.record(tp, at: 6) == nil)
        #expect(cluster.cluster.record(tp, at: 11)?.offset == 11)
    }

    @Test func retentionStaysCorrectAcrossManyCompactions() {
        let cluster = GroupCoordinator(cluster: Cluster(topics: [TopicConfig(name: "t", partitions: 1)], retention: 4))
        let tp = TopicPartition("t", 0)
        for round in 1...10 {
            cluster.cluster.fill("t", partition: 0, count: 3)
            let end = Int64(round * 3)
            #expect(cluster.cluster.logEndOffset(tp) == end)
            #expect(cluster.cluster.logStartOffset(tp) == max(0, end - 4))
            #expect(cluster.cluster.records(tp, from: 0, limit: 10).map(\.offset) == Array(max(0, end - 4)..<end))
        }
    }

    @Test func groupBehindLogStartResetsByAutoOffsetReset() throws {
        for (reset, expectedFirst) in [(OffsetReset.earliest, Int64(6)), (.latest, nil)] {
            let cluster = GroupCoordinator(
                cluster: Cluster(topics: [TopicConfig(name: "t", partitions: 1)], retention: 4))
            let tp = TopicPartition("t", 0)
            cluster.ensureGroup("g", config: GroupConfig(rebalanceTime: .zero, autoOffsetReset: reset))
            cluster.join(group: "g", member: cluster.member("m"), topics: ["t"], now: ms(0))
            cluster.cluster.fill("t", partition: 0, count: 2)
            _ = cluster.pollAll("g", "m", at: ms(1))
            try cluster.commit(group: "g", memberId: "m", tp, offset: 2, now: ms(1))
            // Committed 2, then 8 more records: retention keeps 6..<10, so 2 is out of range.
            cluster.cluster.fill("t", partition: 0, count: 8)
            cluster.leave(group: "g", memberId: "m", now: ms(2))
            cluster.join(group: "g", member: cluster.member("m2"), topics: ["t"], now: ms(3))
            let batch = cluster.pollAll("g", "m2", at: ms(4))
            #expect(batch.records.first?.offset == expectedFirst)
        }
    }
}

/// The log keeps records as bytes in chunks (`RecordChunk`); what a consumer reads back must be
/// what the producer sent, byte for byte, wherever the chunk boundaries fall.
@Suite struct RecordStorageTests {
    struct Sent {
        var key: [UInt8]
        var value: [UInt8]
        var headers: RecordHeaders
    }

    /// Varied sizes: empty values, a value larger than a whole chunk's reserve, a correlation id
    /// that is not the key, non-ASCII header text, and on some records extra headers (a
    /// dead-letter record's), one of them empty and one long.
    func message(_ i: Int) -> Sent {
        let key = Array("order-\(i)".utf8)
        let value: [UInt8] =
            i % 97 == 0
            ? [] : i == 1500 ? Array(repeating: 7, count: 600_000) : (0..<(i % 300)).map { UInt8(($0 + i) % 256) }
        let correlation = i % 5 == 0 ? "corr-\(i)-ü" : "order-\(i)"
        return Sent(
            key: key, value: value,
            headers: RecordHeaders(
                eventType: i % 2 == 0 ? "OrderCreated" : "Zahlung✓", eventId: "e-\(i)", correlationId: correlation,
                extra: i % 7 == 0
                    ? [
                        RecordHeader("kafka_dlt-original-offset", String(i)), RecordHeader("leer", ""),
                        RecordHeader("kafka_dlt-exception-message", String(repeating: "é", count: i % 400)),
                    ] : []))
    }

    @Test func everyRetainedRecordReadsBackAsSentAcrossChunks() throws {
        let cluster = GroupCoordinator(
            cluster: Cluster(topics: [TopicConfig(name: "t", partitions: 1)], retention: 3000))
        let tp = TopicPartition("t", 0)
        var sent: [Sent] = []
        for i in 0..<5000 {
            let m = message(i)
            let metadata = try cluster.cluster.append(
                topic: "t", key: m.key, value: m.value, headers: m.headers, timestamp: .init(milliseconds: Int64(i)))
            #expect(metadata.offset == Int64(i))
            sent.append(m)
        }
        #expect(cluster.cluster.logStartOffset(tp) == 2000)
        var read: [Record] = []
        var next: Int64 = 0
        while true {
            // Odd limits, so reads start and end inside chunks as well as on their edges.
            let batch = cluster.cluster.records(tp, from: next, limit: 777)
            if batch.isEmpty { break }
            read += batch
            next = batch[batch.count - 1].offset + 1
        }
        #expect(read.map(\.offset) == Array(2000..<5000))
        for record in read {
            let m = sent[Int(record.offset)]
            #expect(record.key == m.key)
            #expect(record.value == m.value)
            #expect(record.headers == m.headers)
            #expect(record.eventType == m.headers.eventType)
            #expect(record.timestamp == .init(milliseconds: record.offset))
            #expect(record.topic == "t" && record.partition == 0)
            #expect(record.hasKey(m.key) && !record.hasKey(Array("order-x".utf8)))
        }
    }

    @Test func aRecordReadBeforeRetentionPassedItStaysIntact() throws {
        let cluster = GroupCoordinator(cluster: Cluster(topics: [TopicConfig(name: "t", partitions: 1)], retention: 10))
        let tp = TopicPartition("t", 0)
        let first = message(1)
        try cluster.cluster.append(
            topic: "t", key: first.key, value: first.value, headers: first.headers, timestamp: .zero)
        let held = try #require(cluster.cluster.record(tp, at: 0))
        for i in 2..<5000 {
            let m = message(i)
            try cluster.cluster.append(topic: "t", key: m.key, value: m.value, headers: m.headers, timestamp: .zero)
        }
        #expect(cluster.cluster.record(tp, at: 0) == nil, "retention dropped it from the log")
        #expect(held.key == first.key && held.value == first.value && held.headers == first.headers)
    }
}

/// A spill that keeps what it is given, and can be told to fail.
final class MemorySpill: LogSpill {
    var stored: [Int64: [UInt8]] = [:]
    var nextId: Int64 = 1
    var loads = 0
    var failStores = false
    var failLoads = false
    var damage = false
    struct Failure: Error {}

    func store(_ bytes: [UInt8]) throws -> Int64 {
        if failStores { throw Failure() }
        defer { nextId += 1 }
        stored[nextId] = bytes
        return nextId
    }

    func load(_ id: Int64) throws -> [UInt8] {
        loads += 1
        if failLoads { throw Failure() }
        guard let bytes = stored[id] else { throw Failure() }
        return damage ? Array(bytes.dropLast(8)) : bytes
    }

    func remove(_ id: Int64) throws { stored[id] = nil }
}

@Suite struct LogSpillTests {
    func fill(_ cluster: GroupCoordinator, _ count: Int) throws -> [(key: [UInt8], value: [UInt8])] {
        var sent: [(key: [UInt8], value: [UInt8])] = []
        for i in 0..<count {
            let key = Array("k\(i)".utf8)
            let value = Array("value \(i) \(String(repeating: "x", count: i % 50))".utf8)
            let extra = i % 3 == 0 ? [RecordHeader("kafka_dlt-original-topic", "t"), RecordHeader("n", "\(i)")] : []
            try cluster.cluster.append(
                topic: "t", key: key, value: value,
                headers: RecordHeaders(eventType: "E", eventId: "e\(i)", correlationId: "k\(i)", extra: extra),
                timestamp: .zero)
            sent.append((key, value))
        }
        return sent
    }

    @Test func olderChunksWaitInTheSpillAndReadBackAsSent() throws {
        let spill = MemorySpill()
        let cluster = GroupCoordinator(
            cluster: Cluster(topics: [TopicConfig(name: "t", partitions: 1)], retention: 6000, spill: spill))
        let tp = TopicPartition("t", 0)
        let sent = try fill(cluster, 9000)
        #expect(!spill.stored.isEmpty, "chunks behind the newest went to the spill")
        #expect(spill.stored.count <= 6, "retention removed the ones it passed: at most 6000 records' chunks")
        let all = cluster.cluster.records(tp, from: 0, limit: 10_000)
        #expect(all.map(\.offset) == Array(3000..<9000))
        for record in all {
            #expect(record.key == sent[Int(record.offset)].key && record.value == sent[Int(record.offset)].value)
            // Extra headers come back from the spill too.
            #expect(record.headers["n"] == (record.offset % 3 == 0 ? String(record.offset) : nil))
        }
        #expect(spill.loads > 0)
        #expect(cluster.cluster.storageFailure == nil)
        #expect(cluster.cluster.record(tp, at: 3001)?.value == sent[3001].value)
    }

    @Test func aSpillThatCannotStoreKeepsTheChunksInMemory() throws {
        let spill = MemorySpill()
        spill.failStores = true
        let cluster = GroupCoordinator(
            cluster: Cluster(topics: [TopicConfig(name: "t", partitions: 1)], retention: 10_000, spill: spill))
        let sent = try fill(cluster, 5000)
        let all = cluster.cluster.records(TopicPartition("t", 0), from: 0, limit: 10_000)
        #expect(all.map(\.value) == sent.map(\.value))
        #expect(spill.loads == 0 && cluster.cluster.storageFailure == nil)
    }

    @Test func aChunkThatCannotBeLoadedIsAStorageFailureNotACrash() throws {
        for damaged in [false, true] {
            let spill = MemorySpill()
            let cluster = GroupCoordinator(
                cluster: Cluster(topics: [TopicConfig(name: "t", partitions: 1)], retention: 10_000, spill: spill))
            _ = try fill(cluster, 5000)
            if damaged { spill.damage = true } else { spill.failLoads = true }
            let read = cluster.cluster.records(TopicPartition("t", 0), from: 0, limit: 100)
            #expect(read.isEmpty, "nothing made up for what could not be read")
            #expect(cluster.cluster.storageFailure?.contains("offset 0") == true)
        }
    }
}

/// A new leader's shorter log cuts the partition back (`PartitionLog.truncate(to:)`): the rest
/// is gone, the next append reuses the offset, and spilled chunks cut short still load.
@Suite struct TruncationTests {
    @Test func truncationIntoASpilledChunkKeepsWhatCameBeforeAndReusesTheOffsets() throws {
        let spill = MemorySpill()
        var log = PartitionLog(maxRecords: 10_000, spill: spill)
        let headers = RecordHeaders(eventType: "E", eventId: "e", correlationId: "c")
        func append(_ text: String) -> Record {
            log.append(
                topic: "t", partition: 0, key: Array(text.utf8), value: Array(text.utf8), headers: headers,
                timestamp: .zero)
        }
        for i in 0..<5000 { _ = append("r\(i)") }
        let found = log.record(topic: "t", partition: 0, at: 4000)
        let held = try #require(found)
        log.truncate(to: 1500)
        #expect(log.logEndOffset == 1500)
        var read: [Record] = []
        log.read(topic: "t", partition: 0, from: 0, limit: 10_000, into: &read)
        #expect(read.map(\.keyString) == (0..<1500).map { "r\($0)" })
        #expect(log.record(topic: "t", partition: 0, at: 1500) == nil)
        #expect(append("new").offset == 1500)
        #expect(log.record(topic: "t", partition: 0, at: 1500)?.keyString == "new")
        #expect(held.keyString == "r4000", "a view handed out before the cut keeps its bytes")
        log.truncate(to: 9999)
        #expect(log.logEndOffset == 1501, "nothing to cut past the end")
    }
}
