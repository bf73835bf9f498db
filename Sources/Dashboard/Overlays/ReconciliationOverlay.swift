import Services
import Simulation

/// The last sweep, class by class under the anomalies' one names, with the first order ids of each.
struct ReconciliationOverlay {
    var sweep: ReconciliationReport
    var glyphs: Glyphs

    func draw(on grid: inout Grid) {
        var lines = [Line(" taken at \(sweep.at) · \(sweep.ordersChecked) orders checked", .dim)]
        if let from = sweep.logCheckedFrom {
            lines.append(Line(" the log starts at \(from): older orders not checked against it", .dim))
        }
        if let n = sweep.republished {
            lines.append(
                Line(" repair republished \(n) OrderCreatedEvent\(n == 1 ? "" : "s")", .fg(.green, bold: true)))
        }
        lines.append(Line())
        // Each row: mark, count, name and meaning take 62 columns; order ids share the rest.
        let idCount = max(1, (min(grid.width - 4, 96) - 2 - 62) / 9)
        for c in sweep.classes {
            let color: Color = c.orders.isEmpty ? .green : .red
            let ids =
                c.orders.prefix(idCount).map { shortOrderId($0) }.joined(separator: " ")
                + (c.orders.count > idCount ? " " + glyphs.ellipsis : "")
            lines.append(
                Line(" " + String(glyphs.dot) + " ", .fg(color, bold: true))
                    .appending(String(c.orders.count).padded(to: 5, alignRight: true) + " ", .fg(color, bold: true))
                    .appending(c.anomaly.rawValue.padded(to: 23), c.orders.isEmpty ? .plain : .bold)
                    .appending(c.anomaly.meaning.padded(to: 30), .dim)
                    .appending(ids))
        }
        lines.append(Line())
        // The keys line whole at any width the box takes: a shorter wording before a cut one.
        let room = min(grid.width - 4, 96) - 2
        let keys = [
            " R republishes the ordersWithoutEvent · r or Esc closes · re-swept every virtual second",
            " R republishes ordersWithoutEvent · r or Esc closes · re-swept each second",
            " R republishes · r or Esc closes",
        ]
        lines.append(Line(keys.first { $0.displayWidth <= room } ?? keys[keys.count - 1], .dim))
        OverlayBox(title: "Reconciliation", lines: lines, maxWidth: 96, glyphs: glyphs).draw(on: &grid)
    }
}
