/// A bordered box drawn over the panes, centred, sized to its lines up to the room there is.
struct OverlayBox {
    var title: String
    var lines: [Line]
    /// The widest the box may be; it is never wider than the terminal allows.
    var maxWidth: Int
    var glyphs: Glyphs

    func draw(on grid: inout Grid, margin: Int = 4) {
        let width = min(grid.width - margin, maxWidth)
        let height = min(grid.height - 2, lines.count + 2)
        let rect = Rect(x: (grid.width - width) / 2, y: (grid.height - height) / 2, width: width, height: height)
        grid.fill(rect)
        _ = grid.draw(PaneContent(body: lines), in: rect.inner, offset: 0)
        Panel(title: title, focused: true).draw(in: rect, on: &grid, glyphs: glyphs)
    }
}
