import Simulation

extension PaneBuilder {
    /// Each partition's log: start and end offsets, appends in the last second and a minute's
    /// sparkline; with replicated partitions also its high watermark, leader and ISR (which
    /// brokers are up is the Services pane's first line when one is down).
    func topics() -> PaneContent {
        let replicated = !snapshot.brokers.isEmpty
        var columns = [
            Column(title: "TOPIC", width: 17, priority: 9),
            Column(title: "P", width: 1, alignRight: true, priority: 9),
            Column(title: "START", width: 6, alignRight: true, priority: 3),
            Column(title: "END", width: 7, alignRight: true, priority: 8),
        ]
        if replicated {
            columns += [
                Column(title: "HW", width: 7, alignRight: true, priority: 8),
                Column(title: "LEADER", width: 6, alignRight: true, priority: 8),
                Column(title: "ISR", width: 5, priority: 7),
            ]
        }
        columns += [
            Column(title: "REC/S", width: 5, alignRight: true, priority: 5),
            Column(title: "LAST 60s", width: 8, priority: 4, flexible: true),
        ]
        let table = Table(columns, width: width)
        var content = PaneContent(fixed: [table.header()])
        let sparkWidth = table.width(of: columns.count - 1) ?? 0
        for p in snapshot.partitions {
            var cells = [p.topic, String(p.partition), String(p.logStartOffset), String(p.logEndOffset)]
            var style = Style.plain
            if replicated, let r = p.replication {
                cells += [
                    String(r.highWatermark), r.leader.map(String.init) ?? "none",
                    r.isr.map(String.init).joined(separator: ","),
                ]
                if r.leader == nil {
                    style = .fg(.red, bold: true)
                } else if r.isr.count < r.replicas.count || r.highWatermark < p.logEndOffset {
                    style = .fg(.yellow, bold: false)
                }
            }
            cells += [String(p.recordsPerSecond), sparkline(p.appendHistory, width: sparkWidth, glyphs: glyphs)]
            content.body.append(table.row(cells, style))
        }
        return content
    }
}
