import Events
import Simulation

extension PaneBuilder {
    /// Each partition's log: start and end offsets, appends in the last second and a minute's
    /// sparkline. With a cluster it is the Brokers pane (`brokers()`).
    func topics() -> PaneContent {
        if snapshot.cluster != nil { return brokers() }
        let columns = [
            Column(title: "TOPIC", width: 17, priority: 9),
            Column(title: "P", width: 1, alignRight: true, priority: 9),
            Column(title: "START", width: 6, alignRight: true, priority: 3),
            Column(title: "END", width: 7, alignRight: true, priority: 8),
            Column(title: "REC/S", width: 5, alignRight: true, priority: 5),
            Column(title: "LAST 60s", width: 8, priority: 4, flexible: true),
        ]
        let table = Table(columns, width: width)
        let sparkWidth = table.width(of: columns.count - 1) ?? 0
        var content = PaneContent(fixed: [table.header(sparkTitles(columns, sparkWidth))])
        let held = snapshot.partitions.filter(holdsDeadLetters)
        for p in held + snapshot.partitions.filter({ !holdsDeadLetters($0) }) {
            let cells = [
                p.topic, String(p.partition), String(p.logStartOffset), String(p.logEndOffset),
                String(p.recordsPerSecond), sparkline(p.appendHistory, width: sparkWidth, glyphs: glyphs),
            ]
            content.body.append(table.row(cells, holdsDeadLetters(p) ? .fg(.red, bold: true) : .plain))
        }
        return content
    }

    /// A dead-letter partition that holds records: what the dead-letter lesson is about, so first.
    func holdsDeadLetters(_ p: Snapshot.PartitionRow) -> Bool {
        Topic.source(ofDeadLetter: p.topic) != nil && p.logEndOffset > p.logStartOffset
    }

    /// The Brokers pane: Kafka's broker metrics by name on the first line, then per partition
    /// its leader, ISR, ELR (as `kafka-topics.sh --describe` prints `Elr`) and high watermark and
    /// each broker's replica log end (a broker not serving in red, a replica out of the ISR in
    /// yellow). Offline partitions are red, under-replicated
    /// ones yellow; they come first, as what the lesson is about.
    func brokers() -> PaneContent {
        let ids = snapshot.brokers.map(\.id)
        let up = Set(snapshot.brokers.filter(\.up).map(\.id))
        var columns = [
            Column(title: "TOPIC", width: 17, priority: 9),
            Column(title: "P", width: 1, alignRight: true, priority: 9),
            Column(title: "LEADER", width: 6, alignRight: true, priority: 9),
            Column(title: "ISR", width: 5, priority: 8),
            Column(title: "ELR", width: 3, priority: 5),
            Column(title: "HW", width: 6, alignRight: true, priority: 8),
        ]
        columns += ids.map { Column(title: "B\($0)", width: 5, alignRight: true, priority: 6) }
        columns += [
            Column(title: "REC/S", width: 5, alignRight: true, priority: 3),
            Column(title: "LAST 60s", width: 8, priority: 2, flexible: true),
        ]
        let table = Table(columns, width: width)
        let rows = snapshot.partitions.filter { $0.replication != nil }
        // Too narrow for every broker's log end beside the topic's name (80×24): by topic.
        if let lastBroker = ids.indices.last, table.width(of: 6 + lastBroker) == nil {
            return brokersByTopic(rows, ids: ids, up: up)
        }
        let sparkWidth = table.width(of: columns.count - 1) ?? 0
        var content = PaneContent(fixed: [metricsLine(), table.header(sparkTitles(columns, sparkWidth))])
        let needy = rows.filter(isNeedy) + rows.filter { !isNeedy($0) && holdsDeadLetters($0) }
        for p in needy + rows.filter({ !needy.contains($0) }) {
            guard let r = p.replication else { continue }
            let cells =
                [p.topic] + replicaCells(p.partition, r, ids: ids)
                + [String(p.recordsPerSecond), sparkline(p.appendHistory, width: sparkWidth, glyphs: glyphs)]
            content.body.append(table.row(cells) { replicaStyle(r, column: $0 - 6, ids: ids, up: up) })
        }
        return content
    }

    /// The columns' titles, the sparkline's saying how many seconds its width shows (a column a
    /// second, the last 60 kept): at 80 columns "LAST 8s", not a minute it does not show.
    private func sparkTitles(_ columns: [Column], _ sparkWidth: Int) -> [String] {
        columns.dropLast().map(\.title) + ["LAST \(min(60, sparkWidth))s"]
    }

    /// P, LEADER, ISR, ELR, HW and each broker's log end: the cells both forms of the pane show.
    private func replicaCells(_ partition: Int, _ r: Snapshot.PartitionRow.Replication, ids: [Int]) -> [String] {
        [
            String(partition), r.leader.map(String.init) ?? "none", r.isr.map(String.init).joined(separator: ","),
            r.elr.map(String.init).joined(separator: ","), String(r.highWatermark),
        ] + ids.map { id in r.endOffsets[id].map(String.init) ?? "" }
    }

    /// A partition row's cell: the row red when offline, yellow when under-replicated; a broker's
    /// log end (`broker`: its index in `ids`, negative for the other columns) red when that broker
    /// does not serve, yellow when out of the ISR.
    private func replicaStyle(
        _ r: Snapshot.PartitionRow.Replication, column broker: Int, ids: [Int], up: Set<Int>
    ) -> Style {
        let rowStyle: Style =
            r.leader == nil ? .fg(.red, bold: true) : r.isr.count < r.replicas.count ? .fg(.yellow) : .plain
        guard ids.indices.contains(broker), r.endOffsets[ids[broker]] != nil else { return rowStyle }
        if !up.contains(ids[broker]) { return .fg(.red, bold: true) }
        return r.isr.contains(ids[broker]) ? rowStyle : .fg(.yellow, bold: true)
    }

    /// An offline or under-replicated partition: what a brokers lesson talks about.
    private func isNeedy(_ p: Snapshot.PartitionRow) -> Bool {
        p.replication.map { $0.leader == nil || $0.isr.count < $0.replicas.count } ?? false
    }

    /// The Brokers pane on a narrow pane: a line per topic, then its partitions (P, LEADER, ISR,
    /// ELR, HW and every broker's log end, columns as wide as their numbers), the topics and
    /// partitions that need attention first. Nothing is cut: a column that cannot fit whole goes.
    private func brokersByTopic(_ rows: [Snapshot.PartitionRow], ids: [Int], up: Set<Int>) -> PaneContent {
        let widest =
            rows.compactMap(\.replication).flatMap { [$0.highWatermark] + Array($0.endOffsets.values) }.max() ?? 0
        let digits = max(2, String(widest).count)
        var columns = [
            Column(title: "P", width: 1, alignRight: true, priority: 9),
            Column(title: "LEADER", width: 6, alignRight: true, priority: 9),
            Column(title: "ISR", width: 5, priority: 8),
            Column(title: "ELR", width: 3, priority: 5),
            Column(title: "HW", width: digits, alignRight: true, priority: 8),
        ]
        columns += ids.map { Column(title: "B\($0)", width: digits, alignRight: true, priority: 6) }
        let table = Table(columns, width: width)
        var content = PaneContent(fixed: [metricsLine(), table.header()])
        let topics = rows.reduce(into: [String]()) { if !$0.contains($1.topic) { $0.append($1.topic) } }
        let needyTopics = topics.filter { topic in rows.contains { $0.topic == topic && isNeedy($0) } }
        var names: Set<Int> = []
        for topic in needyTopics + topics.filter({ !needyTopics.contains($0) }) {
            names.insert(content.body.count)
            content.body.append(Line(topic, .bold))
            let partitions = rows.filter { $0.topic == topic }
            let needy = partitions.filter(isNeedy)
            for p in needy + partitions.filter({ !needy.contains($0) }) {
                guard let r = p.replication else { continue }
                let cells = replicaCells(p.partition, r, ids: ids)
                content.body.append(table.row(cells) { replicaStyle(r, column: $0 - 5, ids: ids, up: up) })
            }
        }
        // Cut short, unfocused: say how many partitions are left out rather than end on a topic's
        // name with none of its rows (focused, the pane scrolls to them).
        let room = height - content.fixed.count
        if state.focus != .topics, room > 0, content.body.count > room {
            // A topic's name left last with no row under it goes too.
            let kept = names.contains(room - 2) ? room - 2 : room - 1
            let hidden = rows.count - (0..<kept).filter { !names.contains($0) }.count
            content.body = Array(content.body.prefix(kept))
            content.body.append(Line("\(glyphs.ellipsis) \(hidden) more partition\(hidden == 1 ? "" : "s")", .dim))
        }
        return content
    }

    /// "UnderReplicatedPartitions 3 · UnderMinIsrPartitionCount 0 · AtMinIsrPartitionCount 0 ·
    /// OfflinePartitionsCount 0", shortened ("UnderRepl 3 · UnderMinIsr 0 · Offline 0", AtMinIsr
    /// the first to go) when the pane is narrow.
    private func metricsLine() -> Line {
        let m = snapshot.cluster?.metrics ?? .init()
        let values = [
            m.underReplicatedPartitions, m.underMinIsrPartitionCount, m.offlinePartitionsCount,
            m.atMinIsrPartitionCount,
        ]
        let styles: [Style] = [
            values[0] > 0 ? .fg(.yellow, bold: true) : .plain, values[1] > 0 ? .fg(.red, bold: true) : .plain,
            values[2] > 0 ? .fg(.red, bold: true) : .plain, values[3] > 0 ? .fg(.yellow) : .plain,
        ]
        // Index 3 (AtMinIsr: one more loss and acks=all stops) prints third, before Offline.
        for names in [
            [
                "UnderReplicatedPartitions", "UnderMinIsrPartitionCount", "OfflinePartitionsCount",
                "AtMinIsrPartitionCount",
            ],
            ["UnderReplicated", "UnderMinIsr", "Offline", "AtMinIsr"],
            ["UnderRepl", "UnderMinIsr", "Offline", "AtMinIsr"],
            ["UnderReplicated", "UnderMinIsr", "Offline"], ["UnderRepl", "UnderMinIsr", "Offline"],
        ] {
            var line = Line()
            for (n, i) in [0, 1, 3, 2].filter({ $0 < names.count }).enumerated() {
                if n > 0 { line = line.appending(" · ", .dim) }
                line = line.appending(names[i] + " ").appending(String(values[i]), styles[i])
            }
            if line.displayWidth <= width { return line }
        }
        return Line("UnderRepl \(values[0]) · UnderMinIsr \(values[1]) · Off \(values[2])")
    }
}
