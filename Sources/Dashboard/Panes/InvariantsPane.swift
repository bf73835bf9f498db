import Simulation

extension PaneBuilder {
    /// The invariant checker's rows: the anomaly's one name, its count, and what it means.
    /// With a cluster, acknowledged records lost comes next to them; with dead-letter topics,
    /// the orders waiting in one.
    func invariantRows() -> [(anomaly: Anomaly, count: Int, meaning: String)] {
        var rows = Anomaly.invariants.map { anomaly in
            let meaning =
                anomaly == .stuckPending ? "PENDING_PAYMENT over \(config.stuckPendingAfter)" : anomaly.meaning
            return (anomaly, snapshot.invariants[anomaly], meaning)
        }
        if snapshot.cluster != nil {
            rows += Anomaly.clusterInvariants.map { ($0, snapshot.acknowledgedRecordsLost, $0.meaning) }
        }
        if let dead = snapshot.deadLetter {
            rows.append((.deadLettered, dead.ordersWaiting, Anomaly.deadLettered.meaning))
        }
        return rows
    }

    /// One line per invariant, its meaning beside it when the pane is wide enough or beneath
    /// it when it is violated. The compact layout, and a pane shorter than its rows, list
    /// violated invariants first.
    func invariants() -> PaneContent {
        var content = PaneContent()
        var rows = invariantRows()
        // Compact, or with more rows than lines (the cluster's row), violated invariants go first.
        if compact || rows.count > height { rows = rows.filter { $0.count > 0 } + rows.filter { $0.count == 0 } }
        let countWidth = max(3, rows.map { String($0.count).count }.max() ?? 1)
        let nameWidth = rows.map(\.anomaly.rawValue.count).max() ?? 0
        let besideRoom = width - (2 + countWidth + 1 + nameWidth + 2)
        // Meanings go beneath violated rows only while every row still fits without scrolling.
        var spareLines = height - rows.count
        for row in rows {
            let name = row.anomaly.rawValue
            let color: Color = row.count == 0 ? .green : .red
            var line = Line(String(glyphs.dot) + " ", .fg(color, bold: true))
                .appending(String(row.count).padded(to: countWidth, alignRight: true) + " ", .fg(color, bold: true))
                .appending(name, row.count == 0 ? .plain : .bold)
            if besideRoom >= row.meaning.count {
                line = line.appending(String(repeating: " ", count: nameWidth - name.count + 2) + row.meaning, .dim)
                content.body.append(line)
            } else {
                content.body.append(line)
                if row.count > 0 && !compact && spareLines > 0 {
                    content.body.append(Line(String(repeating: " ", count: countWidth + 3) + row.meaning, .dim))
                    spareLines -= 1
                }
            }
        }
        return content
    }
}
