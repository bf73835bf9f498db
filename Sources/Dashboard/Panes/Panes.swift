import Bus
import Events
import Services
import Simulation

/// Builds each pane's lines from a snapshot. `width` is the pane's inner width; `compact` is the
/// 80×24 layout, which drops what does not fit rather than wrapping it.
struct PaneBuilder {
    let snapshot: Snapshot
    let state: DashboardState
    let config: OrderflowConfig
    let glyphs: Glyphs
    let width: Int
    let compact: Bool
    var scenario: ScenarioProgress? = nil
    /// The pane's inner height, for panes that choose what to show by the room they have.
    var height = Int.max

    func content(for pane: PaneID) -> PaneContent {
        switch pane {
        case .orders: orders()
        case .topics: topics()
        case .consumerGroups: consumerGroups()
        case .services: services()
        case .events: events()
        case .invariants: invariants()
        case .narration: narration()
        }
    }

    // MARK: Orders

    static func color(of status: OrderStatus) -> Color {
        switch status {
        case .pendingPayment: .yellow
        case .confirmed: .green
        case .paymentFailed: .red
        case .cancelled: .magenta
        }
    }

    func orders() -> PaneContent {
        var content = PaneContent()
        let total = snapshot.orderCounts.values.reduce(0, +)
        let countWidth = max(5, String(total).count)
        let barWidth = max(0, width - 16 - countWidth - 2)
        for status in OrderStatus.allCases {
            let n = snapshot.orderCounts[status] ?? 0
            content.fixed.append(Line(status.rawValue.padded(to: 16), .fg(Self.color(of: status), bold: true))
                .appending(String(n).padded(to: countWidth, alignRight: true) + " ")
                .appending(bar(n, of: total, width: barWidth, glyphs: glyphs), .fg(Self.color(of: status))))
        }
        content.fixed.append(Line("rejected ").appending("\(snapshot.rejectedOrders)", snapshot.rejectedOrders > 0 ? .fg(.red, bold: true) : .plain)
            .appending(" · total \(total)"))
        let columns = [Column(title: "ORDER", width: 8, priority: 9), Column(title: "AMOUNT", width: 10, alignRight: true, priority: 5),
                       Column(title: "STATUS", width: 14, priority: 8, flexible: true),
                       Column(title: "AGE", width: 4, alignRight: true, priority: 6)]
        let fitted = fitColumns(columns, width: width)
        content.fixed.append(Line(tableRow(columns.map(\.title), columns, fitted), .dim))
        for order in snapshot.recentOrders.reversed() {
            let cells = [shortId(order.orderId), money(order.amountCents, order.currency), order.status.rawValue,
                         age(snapshot.now - order.createdAt)]
            var line = Line(segments: fitted.map { f in
                Segment(text: cells[f.index].padded(to: f.width, alignRight: columns[f.index].alignRight) + " ",
                        style: f.index == 2 ? .fg(Self.color(of: order.status)) : .plain)
            })
            line.highlight = state.focus == .orders && order.orderId == state.selectedOrderId
            content.body.append(line)
        }
        if snapshot.recentOrders.isEmpty { content.body.append(Line("no orders yet: press o", .dim)) }
        return content
    }

    // MARK: Topics

    func topics() -> PaneContent {
        let columns = [Column(title: "TOPIC", width: 17, priority: 9), Column(title: "P", width: 1, alignRight: true, priority: 9),
                       Column(title: "START", width: 6, alignRight: true, priority: 3),
                       Column(title: "END", width: 7, alignRight: true, priority: 8),
                       Column(title: "REC/S", width: 5, alignRight: true, priority: 5),
                       Column(title: "LAST 60s", width: 8, priority: 4, flexible: true)]
        let fitted = fitColumns(columns, width: width)
        var content = PaneContent(fixed: [Line(tableRow(columns.map(\.title), columns, fitted), .dim)])
        let sparkWidth = fitted.first { $0.index == 5 }?.width ?? 0
        for p in snapshot.partitions {
            let cells = [p.topic, String(p.partition), String(p.logStartOffset), String(p.logEndOffset), String(p.recordsPerSecond),
                         sparkline(p.appendHistory, width: sparkWidth, glyphs: glyphs)]
            content.body.append(Line(tableRow(cells, columns, fitted)))
        }
        return content
    }

    // MARK: Consumer groups

    static func color(of state: GroupState) -> Color {
        switch state {
        case .stable: .green
        case .rebalancing: .yellow
        case .empty: .red
        }
    }

    func consumerGroups() -> PaneContent {
        let columns = [Column(title: "TOPIC", width: 17, priority: 9), Column(title: "P", width: 1, alignRight: true, priority: 9),
                       Column(title: compact ? "CURRENT" : "CURRENT-OFFSET", width: compact ? 7 : 14, alignRight: true, priority: 8),
                       Column(title: compact ? "LOG-END" : "LOG-END-OFFSET", width: compact ? 7 : 14, alignRight: true, priority: 8),
                       Column(title: "LAG", width: 5, alignRight: true, priority: 9),
                       Column(title: "CONSUMER-ID", width: 12, priority: 1, flexible: true)]
        let fitted = fitColumns(columns, width: width)
        var content = PaneContent(fixed: [Line(tableRow(columns.map(\.title), columns, fitted), .dim)])
        for group in snapshot.groups {
            let lag = group.totalLag.map(String.init) ?? "-"
            var head = Line(group.group, .bold).appending(" ").appending(group.state.rawValue, .fg(Self.color(of: group.state), bold: true))
                .appending(" · lag \(lag)")
            let used = head.segments.reduce(0) { $0 + $1.text.displayWidth }
            let spark = min(30, width - used - 1)
            if spark >= 4 { head = head.appending(" " + sparkline(group.lagHistory, width: spark, glyphs: glyphs), .fg(.cyan)) }
            content.body.append(head)
            for (row, growing) in zip(group.rows, group.growing) {
                let lagText = (row.lag.map(String.init) ?? "-") + (growing ? glyphs.up : "")
                let cells = [row.topic, String(row.partition), row.currentOffset.map(String.init) ?? "-", String(row.logEndOffset),
                             lagText, row.consumerId ?? "-"]
                // A row whose lag grows is red, its topic and lag bold: the class's eye goes there first.
                content.body.append(Line(segments: fitted.map { f in
                    Segment(text: cells[f.index].clipped(to: f.width, ellipsis: glyphs.ellipsis)
                        .padded(to: f.width, alignRight: columns[f.index].alignRight) + " ",
                            style: growing ? .fg(.red, bold: f.index == 0 || f.index == 4) : .plain)
                }))
            }
        }
        return content
    }

    // MARK: Services

    func stateText(_ state: InstanceState) -> (String, Color) {
        switch state {
        case .running: ("running", .green)
        case .stopped: ("stopped", .yellow)
        case .killed: ("killed", .red)
        case .crashed(let at):
            ("crashed, back in \(Int(((at - snapshot.now).seconds).rounded(.up)))s", .red)
        }
    }

    /// Grouped by service: a line per service (the order service's with its API state), then a
    /// line per instance with its state, processed count and redeliveries.
    func services() -> PaneContent {
        let columns = [Column(title: "INSTANCE", width: 3, priority: 9), Column(title: "STATE", width: 10, priority: 9, flexible: true),
                       Column(title: "PROCESSED", width: 9, alignRight: true, priority: 8),
                       Column(title: "REDELIV", width: 7, alignRight: true, priority: 7)]
        let fitted = fitColumns(columns, width: width)
        var content = PaneContent(fixed: [Line(tableRow(["", "STATE", "PROCESSED", "REDELIV"], columns, fitted), .dim)])
        for service in ServiceName.allCases {
            var head = Line(service.rawValue, .bold)
            if let hits = snapshot.dedupHits[service], hits > 0 || snapshot.settings.idempotency == .on {
                head = head.appending(" · dedup hits \(hits)", hits > 0 ? .fg(.cyan, bold: true) : .dim)
            }
            if service == .payment && snapshot.killBeforeCommitArmed {
                head = head.appending(" · dies before next commit", .fg(.yellow, bold: true))
            }
            if service == .order {
                head = head.appending(" · API ")
                if let until = snapshot.orderServiceDownUntil {
                    head = head.appending("DOWN, back in \(Int((until - snapshot.now).seconds.rounded(.up)))s", .fg(.red, bold: true))
                } else if snapshot.crashArmed {
                    head = head.appending("up, crash armed", .fg(.yellow, bold: true))
                } else {
                    head = head.appending("up", .fg(.green))
                }
                if let (text, style) = relayText() { head = head.appending(" · ").appending(text, style) }
            }
            content.body.append(head)
            if service == .order, let outbox = outboxLine() { content.body.append(outbox) }
            for instance in snapshot.instances where instance.service == service {
                let (text, color) = stateText(instance.state)
                let number = "#" + (instance.clientId.split(separator: "-").last.map(String.init) ?? "?")
                let cells = [" " + number, text, String(instance.processed), String(instance.redeliveries)]
                content.body.append(Line(segments: fitted.map { f in
                    Segment(text: cells[f.index].clipped(to: f.width, ellipsis: glyphs.ellipsis)
                        .padded(to: f.width, alignRight: columns[f.index].alignRight) + " ",
                            style: f.index == 1 ? .fg(color, bold: true) : f.index == 3 && instance.redeliveries > 0 ? .fg(.yellow) : .plain)
                }))
            }
        }
        if snapshot.pendingRejections > 0 {
            content.body.append(Line("broker ", .bold).appending("rejecting the next \(snapshot.pendingRejections) sends", .fg(.red, bold: true)))
        }
        return content
    }

    /// The outbox is or was in use: only then do its rows and its relay mean anything to the class.
    var outboxInUse: Bool {
        let o = snapshot.outbox
        return snapshot.settings.publish == .outbox || o.pending > 0 || o.published > 0 || o.crashArmed
    }

    /// The outbox under order-service, once the outbox is or was in use: rows waiting and the
    /// oldest one's age.
    func outboxLine() -> Line? {
        let o = snapshot.outbox
        guard outboxInUse else { return nil }
        var line = Line(" outbox ").appending("\(o.pending) pending", o.pending > 0 ? .fg(.yellow, bold: true) : .plain)
        if let since = o.oldestPendingSince { line = line.appending(" · oldest \(age(snapshot.now - since))") }
        return line
    }

    /// The relay's state, for order-service's line (the relay runs in that service).
    func relayText() -> (String, Style)? {
        let o = snapshot.outbox
        guard outboxInUse else { return nil }
        switch o.relay {
        case .running: return o.crashArmed ? ("relay crash armed", .fg(.yellow, bold: true)) : ("relay running", .fg(.green))
        case .crashed(let at): return ("relay crashed \(Int(((at - snapshot.now).seconds).rounded(.up)))s", .fg(.red, bold: true))
        case .down: return nil
        }
    }

    // MARK: Events

    func events() -> PaneContent {
        let columns = [Column(title: "TIME", width: 12, priority: 5), Column(title: "TOPIC", width: 17, priority: 9),
                       Column(title: "P@OFFSET", width: 8, alignRight: true, priority: 8), Column(title: "KEY", width: 8, priority: 6),
                       Column(title: "TYPE", width: 14, priority: 7, flexible: true)]
        let fitted = fitColumns(columns, width: width)
        var content = PaneContent(fixed: [Line(tableRow(columns.map(\.title), columns, fitted), .dim)])
        for r in snapshot.recentRecords.reversed() {
            let cells = [r.timestamp.description, r.topic, "\(r.partition)@\(r.offset)", shortId(r.key), r.eventType]
            let style: Style = switch r.eventType {
            case PaymentFailedEvent.eventType, "Poison": .fg(.red)
            case PaymentCompletedEvent.eventType: .fg(.green)
            default: .plain
            }
            content.body.append(Line(tableRow(cells, columns, fitted), style))
        }
        if snapshot.recentRecords.isEmpty { content.body.append(Line("no records yet", .dim)) }
        return content
    }

    // MARK: Invariants

    func invariantRows() -> [(name: String, count: Int, meaning: String)] {
        let i = snapshot.invariants
        return [
            ("confirmedWithoutPayment", i.confirmedWithoutPayment, "CONFIRMED, never charged"),
            ("emailsWithoutPayment", i.emailsWithoutPayment, "email sent, never charged"),
            ("ordersWithoutEvent", i.ordersWithoutEvent, "no event published: dual write"),
            ("doubleCharges", i.doubleCharges, "charged more than once"),
            ("duplicateEmails", i.duplicateEmails, "emailed more than once"),
            ("refundNeeded", i.refundNeeded, "CANCELLED, then charged"),
            ("stuckPending", i.stuckPending, "PENDING_PAYMENT over \(config.stuckPendingAfter)"),
        ]
    }

    /// One line per invariant, its meaning beside it when the pane is wide enough or beneath
    /// it when it is violated. The compact layout lists violated invariants first.
    func invariants() -> PaneContent {
        var content = PaneContent()
        var rows = invariantRows()
        if compact { rows = rows.filter { $0.count > 0 } + rows.filter { $0.count == 0 } }
        let countWidth = max(3, rows.map { String($0.count).count }.max() ?? 1)
        let nameWidth = rows.map(\.name.count).max() ?? 0
        let besideRoom = width - (2 + countWidth + 1 + nameWidth + 2)
        // Meanings go beneath violated rows only while every row still fits without scrolling.
        var spareLines = height - rows.count
        for row in rows {
            let color: Color = row.count == 0 ? .green : .red
            var line = Line(String(glyphs.dot) + " ", .fg(color, bold: true))
                .appending(String(row.count).padded(to: countWidth, alignRight: true) + " ", .fg(color, bold: true))
                .appending(row.name, row.count == 0 ? .plain : .bold)
            if besideRoom >= row.meaning.count {
                line = line.appending(String(repeating: " ", count: nameWidth - row.name.count + 2) + row.meaning, .dim)
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

    // MARK: Narration

    /// "Step 2 of 5 — …" and what comes next; in guided mode, the key that goes on.
    func narration() -> PaneContent {
        guard let scenario else { return PaneContent() }
        var content = PaneContent(fixed: [Line(scenario.name, .bold).appending(scenario.guided ? " · guided" : "", .dim)])
        if let current = scenario.current {
            let prefix = "Step \(current.number) of \(scenario.narratedSteps) — "
            for (n, text) in (prefix + current.text).wrapped(to: width).enumerated() {
                if n == 0 && text.hasPrefix(prefix) {
                    content.body.append(Line(prefix, .fg(.magenta, bold: true)).appending(String(text.dropFirst(prefix.count))))
                } else {
                    content.body.append(Line(text))
                }
            }
        } else {
            content.body += scenario.description.wrapped(to: width).map { Line($0) }
        }
        let status = if scenario.waiting {
            Line("paused here · g: next step", .fg(.magenta, bold: true))
        } else if let next = scenario.nextStepAt {
            Line("next step at \(next)", .dim)
        } else {
            Line("every step has run; the flow runs on", .dim)
        }
        // The compact pane has four lines: the name and a shorter status share one.
        if compact {
            let short = scenario.waiting ? Line("g: next step", .fg(.magenta, bold: true))
                : scenario.nextStepAt.map { Line("next at \($0)", .dim) } ?? Line("all steps run", .dim)
            content.fixed = [Line(scenario.name, .bold).appending(" · ").appending(line: short)]
        } else {
            content.fixed.append(status)
        }
        return content
    }

    // MARK: Formatting

    func money(_ cents: Int, _ currency: String) -> String {
        let frac = String(cents % 100)
        return "\(cents / 100).\(frac.count == 1 ? "0" + frac : frac) \(currency)"
    }

    func age(_ d: VirtualDuration) -> String {
        let s = max(0, d.milliseconds / 1000)
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        return "\(s / 3600)h"
    }
}
