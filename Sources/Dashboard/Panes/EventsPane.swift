import Bus
import Events
import Services
import Simulation

extension PaneBuilder {
    /// The newest records first, coloured by what they mean: failures red, completions green.
    func events() -> PaneContent {
        let table = Table(
            [
                Column(title: "TIME", width: 12, priority: 5), Column(title: "TOPIC", width: 17, priority: 9),
                Column(title: "P@OFFSET", width: 8, alignRight: true, priority: 8),
                Column(title: "KEY", width: 8, priority: 6),
                Column(title: "TYPE", width: 14, priority: 7, flexible: true),
            ], width: width)
        var content = PaneContent(fixed: [table.header()])
        // Producer errors and lost records between the records, newest first, by time.
        var remaining = snapshot.clusterEvents.reversed().makeIterator()
        var notice = remaining.next()
        /// The notices newer than `time` (all that are left, without one).
        func appendNotices(after time: VirtualTime?) {
            while let n = notice, time.map({ n.time > $0 }) ?? true {
                let cells = [
                    n.time.description, n.topic, "\(n.partition)@\(n.offset.map(String.init) ?? "-")",
                    shortOrderId(n.key),
                    n.what,
                ]
                content.body.append(table.row(cells, .fg(n.final ? .red : .yellow, bold: n.final)))
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
            var line = table.row(cells, style)
            line.highlight =
                state.focus == .events
                && state.selectedRecord == RecordMetadata(topic: r.topic, partition: r.partition, offset: r.offset)
            content.body.append(line)
        }
        appendNotices(after: nil)
        if content.body.isEmpty { content.body.append(Line("no records yet", .dim)) }
        return content
    }
}
