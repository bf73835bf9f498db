import Bus
import Events
import Services
import Simulation

extension PaneBuilder {
    /// Grouped by service, those with an instance down first: a line per service (the order
    /// service's with its API and relay state), then a line per instance with its state,
    /// processed count and redeliveries. Short of room, a healthy service collapses to one line
    /// that counts its instances by state; a service that needs attention never does.
    func services() -> PaneContent {
        let table = Table(
            [
                Column(title: "", width: 3, priority: 9),
                Column(title: "STATE", width: 10, priority: 9, flexible: true),
                Column(title: "PROCESSED", width: 9, alignRight: true, priority: 8),
                Column(title: "REDELIV", width: 7, alignRight: true, priority: 7),
            ], width: width, ellipsis: glyphs.ellipsis)
        let services = attentionFirst(ServiceName.allCases, name: \.rawValue, attention: needsAttention)
        let cluster = clusterLines()
        let extra = (outboxLine() == nil ? 0 : 1) + (rejectedSendsLine() == nil ? 0 : 1) + cluster.count
        let instances = services.map { service in snapshot.instances.filter { $0.service == service } }
        let expanded = expansion(
            expandedLines: instances.map { 1 + $0.count }, attention: services.map(needsAttention),
            room: height - 1 - extra, focused: state.focus == .services)
        var content = PaneContent()
        // A dead broker, a refused send or a lost acknowledged record is the lesson: it goes first.
        let clusterFirst = clusterNeedsAttention
        // The column titles only mean something above instance rows.
        if expanded.contains(true) { content.fixed = [table.header()] }
        if clusterFirst { content.fixed.insert(contentsOf: cluster, at: 0) }
        // Lines the plan leaves free: a folded service too wide for one line (those that need
        // attention first) takes one of them for its instances, rather than drop a mark.
        var spare =
            height - content.fixed.count - (clusterFirst ? extra - cluster.count : extra)
            - zip(instances, expanded).map { rows, expand in expand ? 1 + rows.count : 1 }.reduce(0, +)
        if expanded.contains(true) { spare -= 1 }
        for ((service, rows), expand) in zip(zip(services, instances), expanded) {
            // Folded, the instances' summary is one more part: too wide, the service's least
            // pressing mark goes whole before the summary does, and neither is cut.
            let folded = fitParts(serviceParts(service) + [LinePart(summary(rows), priority: 6)], width: width)
            let full = serviceLine(service).appending(line: summary(rows))
            if !expand && spare > 0 && full.displayWidth > width {
                // The marks the first line has no room for follow the summary on the second.
                let (first, left) = fitPartsLeaving(serviceParts(service), width: width)
                content.body.append(first)
                content.body.append(
                    fitParts(
                        [LinePart(Line(" ").appending(line: summary(rows, separator: "")), priority: 10)] + left,
                        width: width))
                spare -= 1
            } else {
                content.body.append(expand ? serviceLine(service) : folded)
            }
            if service == .order, let outbox = outboxLine() { content.body.append(outbox) }
            guard expand else { continue }
            for instance in rows {
                var (text, color) = instanceText(instance)
                // A state that does not fit its column takes its terse form rather than lose its number.
                if case .crashed(let at) = instance.state, text.count > (table.width(of: 1) ?? 0) {
                    text = "crashed \(secondsUntil(at, from: snapshot.now))s"
                }
                let cells = [" #\(instance.number)", text, String(instance.processed), String(instance.redeliveries)]
                content.body.append(
                    table.row(cells) { column in
                        if column == 1 { return .fg(color, bold: true) }
                        return column == 3 && instance.redeliveries > 0 ? .fg(.yellow) : .plain
                    })
            }
        }
        if let broker = rejectedSendsLine() { content.body.append(broker) }
        if !clusterFirst { content.body += cluster }
        return content
    }

    /// The broker's refusals: how many sends it refused (each a publish that did not happen
    /// then), and how many more it will refuse.
    func rejectedSendsLine() -> Line? {
        guard snapshot.rejectedSends > 0 || snapshot.pendingRejections > 0 else { return nil }
        var line = Line("broker ", .bold)
        if snapshot.rejectedSends > 0 {
            line = line.appending(
                "rejected \(snapshot.rejectedSends) send\(snapshot.rejectedSends == 1 ? "" : "s")",
                .fg(.red, bold: true))
        }
        if snapshot.pendingRejections > 0 {
            line = line.appending(snapshot.rejectedSends > 0 ? " · " : "")
                .appending("rejects the next \(snapshot.pendingRejections)", .fg(.red, bold: true))
        }
        return line
    }

    /// A collapsed service's instances by state: " · #1 #2 stopped", " · 2 running".
    private func summary(_ rows: [Snapshot.InstanceRow], separator first: String = " · ") -> Line {
        var states: [(word: String, color: Color, numbers: [Int])] = []
        for row in rows {
            // An instance out of its group is what a poll-interval lesson is about: it keeps its number.
            let (text, color) = row.outOfGroup ? ("out of group", Color.red) : stateText(row.state)
            let word = String(text.split(separator: ",").first ?? Substring(text))
            if let i = states.firstIndex(where: { $0.word == word }) {
                states[i].numbers.append(row.number)
            } else {
                states.append((word, color, [row.number]))
            }
        }
        return states.reduce(Line()) { line, state in
            // Down instances by number, the ones at work by count: the numbers are what the story names.
            let numbers =
                state.word == "running"
                ? String(state.numbers.count) : state.numbers.map { "#\($0)" }.joined(separator: " ")
            return line.appending(line.segments.isEmpty ? first : " · ").appending(
                "\(numbers) \(state.word)", .fg(state.color, bold: state.color != .green))
        }
    }

    /// The service's name and its marks, each in words where the pane is wide enough and terse
    /// where not (`fitParts`): what a lesson points at (the API down and for how long, an armed
    /// kill, a member out of its group) outlasts the dedup count, and nothing is cut mid-number.
    private func serviceLine(_ service: ServiceName) -> Line { fitParts(serviceParts(service), width: width) }

    private func serviceParts(_ service: ServiceName) -> [LinePart] {
        var parts = [LinePart(Line(service.rawValue, .bold), priority: 10)]
        if let hits = snapshot.dedupHits[service], hits > 0 || snapshot.settings.idempotency == .on {
            let style: Style = hits > 0 ? .fg(.cyan, bold: true) : .dim
            // A hit is what an idempotency lesson points at: it outlasts the instances' summary.
            parts.append(
                LinePart(
                    Line(" · dedup hits \(hits)", style), short: Line(" · dedup \(hits)", style),
                    priority: hits > 0 ? 7 : 3))
        }
        if service == .payment && snapshot.killBeforeCommitArmed {
            let style: Style = .fg(.yellow, bold: true)
            parts.append(
                LinePart(Line(" · dies before next commit", style), short: Line(" · kill armed", style), priority: 8))
        }
        if service == .payment && snapshot.providerSlowdown > 1 {
            let style: Style = .fg(.yellow, bold: true)
            parts.append(
                LinePart(
                    Line(" · provider \(snapshot.providerSlowdown)× slow", style),
                    short: Line(" · slow", style), priority: 7))
        }
        parts += deadLetterParts(service)
        let left = snapshot.instances.filter { $0.service == service }.map(\.pollIntervalExceeded).reduce(0, +)
        if left > 0 {
            let style: Style = .fg(.red, bold: true)
            parts.append(
                LinePart(
                    Line(" · max.poll.interval exceeded \(left)×", style), short: Line(" · left \(left)×", style),
                    priority: 9))
        }
        if service == .order {
            if let until = snapshot.orderServiceDownUntil {
                let style: Style = .fg(.red, bold: true)
                let back = secondsUntil(until, from: snapshot.now)
                parts.append(
                    LinePart(
                        Line(" · API ").appending("DOWN, back in \(back)s", style),
                        short: Line(" · API ").appending("DOWN \(back)s", style), priority: 9))
            } else if snapshot.crashArmed {
                let style: Style = .fg(.yellow, bold: true)
                parts.append(
                    LinePart(
                        Line(" · API ").appending("up, crash armed", style), short: Line(" · crash armed", style),
                        priority: 8))
            } else {
                parts.append(LinePart(Line(" · API ").appending("up", .fg(.green)), priority: 5))
            }
        }
        return parts
    }

    /// The error handler's work: the record it is retrying (where, and how many of the retries
    /// it has had) and the records it sent to a dead-letter topic. What the dead-letter lesson
    /// points at, so they outlast the instances' summary.
    private func deadLetterParts(_ service: ServiceName) -> [LinePart] {
        guard let dead = snapshot.deadLetter else { return [] }
        var parts: [LinePart] = []
        let failing = snapshot.instances.filter { $0.service == service && $0.failures > 0 }
        if let worst = failing.max(by: { $0.failures < $1.failures }), let at = worst.failing {
            let style: Style = .fg(.yellow, bold: true)
            let retry = "retry \(min(worst.failures, dead.retries))/\(dead.retries)"
            parts.append(
                LinePart(
                    Line(" · \(retry) \(at.topic)-\(at.partition)@\(at.offset)", style),
                    short: Line(" · \(retry)", style),
                    priority: 9))
        }
        if let sent = dead.sent[service], sent > 0 {
            let style: Style = .fg(.red, bold: true)
            parts.append(
                LinePart(Line(" · dead-lettered \(sent)", style), short: Line(" · DLT \(sent)", style), priority: 8))
        }
        return parts
    }

    /// A running instance shows its batch, or that it is out of its group without knowing it.
    func instanceText(_ instance: Snapshot.InstanceRow) -> (String, Color) {
        guard instance.state == .running else { return stateText(instance.state) }
        if instance.outOfGroup, let batch = instance.batch {
            return ("out of group \(batch.done)/\(batch.of)", .red)
        }
        if let batch = instance.batch, batch.of > 1 { return ("running, batch \(batch.done)/\(batch.of)", .green) }
        return stateText(instance.state)
    }

    func stateText(_ state: InstanceState) -> (String, Color) {
        switch state {
        case .running: ("running", .green)
        case .stopped: ("stopped", .yellow)
        case .killed: ("killed", .red)
        case .crashed(let at): ("crashed, back in \(secondsUntil(at, from: snapshot.now))s", .red)
        }
    }

    /// The outbox is or was in use: only then do its rows and its relay mean anything to the class.
    var outboxInUse: Bool {
        let o = snapshot.outbox
        return snapshot.settings.publish == .outbox || o.pending > 0 || o.published > 0 || o.crashArmed
    }

    /// The outbox under order-service: the relay's state (it runs in that service), the rows
    /// waiting, the oldest one's age, and the passes a refused send cut short.
    func outboxLine() -> Line? {
        let o = snapshot.outbox
        guard outboxInUse else { return nil }
        var parts = [LinePart(Line(compact ? " " : " outbox "), priority: 10)]
        if let (text, style) = relayText() {
            // A relay at work is the healthy case: the rows' age says more; a dead one says most.
            let running = if case .running = o.relay, !o.crashArmed { true } else { false }
            parts.append(
                LinePart(
                    Line(text, style).appending(" · "), short: running ? Line("relay up", style).appending(" · ") : nil,
                    priority: running ? 4 : 9))
        }
        parts.append(
            LinePart(Line("\(o.pending) pending", o.pending > 0 ? .fg(.yellow, bold: true) : .plain), priority: 10))
        if let since = o.oldestPendingSince {
            let old = age(snapshot.now - since)
            parts.append(
                LinePart(
                    Line(compact ? " · \(old) old" : " · oldest \(old)"), short: Line(" · \(old) old"), priority: 6))
        }
        if o.retries > 0 {
            parts.append(
                LinePart(Line(" · \(o.retries) \(o.retries == 1 ? "retry" : "retries")", .fg(.yellow)), priority: 5))
        }
        return fitParts(parts, width: width)
    }

    /// The relay's state, for order-service's line (the relay runs in that service).
    func relayText() -> (String, Style)? {
        let o = snapshot.outbox
        guard outboxInUse else { return nil }
        switch o.relay {
        case .running:
            return o.crashArmed
                ? ("relay crash armed", .fg(.yellow, bold: true))
                : (compact ? "relay up" : "relay running", .fg(.green))
        case .crashed(let at): return ("relay crashed \(secondsUntil(at, from: snapshot.now))s", .fg(.red, bold: true))
        case .down: return ("relay down", .fg(.red, bold: true))
        }
    }
}
