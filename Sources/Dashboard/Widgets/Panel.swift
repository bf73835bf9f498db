/// A bordered pane with its title in the top border. A focused pane is drawn bold and cyan with
/// a marker before its title, so the class can see where the arrow keys go.
struct Panel {
    var title: String
    var focused: Bool
    /// Extra text right-aligned in the top border, e.g. a scroll position.
    var note: String = ""

    func draw(in rect: Rect, on grid: inout Grid, glyphs: Glyphs) {
        guard rect.width >= 2 && rect.height >= 2 else { return }
        let style = focused ? Style(foreground: .cyan, bold: true) : Style.plain
        let h = String(glyphs.horizontal)
        grid.put(String(glyphs.topLeft) + String(repeating: h, count: rect.width - 2) + String(glyphs.topRight),
                 x: rect.x, y: rect.y, style: style)
        for y in rect.y + 1..<rect.maxY - 1 {
            grid.put(String(glyphs.vertical), x: rect.x, y: y, style: style)
            grid.put(String(glyphs.vertical), x: rect.maxX - 1, y: y, style: style)
        }
        grid.put(String(glyphs.bottomLeft) + String(repeating: h, count: rect.width - 2) + String(glyphs.bottomRight),
                 x: rect.x, y: rect.maxY - 1, style: style)
        let label = " " + (focused ? glyphs.focus + " " : "") + title + " "
        let end = grid.put(label.clipped(to: rect.width - 4, ellipsis: glyphs.ellipsis), x: rect.x + 2, y: rect.y,
                           style: Style(foreground: focused ? .cyan : .default, bold: true))
        if !note.isEmpty {
            let text = " \(note) "
            let x = rect.maxX - 2 - text.displayWidth
            if x > end { grid.put(text, x: x, y: rect.y, style: style) }
        }
    }
}

/// A one-line chart of the last values, scaled to the largest: appends or lag over a minute.
func sparkline(_ values: [Int64], width: Int, glyphs: Glyphs) -> String {
    guard width > 0 else { return "" }
    let shown = values.suffix(width)
    let top = shown.max() ?? 0
    let levels = glyphs.levels
    let chars = shown.map { v -> Character in
        guard top > 0, v > 0 else { return " " }
        return levels[min(levels.count - 1, Int((Double(v) / Double(top)) * Double(levels.count - 1) + 0.999))]
    }
    return String(repeating: " ", count: width - chars.count) + String(chars)
}

/// A proportional bar of `width` columns.
func bar(_ value: Int, of total: Int, width: Int, glyphs: Glyphs) -> String {
    guard width > 0 else { return "" }
    let filled = total > 0 ? Int((Double(value) / Double(total) * Double(width)).rounded(.up)) : 0
    return String(repeating: glyphs.barFull, count: min(width, filled)) + String(repeating: glyphs.barEmpty, count: width - min(width, filled))
}

/// A table column: it keeps its width while it fits; a lower priority column is dropped first
/// on a narrow pane, and a flexible column takes what is left.
struct Column {
    var title: String
    var width: Int
    var alignRight = false
    var priority = 0
    var flexible = false
}

/// Picks the columns that fit `width` (one space between columns) and their widths.
func fitColumns(_ columns: [Column], width: Int) -> [(index: Int, width: Int)] {
    var kept = Array(columns.indices)
    func used(_ set: [Int]) -> Int { set.reduce(0) { $0 + columns[$1].width } + max(0, set.count - 1) }
    while used(kept) > width, kept.count > 1,
          let drop = kept.min(by: { (columns[$0].priority, -$0) < (columns[$1].priority, -$1) }) {
        kept.removeAll { $0 == drop }
    }
    let spare = max(0, width - used(kept))
    return kept.map { i in (i, columns[i].width + (columns[i].flexible ? spare : 0)) }
}

func tableRow(_ cells: [String], _ columns: [Column], _ fitted: [(index: Int, width: Int)]) -> String {
    fitted.map { cells[$0.index].padded(to: $0.width, alignRight: columns[$0.index].alignRight) }.joined(separator: " ")
}
