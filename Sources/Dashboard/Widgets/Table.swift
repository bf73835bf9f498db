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
        let drop = kept.min(by: { (columns[$0].priority, -$0) < (columns[$1].priority, -$1) })
    {
        kept.removeAll { $0 == drop }
    }
    let spare = max(0, width - used(kept))
    return kept.map { i in (i, columns[i].width + (columns[i].flexible ? spare : 0)) }
}

/// Columns fitted to a pane's width once, then rows laid into them cell by cell, each cell in
/// a style of its own: what lets a pane colour one cell (a state, a growing lag) of a row.
struct Table {
    let columns: [Column]
    let fitted: [(index: Int, width: Int)]
    /// Cut cells longer than their column with this mark; nil lets a long cell run into the next.
    var ellipsis: String?

    init(_ columns: [Column], width: Int, ellipsis: String? = nil) {
        self.columns = columns
        self.fitted = fitColumns(columns, width: width)
        self.ellipsis = ellipsis
    }

    /// The width the column got, or nil when it was dropped.
    func width(of column: Int) -> Int? { fitted.first { $0.index == column }?.width }

    /// The titles, dimmed; `titles` replaces the columns' own titles where given.
    func header(_ titles: [String]? = nil) -> Line {
        row(titles ?? columns.map(\.title)) { _ in .dim }
    }

    /// One row: a cell per column (cells of dropped columns are skipped), styled by `style`.
    func row(_ cells: [String], style: (Int) -> Style = { _ in .plain }) -> Line {
        var line = Line()
        for (n, f) in fitted.enumerated() {
            let raw = f.index < cells.count ? cells[f.index] : ""
            let text = ellipsis.map { raw.clipped(to: f.width, ellipsis: $0) } ?? raw
            line = line.appending(
                text.padded(to: f.width, alignRight: columns[f.index].alignRight) + (n < fitted.count - 1 ? " " : ""),
                style(f.index))
        }
        return line
    }

    /// One row in a single style.
    func row(_ cells: [String], _ style: Style) -> Line { row(cells) { _ in style } }
}
