import Simulation

/// The cluster's lines in the Services pane: which brokers are up, and what the producers are
/// going through. With one broker there are none.
extension PaneBuilder {
    /// The brokers line, then the producers' line once a send was refused or waits.
    func clusterLines() -> [Line] {
        guard !snapshot.brokers.isEmpty else { return [] }
        return [brokersLine()] + (producersLine().map { [$0] } ?? [])
    }

    /// A dead broker, a refused or waiting send, an offline partition or a lost acknowledged
    /// record: the brokers lesson is on, and its lines go first.
    var clusterNeedsAttention: Bool {
        if snapshot.brokers.contains(where: { !$0.up || $0.stalled }) || snapshot.acknowledgedRecordsLost > 0 {
            return true
        }
        guard let cluster = snapshot.cluster else { return false }
        return cluster.retrying > 0 || cluster.gaveUp > 0 || cluster.waitingForLeader > 0
            || cluster.metrics.offlinePartitionsCount > 0
    }

    /// "brokers 1 down · 2 up · 3 up  acked+lost 8": each broker of a cluster, and the records a
    /// producer was told were written that a shorter leader's log removed.
    func brokersLine() -> Line {
        let full = brokersLine(terse: false).reduce(Line()) { $0.appending(line: $1.long) }
        return full.displayWidth <= width ? full : fitParts(brokersLine(terse: true), width: width)
    }

    /// Terse: only the brokers that are down or slow ("brokers 1 fenced · 2,3 slow · lost 8"),
    /// for a narrow pane, as parts: too narrow still, the offline count goes whole first, then
    /// the lost count (the Invariants pane counts it too).
    private func brokersLine(terse: Bool) -> [LinePart] {
        var line = Line("brokers ", .bold)
        var parts: [LinePart] = []
        if terse {
            // Only the brokers that are not plainly up, as "<ids> <state>", brokers in the same
            // state together: "2,3 slow" names brokers, never a count.
            var groups: [(ids: [Int], word: String, style: Style)] = []
            for b in snapshot.brokers where !b.up || b.stalled {
                let (word, style) = state(of: b, terse: true)
                if let i = groups.firstIndex(where: { $0.word == word }) {
                    groups[i].ids.append(b.id)
                } else {
                    groups.append(([b.id], word, style))
                }
            }
            if groups.isEmpty { line = line.appending("all up") }
            for (i, group) in groups.enumerated() {
                let ids = group.ids.map(String.init).joined(separator: ",")
                let part = Line(i > 0 ? " · " : "", .dim).appending("\(ids) \(group.word)", group.style)
                if i == 0 { line = line.appending(line: part) } else { parts.append(LinePart(part, priority: 9)) }
            }
        } else {
            for (i, b) in snapshot.brokers.enumerated() {
                if i > 0 { line = line.appending(" · ", .dim) }
                let (word, style) = state(of: b, terse: false)
                line = line.appending("\(b.id) \(word)", style)
            }
        }
        if let offline = snapshot.cluster?.metrics.offlinePartitionsCount, offline > 0 {
            parts.append(
                LinePart(
                    Line(terse ? " · off " : " · offline ", .dim).appending(String(offline), .fg(.red, bold: true)),
                    priority: 7))
        }
        if snapshot.acknowledgedRecordsLost > 0 {
            parts.append(
                LinePart(
                    Line(terse ? " · lost " : "  acked+lost ", .dim).appending(
                        String(snapshot.acknowledgedRecordsLost), .fg(.red, bold: true)), priority: 8))
        }
        return [LinePart(line, priority: 10)] + parts
    }

    /// A broker's state in Kafka's words: up, slow (its fetcher stalled), dead and not yet
    /// fenced (with the seconds until the controller fences it), restarting (waiting for the
    /// old session to expire), fenced.
    private func state(of b: Snapshot.BrokerRow, terse: Bool) -> (String, Style) {
        switch b.liveness {
        case .running: return b.stalled ? ("slow", .fg(.yellow, bold: true)) : ("up", .plain)
        case .unresponsive(let fencedAt):
            let left = secondsUntil(fencedAt, from: snapshot.now)
            return (terse ? "dead \(left)s" : "dead, fenced in \(left)s", .fg(.red, bold: true))
        case .restarting: return ("restarting", .fg(.yellow, bold: true))
        case .fenced: return ("fenced", .fg(.red, bold: true))
        }
    }

    /// "acks=all · NotEnoughReplicas 412 · 5 gave up · 5 retrying": the producers' acks, the
    /// brokers' most frequent error by Kafka's name, the sends waiting and the ones given up.
    /// Nil while every send is answered at once.
    func producersLine() -> Line? {
        guard let cluster = snapshot.cluster,
            cluster.retrying > 0 || cluster.gaveUp > 0 || cluster.waitingForLeader > 0 || !cluster.errors.isEmpty
        else { return nil }
        var parts = producerParts(cluster)
        let full = parts.reduce(Line("acks=\(cluster.acks.rawValue)", .bold)) {
            $0.appending(" · ", .dim).appending($1.text, $1.style)
        }
        if full.displayWidth <= width { return full }
        // Narrow: the error's name first (it is what production logs show), then what the
        // services got (gave up), then what still waits: the last parts go first.
        var line = Line()
        repeat {
            line = parts.enumerated().reduce(Line()) {
                $0.appending($1.offset == 0 ? "" : " · ", .dim).appending($1.element.text, $1.element.style)
            }
            if line.displayWidth <= width || parts.count == 1 { break }
            parts.removeLast()
        } while true
        return line
    }

    private func producerParts(_ cluster: Snapshot.ClusterRow) -> [(text: String, style: Style)] {
        var parts: [(text: String, style: Style)] = []
        if let (name, count) = cluster.errors.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) {
            parts.append(("\(name) \(count)", .fg(.red, bold: true)))
        }
        if cluster.gaveUp > 0 { parts.append(("\(cluster.gaveUp) gave up", .fg(.red, bold: true))) }
        if cluster.retrying > 0 { parts.append(("\(cluster.retrying) retrying", .fg(.yellow, bold: true))) }
        if cluster.waitingForLeader > 0 {
            parts.append(("\(cluster.waitingForLeader) wait for a leader", .fg(.yellow, bold: true)))
        }
        return parts
    }
}
