import Bus
import Events
import Services
import Simulation

extension PaneBuilder {
    /// The newest records first, coloured by what they mean: failures red, completions green.
    /// TYPE is as wide as its longest cell (`FAILED NotEnoughReplicasAfterAppend`): a narrow
    /// pane drops TIME, then KEY, before it would cut Kafka's name for an error.
    func events() -> PaneContent {
        // Producer errors and lost records between the records, newest first, by time.
        var rows: [(cells: [String], style: Style, record: RecordMetadata?)] = []
        var remaining = snapshot.clusterEvents.reversed().makeIterator()
        var notice = remaining.next()
        /// The notices newer than `time` (all that are left, without one).
        func appendNotices(after time: VirtualTime?) {
            while let n = notice, time.map({ n.time > $0 }) ?? true {
                let cells = [
                    n.time.description, n.topic, "\(n.partition)@\(n.offset.map(String.init) ?? "-")",
                    shortOrderId(n.key), n.what,
                ]
                rows.append((cells, .fg(n.final ? .red : .yellow, bold: n.final), nil))
                notice = remaining.next()
            }
        }
        for r in snapshot.recentRecords.reversed() {
            appendNotices(after: r.timestamp)
            let cells = [
                r.timestamp.description, r.topic, "\(r.partition)@\(r.offset)", shortOrderId(r.key), r.eventType,
            ]
            let style: Style =
                switch r.eventType {
                case PaymentFailedEvent.eventType, "Poison": .fg(.red)
                case PaymentCompletedEvent.eventType: .fg(.green)
                default: .plain
                }
            rows.append((cells, style, RecordMetadata(topic: r.topic, partition: r.partition, offset: r.offset)))
        }
        appendNotices(after: nil)
        let typeWidth = max(14, rows.map { $0.cells[4].displayWidth }.max() ?? 0)
        var table = Table(
            [
                Column(title: "TIME", width: 12, priority: 5), Column(title: "TOPIC", width: 17, priority: 9),
                Column(title: "P@OFFSET", width: 8, alignRight: true, priority: 8),
                Column(title: "KEY", width: 8, priority: 6),
                Column(title: "TYPE", width: typeWidth, priority: 7, flexible: true),
            ], width: width)
        // Too narrow for the three: the partition as Kafka's logs spell it, `order.created-2@3`.
        if [1, 2, 4].contains(where: { table.width(of: $0) == nil }) {
            rows = rows.map { row in
                let c = row.cells
                return ([c[0], "\(c[1])-\(c[2])", c[3], c[4]], row.style, row.record)
            }
            let partitionWidth = max(14, rows.map { $0.cells[1].displayWidth }.max() ?? 0)
            table = Table(
                [
                    Column(title: "TIME", width: 12, priority: 5),
                    Column(title: "TOPIC-P@OFFSET", width: partitionWidth, priority: 9),
                    Column(title: "KEY", width: 8, priority: 6),
                    Column(title: "TYPE", width: typeWidth, priority: 8, flexible: true),
                ], width: width)
        }
        var content = PaneContent(fixed: [table.header()])
        for row in rows {
            var line = table.row(row.cells, row.style)
            line.highlight = state.focus == .events && row.record != nil && state.selectedRecord == row.record
            content.body.append(line)
        }
        if content.body.isEmpty { content.body.append(Line("no records yet", .dim)) }
        return content
    }
}
