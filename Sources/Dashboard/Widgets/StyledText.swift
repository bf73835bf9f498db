/// A run of text in one style.
struct Segment {
    var text: String
    var style: Style
}

/// One line of a pane: styled runs, optionally highlighted as the selection.
struct Line {
    var segments: [Segment]
    var highlight = false

    init(_ text: String = "", _ style: Style = .plain) {
        segments = text.isEmpty ? [] : [Segment(text: text, style: style)]
    }

    init(segments: [Segment]) {
        self.segments = segments
    }

    func appending(_ text: String, _ style: Style = .plain) -> Line {
        var copy = self
        copy.segments.append(Segment(text: text, style: style))
        return copy
    }
}

/// A pane's text: `fixed` lines stay at the top, `body` lines scroll beneath them.
struct PaneContent {
    var fixed: [Line] = []
    var body: [Line] = []
}

extension Grid {
    /// Draws a pane's content inside `rect`, scrolled by `offset`; returns the scroll limit.
    mutating func draw(_ content: PaneContent, in rect: Rect, offset: Int) -> Int {
        var y = rect.y
        for line in content.fixed where y < rect.maxY {
            draw(line, x: rect.x, y: y, maxX: rect.maxX)
            y += 1
        }
        let visible = max(0, rect.maxY - y)
        let limit = max(0, content.body.count - visible)
        let start = min(max(0, offset), limit)
        for line in content.body.dropFirst(start).prefix(visible) {
            draw(line, x: rect.x, y: y, maxX: rect.maxX)
            if line.highlight { restyle(Rect(x: rect.x, y: y, width: rect.width, height: 1)) { $0.reverse = true } }
            y += 1
        }
        return limit
    }

    mutating func draw(_ line: Line, x: Int, y: Int, maxX: Int) {
        var col = x
        for segment in line.segments { col = put(segment.text, x: col, y: y, style: segment.style, maxX: maxX) }
    }
}

extension Line {
    var displayWidth: Int { segments.reduce(0) { $0 + $1.text.displayWidth } }

    /// The line cut to `width` columns, segment styles kept.
    func clipped(to width: Int) -> Line {
        var out = Line()
        var room = width
        for segment in segments where room > 0 {
            let text = segment.text.displayWidth <= room ? segment.text : segment.text.clipped(to: room, ellipsis: "")
            out.segments.append(Segment(text: text, style: segment.style))
            room -= text.displayWidth
        }
        return out
    }

    /// The line filled with spaces to `width` columns.
    func padded(to width: Int) -> Line {
        let w = displayWidth
        return w >= width ? self : appending(String(repeating: " ", count: width - w))
    }

    func appending(line other: Line) -> Line {
        Line(segments: segments + other.segments)
    }
}

extension String {
    /// Words laid into lines of at most `width` columns; a word longer than a line is cut.
    func wrapped(to width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var current = ""
        for word in split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            if current.isEmpty {
                current = word.clipped(to: width, ellipsis: "")
            } else if current.displayWidth + 1 + word.displayWidth <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = word.clipped(to: width, ellipsis: "")
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
