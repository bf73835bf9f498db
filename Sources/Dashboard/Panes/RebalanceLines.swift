import Bus
import Simulation

extension PaneBuilder {
    /// A paused partition's cell: why it is not read and for how long (`rebal 2s`).
    func pauseCell(_ pause: Snapshot.PartitionPause?) -> String {
        guard let pause else { return "-" }
        return "\(pause.status.word) \(shortDuration(snapshot.now - pause.since))"
    }

    /// The group's latest rolling deploy and its bill: the numbers the rolling-deploy lesson
    /// compares (the report lists every deploy). One line: the partitions stay in view.
    func rebalanceLines(_ group: Snapshot.GroupRow) -> [Line] {
        var lines: [Line] = []
        if let deploy = group.deploys.last {
            let n = group.deploys.count
            var parts = [LinePart(Line(" deploy \(n) ").appending(deploy.how, .bold), priority: 9)]
            if let pauses = deploy.pauses {
                parts.append(
                    LinePart(
                        Line(": paused ").appending(partitionSeconds(pauses.paused), .bold).appending(" partition-s"),
                        short: Line(": ").appending(partitionSeconds(pauses.paused), .bold).appending(" p-s"),
                        priority: 8))
                parts.append(
                    LinePart(
                        Line(" · \(pauses.rebalances) rebalance\(pauses.rebalances == 1 ? "" : "s")"),
                        short: Line(" · \(pauses.rebalances) rebal"), priority: 7))
                let twice = deploy.redeliveries ?? 0
                parts.append(
                    LinePart(
                        Line(" · ").appending("\(twice)", twice > 0 ? .fg(.red, bold: true) : .plain).appending(
                            " read twice"),
                        short: Line(" · ").appending("\(twice)", .plain).appending("×2"), priority: 6))
            } else {
                parts.append(LinePart(Line(": under way", .fg(.yellow)), priority: 8))
            }
            lines.append(fitParts(parts, width: width))
        }
        return lines
    }
}

/// Partition-time in seconds with one decimal: `20.8`.
func partitionSeconds(_ d: VirtualDuration) -> String {
    let tenths = (d.milliseconds + 50) / 100
    return "\(tenths / 10).\(tenths % 10)"
}

extension PartitionStatus {
    /// The pane's word for a paused partition, short enough for the 80-column pane (the
    /// help spells them out).
    var word: String {
        switch self {
        case .consuming: "reading"
        case .rebalancing: "rebal"
        case .ownerAway: "away"
        case .unassigned: "none"
        }
    }
}
