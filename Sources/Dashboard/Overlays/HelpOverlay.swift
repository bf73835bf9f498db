/// Every binding of the key table with its help text (a conditional one says when it works,
/// "scenario: …"); in two columns when one would not fit the terminal. The brokers keys show
/// only while the cluster runs, the redrive key only with dead-letter topics: without them they
/// do nothing, and 80×24 has no row to spare.
struct HelpOverlay {
    var glyphs: Glyphs
    var context: BindingContext

    func draw(on grid: inout Grid) {
        // Neighbouring bindings that do the same (Up and Down, PgUp and PgDn) share a row.
        var rows: [(label: String, help: String)] = []
        for b in Keymap.bindings
        where b.enabled == .always || b.enabled == .scenarioPlaying || b.enabled.holds(in: context) {
            if let last = rows.last, last.help == b.help {
                rows[rows.count - 1].label += " " + b.label
            } else {
                rows.append((b.label, b.help))
            }
        }
        // Labels are padded to the widest in their own column.
        func entries(_ rows: ArraySlice<(label: String, help: String)>) -> [Line] {
            let labelWidth = rows.map(\.label.displayWidth).max() ?? 4
            return rows.map { row in
                Line(" " + row.label.padded(to: labelWidth) + " ", .fg(.cyan, bold: true)).appending(row.help)
            }
        }
        let notes = [
            Line(), Line(" k always kills; the arrows scroll the pane Tab focused.", .dim),
            Line(" ? or Esc closes this help.", .dim),
        ]
        var lines: [Line]
        let width: Int
        if rows.count + notes.count <= grid.height - 4 {
            lines = entries(rows[...])
            width = min(grid.width - 4, 64)
        } else {
            let half = (rows.count + 1) / 2
            let left = entries(rows[..<half])
            let right = entries(rows[half...])
            width = min(grid.width - 2, 2 * 44 + 2)
            let columnWidth = (width - 2) / 2
            lines = (0..<half).map { r in
                left[r].clipped(to: columnWidth).padded(to: columnWidth).appending(
                    line: r < right.count ? right[r] : Line())
            }
        }
        // Every binding always shows; the notes shrink to one line, or go, when room is short.
        let room = grid.height - 4
        if lines.count + notes.count <= room {
            lines += notes
        } else if lines.count < room {
            lines.append(Line(" ? or Esc closes · k always kills · arrows scroll the focused pane", .dim))
        }
        OverlayBox(title: "Keys", lines: lines, maxWidth: width, glyphs: glyphs).draw(on: &grid, margin: 0)
    }
}
