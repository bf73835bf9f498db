import Simulation

extension PaneBuilder {
    /// Each partition's log: start and end offsets, appends in the last second and a minute's sparkline.
    func topics() -> PaneContent {
        let table = Table(
            [
                Column(title: "TOPIC", width: 17, priority: 9),
                Column(title: "P", width: 1, alignRight: true, priority: 9),
                Column(title: "START", width: 6, alignRight: true, priority: 3),
                Column(title: "END", width: 7, alignRight: true, priority: 8),
                Column(title: "REC/S", width: 5, alignRight: true, priority: 5),
                Column(title: "LAST 60s", width: 8, priority: 4, flexible: true),
            ], width: width)
        var content = PaneContent(fixed: [table.header()])
        let sparkWidth = table.width(of: 5) ?? 0
        for p in snapshot.partitions {
            let cells = [
                p.topic, String(p.partition), String(p.logStartOffset), String(p.logEndOffset),
                String(p.recordsPerSecond),
                sparkline(p.appendHistory, width: sparkWidth, glyphs: glyphs),
            ]
            content.body.append(table.row(cells, .plain))
        }
        return content
    }
}
