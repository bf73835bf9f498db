import Bus
import Simulation

/// A screen as files for slides and recordings: plain text, SVG and ANSI, drawn from the grid
/// the terminal shows, in a theme's colours. Pure: the shell writes what these return.
package enum ScreenExport {
    /// A screen's file name without its extension: the scenario, the narrated step on screen and
    /// the virtual time, such as `outage-312-step04-00h01m00s` (`orderflow-00h01m00s` without one).
    package static func fileStem(scenario: ScenarioProgress?, now: VirtualTime) -> String {
        guard let scenario else { return "orderflow-\(timeStamp(now))" }
        let step = scenario.current.map { $0.number < 10 ? "-step0\($0.number)" : "-step\($0.number)" } ?? "-start"
        return safeFileName(scenario.name) + step + "-" + timeStamp(now)
    }

    /// `00h02m05s`: sorts by time and reads without a colon (which some file systems refuse).
    package static func timeStamp(_ t: VirtualTime) -> String {
        let s = max(0, t.milliseconds) / 1000
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(s / 3600))h\(two(s / 60 % 60))m\(two(s % 60))s"
    }

    /// A scenario names itself (`name:`): only its letters, digits, `.`, `_` and `-` reach a file
    /// name, at most 60 of them, never a leading dot.
    package static func safeFileName(_ name: String) -> String {
        let safe = String(
            name.prefix(60).map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "-" })
        return safe.hasPrefix(".") ? "-" + safe.dropFirst() : safe
    }

    /// The screen's text, trailing spaces trimmed, one line per row.
    package static func text(_ grid: Grid) -> String {
        grid.lines.joined(separator: "\n") + "\n"
    }

    /// A row cut into runs of one style: (first column, cells, text).
    static func runs(_ grid: Grid, row y: Int) -> [(x: Int, width: Int, style: Style, text: String)] {
        var runs: [(x: Int, width: Int, style: Style, text: String)] = []
        var x = 0
        while x < grid.width {
            let style = grid[x, y].style
            let start = x
            var text = ""
            while x < grid.width && grid[x, y].style == style {
                if !grid[x, y].isContinuation { text.append(grid[x, y].character) }
                x += 1
            }
            runs.append((start, x - start, style, text))
        }
        return runs
    }

    /// The colours a style's cells show in: text and background, swapped by `reverse`.
    static func colors(_ style: Style, _ theme: Theme) -> (text: PaletteColor, background: PaletteColor) {
        let text = theme.foreground(of: style)
        return style.reverse ? (theme.background, text) : (text, theme.background)
    }

    /// An SVG of the screen: every cell at its column and row in a monospace font, the
    /// theme's colours (256-colour palette), bold where the screen is bold. Box lines are the
    /// screen's own characters, stretched to their cells so they join.
    package static func svg(_ grid: Grid, theme: Theme, title: String) -> String {
        let cellWidth = 9.0
        let cellHeight = 18.0
        let width = Double(grid.width) * cellWidth
        let height = Double(grid.height) * cellHeight
        func rgb(_ c: PaletteColor) -> String { XtermPalette.rgb(c.xterm256).hex }
        func number(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }
        var out = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(number(width))\" height=\"\(number(height))\" "
                + "viewBox=\"0 0 \(number(width)) \(number(height))\" font-family=\"'DejaVu Sans Mono', Menlo, Consolas, monospace\" "
                + "font-size=\"15\">",
            "<title>\(escape(title))</title>",
            "<rect width=\"100%\" height=\"100%\" fill=\"\(rgb(theme.background))\"/>",
        ]
        // Box lines are drawn as lines from each cell's centre to the edges it joins, so
        // neighbouring cells meet whatever the font's glyphs do.
        var boxPaths: [String: String] = [:]
        for y in 0..<grid.height {
            let top = Double(y) * cellHeight
            for run in runs(grid, row: y) {
                let (text, background) = colors(run.style, theme)
                let left = Double(run.x) * cellWidth
                let runWidth = Double(run.width) * cellWidth
                if background != theme.background {
                    out.append(
                        "<rect x=\"\(number(left))\" y=\"\(number(top))\" width=\"\(number(runWidth))\" height=\"\(number(cellHeight))\" fill=\"\(rgb(background))\"/>"
                    )
                }
                var plain = ""
                var column = run.x
                for ch in run.text {
                    if let joins = boxJoins[ch] {
                        let (cx, cy) = (Double(column) * cellWidth + cellWidth / 2, top + cellHeight / 2)
                        var d = ""
                        if joins.contains("l") { d += "M\(number(cx - cellWidth / 2)) \(number(cy))H\(number(cx))" }
                        if joins.contains("r") { d += "M\(number(cx)) \(number(cy))H\(number(cx + cellWidth / 2))" }
                        if joins.contains("u") { d += "M\(number(cx)) \(number(cy - cellHeight / 2))V\(number(cy))" }
                        if joins.contains("d") { d += "M\(number(cx)) \(number(cy))V\(number(cy + cellHeight / 2))" }
                        boxPaths[rgb(text), default: ""] += d
                        plain.append(" ")
                    } else {
                        plain.append(ch)
                    }
                    column += ch.displayWidth
                }
                // Spaces at either end are only background: the text starts at its first mark.
                let trimmed = plain.trimmingTrailingSpaces
                let body = trimmed.drop { $0 == " " }
                guard !body.isEmpty else { continue }
                let lead = trimmed.count - body.count
                let cells = run.width - (plain.count - trimmed.count) - lead
                out.append(
                    "<text x=\"\(number(left + Double(lead) * cellWidth))\" y=\"\(number(top + 14))\" fill=\"\(rgb(text))\""
                        + (run.style.bold ? " font-weight=\"bold\"" : "")
                        + " textLength=\"\(number(Double(cells) * cellWidth))\" lengthAdjust=\"spacingAndGlyphs\" xml:space=\"preserve\">"
                        + escape(String(body)) + "</text>")
            }
        }
        for (color, d) in boxPaths.sorted(by: { $0.key < $1.key }) {
            out.append("<path d=\"\(d)\" stroke=\"\(color)\" stroke-width=\"1.2\" fill=\"none\"/>")
        }
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    /// The screen as ANSI: each row in SGR runs (an asciicast frame), in the theme's 256 colours;
    /// with no theme (`NO_COLOR`) only bold, faint and reverse.
    /// `since`: the screen before, of the same size; only the rows that differ from it are written.
    package static func ansi(_ grid: Grid, theme: Theme?, since previous: Grid? = nil) -> String {
        var out = "\u{1b}[H"
        let same = previous.map { $0.width == grid.width && $0.height == grid.height } ?? false
        for y in 0..<grid.height {
            if same, let previous, (0..<grid.width).allSatisfy({ previous[$0, y] == grid[$0, y] }) { continue }
            out += "\u{1b}[\(y + 1);1H"
            for run in runs(grid, row: y) {
                var codes = ["0"]
                if let theme {
                    let (text, background) = colors(run.style, theme)
                    codes += ["38;5;\(text.xterm256)", "48;5;\(background.xterm256)"]
                } else if run.style.reverse {
                    codes.append("7")
                }
                if run.style.bold { codes.append("1") }
                if theme == nil && run.style.dim { codes.append("2") }
                out += "\u{1b}[" + codes.joined(separator: ";") + "m" + run.text
            }
        }
        return out + "\u{1b}[0m"
    }

    /// The box-drawing characters the panes use, and the cell edges each joins: left, right, up, down.
    static let boxJoins: [Character: String] = [
        "─": "lr", "│": "ud", "┌": "rd", "┐": "ld", "└": "ru", "┘": "lu", "├": "udr", "┤": "udl", "┬": "lrd",
        "┴": "lru", "┼": "lrud",
    ]

    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
