import Bus
import Testing

@Suite struct RetentionTests {
    @Test func retentionDropsOldestRecordsAndAdvancesLogStart() {
        let broker = Broker(topics: [TopicConfig(name: "t", partitions: 1)], retention: 5)
        let tp = TopicPartition("t", 0)
        broker.fill("t", partition: 0, count: 3)
        #expect(broker.logStartOffset(tp) == 0)
        #expect(broker.logEndOffset(tp) == 3)
        broker.fill("t", partition: 0, count: 9)
        #expect(broker.logEndOffset(tp) == 12)
        #expect(broker.logStartOffset(tp) == 7)
        #expect(broker.records(tp, from: 0, limit: 100).map(\.offset) == [7, 8, 9, 10, 11])
        #expect(broker.record(tp, at: 6) == nil)
        #expect(broker.record(tp, at: 11)?.offset == 11)
    }

    @Test func retentionStaysCorrectAcrossManyCompactions() {
        let broker = Broker(topics: [TopicConfig(name: "t", partitions: 1)], retention: 4)
        let tp = TopicPartition("t", 0)
        for round in 1...10 {
            broker.fill("t", partition: 0, count: 3)
            let end = Int64(round * 3)
            #expect(broker.logEndOffset(tp) == end)
            #expect(broker.logStartOffset(tp) == max(0, end - 4))
            #expect(broker.records(tp, from: 0, limit: 10).map(\.offset) == Array(max(0, end - 4)..<end))
        }
    }

    @Test func groupBehindLogStartResetsByAutoOffsetReset() throws {
        for (reset, expectedFirst) in [(OffsetReset.earliest, Int64(6)), (.latest, nil)] {
            let broker = Broker(topics: [TopicConfig(name: "t", partitions: 1)], retention: 4)
            let tp = TopicPartition("t", 0)
            broker.ensureGroup("g", config: GroupConfig(rebalanceTime: .zero, autoOffsetReset: reset))
            broker.join(group: "g", member: broker.member("m"), topics: ["t"], now: ms(0))
            broker.fill("t", partition: 0, count: 2)
            _ = broker.pollAll("g", "m", at: ms(1))
            try broker.commit(group: "g", memberId: "m", tp, offset: 2, now: ms(1))
            // Committed 2, then 8 more records: retention keeps 6..<10, so 2 is out of range.
            broker.fill("t", partition: 0, count: 8)
            broker.leave(group: "g", memberId: "m", now: ms(2))
            broker.join(group: "g", member: broker.member("m2"), topics: ["t"], now: ms(3))
            let batch = broker.pollAll("g", "m2", at: ms(4))
            #expect(batch.records.first?.offset == expectedFirst)
        }
    }
}
