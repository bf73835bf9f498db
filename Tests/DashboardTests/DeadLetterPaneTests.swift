import Bus
import Simulation
import Testing

@testable import Dashboard

/// Dead-letter topics on screen, from literal snapshots: the record being retried and the
/// records sent to a DLT in the Services pane, the orders waiting in one in the Invariants pane,
/// and a DLT holding records first in the Topics pane.
@Suite struct DeadLetterPaneTests {
    static var snapshot: Snapshot {
        var s = Literal.snapshot
        s.instances = [
            Literal.instance(.order, 1, .running, processed: 5),
            Literal.instance(.payment, 1, .running, processed: 4),
            Literal.instance(.notification, 1, .running, processed: 3),
        ]
        s.instances[1].failures = 5
        s.instances[1].failing = RecordMetadata(topic: "order.created", partition: 0, offset: 4)
        s.deadLetter = Snapshot.DeadLetterRow(retries: 9, sent: [.payment: 2], ordersWaiting: 1)
        s.partitions.append(
            Snapshot.PartitionRow(
                topic: "order.created.DLT", partition: 0, logStartOffset: 0, logEndOffset: 2, recordsPerSecond: 0,
                appendHistory: [0, 1]))
        return s
    }

    @Test func servicesShowTheRetryInWordsWhereWideAndTerseWhereNot() {
        let wide = renderAlone(.services, Self.snapshot, width: 80, height: 7).lines.joined(separator: "\n")
        #expect(wide.contains("payment-service · retry 5/9 order.created-0@4 · dead-lettered 2"))
        let narrow = renderAlone(.services, Self.snapshot, width: 36, height: 7, compact: true).lines
            .joined(separator: "\n")
        #expect(narrow.contains("payment-service · retry 5/9"))
        // Too narrow for both, the retry going on outlasts the count; once it is over, the count shows.
        var calm = Self.snapshot
        calm.instances[1].failures = 0
        let after = renderAlone(.services, calm, width: 36, height: 7, compact: true).lines.joined(separator: "\n")
        #expect(after.contains("payment-service · DLT 2") || after.contains("payment-service · dead-lettered 2"))
    }

    @Test func invariantsCountTheOrdersWaitingInADeadLetterTopicFirst() {
        let lines = renderAlone(.invariants, Self.snapshot, width: 36, height: 7, compact: true).lines
        #expect(lines.contains { $0.contains("1 deadLettered") })
        // Without dead-letter topics there is no such row.
        let plain = renderAlone(.invariants, Literal.snapshot, width: 60, height: 12).lines.joined()
        #expect(!plain.contains("deadLettered"))
    }

    @Test func aDeadLetterTopicHoldingRecordsComesFirst() {
        let lines = renderAlone(.topics, Self.snapshot, width: 44, height: 5).lines
        #expect(lines[2].hasPrefix("│order.created.DLT 0"))
        #expect(lines[3].hasPrefix("│order.created     0"))
    }
}
