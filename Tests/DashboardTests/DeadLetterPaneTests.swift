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

    /// A dead-letter record's view: every header whole (a long value wraps under its name), and
    /// at 80×24, where the headers take the rows the value needs, the rows it lacks counted on a
    /// last line instead of running into the border; at 120×40 the value whole.
    @Test(arguments: [(80, 24), (120, 40)])
    func aDeadLetterRecordShowsEveryHeaderWhole(width: Int, height: Int) {
        let message = "payment provider refused: amount 750.00 EUR is above the account's limit of 500.00 EUR"
        let value = Array(
            #"{"amountCents":75000,"createdAt":3000,"currency":"EUR","customerId":"C-0155","eventId":"bda7977b-5ede-4260-9a43-f4cd7636b023","orderId":"b9e0be63-907a-414d-bdb2-cfc6c963b6e2","schemaVersion":1}"#
                .utf8)
        let record = Record(
            topic: "order.created.DLT", partition: 2, offset: 0, timestamp: VirtualTime(milliseconds: 13_380),
            key: Array("b9e0be63-907a-414d-bdb2-cfc6c963b6e2".utf8), value: value,
            headers: RecordHeaders(
                eventType: "OrderCreated", eventId: "bda7977b-5ede-4260-9a43-f4cd7636b023",
                correlationId: "b9e0be63-907a-414d-bdb2-cfc6c963b6e2",
                extra: [
                    RecordHeader("kafka_dlt-original-topic", "order.created"),
                    RecordHeader("kafka_dlt-original-partition", "2"), RecordHeader("kafka_dlt-original-offset", "0"),
                    RecordHeader("kafka_dlt-original-timestamp", "3000"),
                    RecordHeader("kafka_dlt-original-consumer-group", "payment-service"),
                    RecordHeader("kafka_dlt-exception-fqcn", DeadLetterHeader.listenerFailed),
                    RecordHeader("kafka_dlt-exception-cause-fqcn", "ProcessingError.providerRefused"),
                    RecordHeader("kafka_dlt-exception-message", message),
                ]))
        var grid = Grid(width: width, height: height)
        RecordOverlay(
            detail: RecordDetail(record),
            reference: RecordMetadata(topic: "order.created.DLT", partition: 2, offset: 0), glyphs: .unicode
        )
        .draw(on: &grid)
        let text = grid.lines.joined(separator: "\n")
        #expect(text.contains(DeadLetterHeader.listenerFailed))
        #expect(text.contains("ProcessingError.providerRefused"))
        #expect(text.contains("limit of 500.00 EUR"))
        // The last row inside the box is the keys' line: nothing ran past the border.
        let hint = grid.lines.lastIndex { $0.contains("Enter: the journey of the order it is keyed by") }
        let bottom = grid.lines.lastIndex { $0.contains("└") && $0.contains("┘") }
        #expect(hint != nil && bottom == hint.map { $0 + 1 })
        if height == 24 {
            #expect(text.contains("more rows of the value at a taller size"))
        } else {
            #expect(text.contains(#""schemaVersion" : 1"#))
        }
    }

    /// The redrive key's help row is whole in the two-column help at 80×24.
    @Test func theHelpNamesRedriveWholeAt80Columns() {
        var grid = Grid(width: 80, height: 24)
        HelpOverlay(glyphs: .unicode, context: BindingContext(scenarioPlaying: true, deadLetterTopics: true))
            .draw(on: &grid)
        #expect(grid.lines.contains { $0.contains(" D ") && $0.contains("redrive the DLTs ") })
    }
}
