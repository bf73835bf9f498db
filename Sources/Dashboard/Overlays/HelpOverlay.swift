/// Every binding of the key table with its help text (a conditional one says when it works,
/// "scenario: …"); in two columns when one would not fit the terminal.
struct HelpOverlay {
    var glyphs: Glyphs

    func draw(on grid: inout Grid) {
        let bindings = Keymap.bindings
        let labelWidth = bindings.map(\.label.displayWidth).max() ?? 4
        let entries = bindings.map { b in
            Line(" " + b.label.padded(to: labelWidth) + " ", .fg(.cyan, bold: true))
                .appending(b.help)
        }
        let notes = [
            Line(), Line(" k always kills; the arrows scroll the pane Tab focused.", .dim),
            Line(" ? or Esc closes this help.", .dim),
        ]
        var lines: [Line]
        let width: Int
        if entries.count + notes.count <= grid.height - 4 {
            lines = entries
            width = min(grid.width - 4, 64)
        } else {
            let rows = (entries.count + 1) / 2
            width = min(grid.width - 2, 2 * 44 + 2)
            let columnWidth = (width - 2) / 2
            lines = (0..<rows).map { r in
                let left = entries[r].clipped(to: columnWidth)
                let right = r + rows < entries.count ? entries[r + rows] : Line()
                return left.padded(to: columnWidth).appending(line: right)
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
