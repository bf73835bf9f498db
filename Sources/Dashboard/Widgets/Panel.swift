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
        grid.put(
            String(glyphs.topLeft) + String(repeating: h, count: rect.width - 2) + String(glyphs.topRight),
            x: rect.x, y: rect.y, style: style)
        for y in rect.y + 1..<rect.maxY - 1 {
            grid.put(String(glyphs.vertical), x: rect.x, y: y, style: style)
            grid.put(String(glyphs.vertical), x: rect.maxX - 1, y: y, style: style)
        }
        grid.put(
            String(glyphs.bottomLeft) + String(repeating: h, count: rect.width - 2) + String(glyphs.bottomRight),
            x: rect.x, y: rect.maxY - 1, style: style)
        let label = " " + (focused ? glyphs.focus + " " : "") + title + " "
        let end = grid.put(
            label.clipped(to: rect.width - 4, ellipsis: glyphs.ellipsis), x: rect.x + 2, y: rect.y,
            style: Style(foreground: focused ? .cyan : .default, bold: true))
        if !note.isEmpty {
            let text = " \(note) "
            let x = rect.maxX - 2 - text.displayWidth
            if x > end { grid.put(text, x: x, y: rect.y, style: style) }
        }
    }
}
