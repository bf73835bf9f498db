import Bus
import Simulation

extension PaneBuilder {
    /// Each group's state, total lag, members and lag sparkline, then what Kafka's describe
    /// prints: its warning for a group that is not Stable, and its rows in Kafka's columns and
    /// order; a row whose lag grows is red, its topic and lag bold.
    func consumerGroups() -> PaneContent {
        let groups = attentionFirst(snapshot.groups, name: \.group, attention: needsAttention)
        // Kafka's own line for a group that is not Stable, wrapped: it explains the rows below;
        // then how long its oldest record has waited, when one waits.
        let notices = groups.map { group in
            (group.notice ?? "").wrapped(to: width).map { Line($0, .fg(group.state.color)) } + timeLagLines(group)
                + rebalanceLines(group)
        }
        let shown = detailRoom(
            detailLines: zip(groups, notices).map { $1.count + $0.rows.count },
            attention: groups.map(needsAttention), room: height - 1, focused: state.focus == .consumerGroups)
        // The rows drawn: a group cut short ends on "… N more" in place of its last.
        let rows = zip(zip(groups, notices), shown).flatMap { pair, room in
            let (group, notice) = pair
            let lines = notice.count + group.rows.count
            return group.rows.prefix(max(0, room < lines ? room - 1 - notice.count : group.rows.count))
        }
        // Per-partition lag in time only says something while a record waits (as the group's line).
        let waiting = groups.contains { $0.rowTimeLags.contains { ($0?.oldest ?? .zero) >= Self.newsworthyWait } }
        // Why a partition is not read, while one is not: a rebalance, an absent owner, no owner.
        let paused = groups.contains { $0.rowPauses.contains { $0 != nil } }
        let (table, owner) = groupTable(rows: rows, timed: waiting, paused: paused)
        var content = PaneContent(fixed: [table.header()])
        for ((group, notice), room) in zip(zip(groups, notices), shown) {
            let lag = group.totalLag.map(String.init) ?? "-"
            var head = Line(group.group, .bold).appending(" ")
                .appending(compact ? group.state.shortName : group.state.rawValue, .fg(group.state.color, bold: true))
                .appending(" · lag ").appending(lag, (group.totalLag ?? 0) > 0 ? .fg(.red, bold: true) : .plain)
            // `--describe --state`'s #MEMBERS and ASSIGNMENT-STRATEGY, where the line has room.
            // Under the consumer protocol, `--state --verbose`'s GROUP-EPOCH as well.
            let epoch = group.members.first?.memberEpoch != nil ? " · epoch \(group.generation)" : ""
            let members =
                " · \(group.members.count) member\(group.members.count == 1 ? "" : "s")"
                + (group.assignmentStrategy.map { " · " + $0 } ?? "") + epoch
            if head.displayWidth + members.count + 5 <= width { head = head.appending(members) }
            let spark = min(30, width - head.displayWidth - 1)
            if spark >= 4 {
                head = head.appending(" " + sparkline(group.lagHistory, width: spark, glyphs: glyphs), .fg(.cyan))
            }
            content.body.append(head)
            var detail = notice
            for (n, (row, growing)) in zip(group.rows, group.growing).enumerated() {
                let lagText = (row.lag.map(String.init) ?? "-") + (growing ? glyphs.up : "")
                let time = n < group.rowTimeLags.count ? group.rowTimeLags[n] : nil
                let pause = n < group.rowPauses.count ? group.rowPauses[n] : nil
                var cells = [
                    row.topic, String(row.partition), row.currentOffset.map(String.init) ?? "-",
                    String(row.logEndOffset), lagText, owner(row),
                ]
                if paused { cells.append(pauseCell(pause)) }
                cells += [time.map { shortDuration($0.oldest) } ?? "-", time?.catchUp.text ?? "-"]
                // The class's eye goes to a growing lag first, then to a partition nobody reads.
                detail.append(
                    table.row(cells) { column in
                        if growing { return .fg(.red, bold: column == 0 || column == 4) }
                        return paused && column == 6 && pause != nil ? .fg(.yellow, bold: true) : .plain
                    })
            }
            if room < detail.count, room > 0 {
                // Cut short: say how much is left out rather than end on a row as if it were the last.
                detail =
                    Array(detail.prefix(room - 1)) + [Line("\(glyphs.ellipsis) \(detail.count - room + 1) more", .dim)]
            }
            content.body += detail.prefix(room)
        }
        return content
    }
}

extension PaneBuilder {
    /// Describe's columns fitted to the rows on screen: TOPIC as wide as their longest topic, and
    /// who owns each partition in the widest form that fits whole — CONSUMER-ID, then CLIENT-ID,
    /// then the instance number the Services pane uses (`#2`) — so a rebalance lesson shows its
    /// owners at 80 columns and no id is cut.
    func groupTable(rows: [GroupDescriptionRow], timed: Bool, paused: Bool = false) -> (
        Table, (GroupDescriptionRow) -> String
    ) {
        let topicWidth = max(5, rows.map(\.topic.displayWidth).max() ?? 5)
        var forms: [(title: String, cell: (GroupDescriptionRow) -> String)] = [
            ("CONSUMER-ID", { $0.consumerId ?? "-" })
        ]
        // Shorter forms only say something when a partition has an owner.
        if rows.contains(where: { $0.consumerId != nil }) {
            forms.append(("CLIENT-ID", { $0.clientId ?? "-" }))
            forms.append(
                ("#", { row in row.clientId.flatMap { $0.split(separator: "-").last }.map { "#" + $0 } ?? "-" }))
        }
        func table(_ owner: (title: String, cell: (GroupDescriptionRow) -> String)) -> Table {
            let ownerWidth = max(owner.title.displayWidth, rows.map { owner.cell($0).displayWidth }.max() ?? 0)
            // Lag in time per partition, after Kafka's columns as describe prints it: where the
            // pane is wide enough and a record waits (the group's line carries it everywhere).
            let time =
                timed
                ? [
                    Column(title: "TIME-LAG", width: 8, alignRight: true, priority: 0),
                    Column(title: "CATCH-UP", width: 8, alignRight: true, priority: 0),
                ] : []
            // While a partition is not read, who holds it and why matter more than its offsets.
            let pause = paused ? [Column(title: "PAUSED", width: 9, priority: 9)] : []
            let (offsetPriority, ownerPriority) = paused ? (7, 8) : (8, 1)
            return Table(
                [
                    Column(title: "TOPIC", width: topicWidth, priority: 9),
                    Column(title: "P", width: 1, alignRight: true, priority: 9),
                    Column(
                        title: compact ? "CURRENT" : "CURRENT-OFFSET", width: compact ? 7 : 14, alignRight: true,
                        priority: offsetPriority),
                    Column(
                        title: compact ? "LOG-END" : "LOG-END-OFFSET", width: compact ? 7 : 14, alignRight: true,
                        priority: offsetPriority),
                    Column(title: "LAG", width: 5, alignRight: true, priority: 9),
                    Column(title: owner.title, width: ownerWidth, priority: ownerPriority, flexible: true),
                ] + pause + time, width: width, ellipsis: glyphs.ellipsis)
        }
        for form in forms {
            let fitted = table(form)
            if fitted.width(of: 5) != nil { return (fitted, form.cell) }
        }
        return (table(forms[forms.count - 1]), { _ in "" })
    }
}

extension PaneBuilder {
    /// A record a second or two old is the flow working; one that has waited longer is news.
    static let newsworthyWait = VirtualDuration.seconds(2)

    /// A group with records waiting: how long the oldest has waited and when, at the rate its
    /// commits moved over the last seconds, the lag is consumed (∞: no commit) — the lag a
    /// business reads. One line, shortened by parts at 80 columns.
    func timeLagLines(_ group: Snapshot.GroupRow) -> [Line] {
        guard let time = group.timeLag, time.catchUp != .caughtUp, time.oldest >= Self.newsworthyWait else { return [] }
        let ageStyle: Style = group.growing.contains(true) ? .fg(.red, bold: true) : .bold
        var parts = [
            LinePart(
                Line(" oldest record waited ").appending(shortDuration(time.oldest), ageStyle),
                short: Line(" oldest ").appending(shortDuration(time.oldest), ageStyle), priority: 9)
        ]
        switch time.catchUp {
        case .after(let d):
            parts.append(
                LinePart(
                    Line(" · catch-up ").appending(shortDuration(d), .bold).appending(" at this rate"),
                    short: Line(" · catch-up ").appending(shortDuration(d), .bold), priority: 8))
        case .never:
            let never: Style = .fg(.red, bold: true)
            parts.append(
                LinePart(
                    Line(" · catch-up ").appending("∞", never).appending(": no commit in 10s"),
                    short: Line(" · catch-up ").appending("∞", never), priority: 8))
        case .caughtUp, .unknown:
            break
        }
        return [fitParts(parts, width: width)]
    }
}
