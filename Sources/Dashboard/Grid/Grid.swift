/// The few colours a projector shows well; `.default` is the terminal's own.
package enum Color: UInt8, Sendable, CaseIterable {
    case `default`, red, green, yellow, blue, magenta, cyan, white
}

package struct Style: Hashable, Sendable {
    package var foreground: Color = .default
    package var bold = false
    package var dim = false
    package var reverse = false

    package init(foreground: Color = .default, bold: Bool = false, dim: Bool = false, reverse: Bool = false) {
        self.foreground = foreground
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
    }

    package static let plain = Style()
    package static let bold = Style(bold: true)
    package static let dim = Style(dim: true)
    package static func fg(_ c: Color, bold: Bool = false) -> Style { Style(foreground: c, bold: bold) }
}

/// One terminal cell. A character two columns wide occupies its cell and a `continuation` cell
/// after it, so a row's cells always line up with the terminal's columns.
package struct Cell: Equatable, Sendable {
    package var character: Character
    package var style: Style
    package var isContinuation: Bool

    package static let blank = Cell(character: " ", style: .plain, isContinuation: false)
}

package struct Rect: Equatable, Sendable {
    package var x: Int
    package var y: Int
    package var width: Int
    package var height: Int

    package init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    package var maxX: Int { x + width }
    package var maxY: Int { y + height }
    /// The rectangle without a one-cell border.
    package var inner: Rect { Rect(x: x + 1, y: y + 1, width: width - 2, height: height - 2) }
}

/// A screen's worth of styled cells: what the renderer produces and the backend blits.
package struct Grid: Equatable, Sendable {
    package let width: Int
    package let height: Int
    package private(set) var cells: [Cell]
    /// For terminals without UTF-8: every character written is mapped to ASCII.
    package let asciiOnly: Bool

    package init(width: Int, height: Int, asciiOnly: Bool = false) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.asciiOnly = asciiOnly
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// One-column stand-ins, so a line keeps its layout when it is written in ASCII.
    private static let asciiStandIns: [Character: Character] = [
        "×": "x", "·": "-", "…": "~", "—": "-", "▲": "^", "●": "*", "▶": ">", "✗": "x",
    ]

    package subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Writes `text` at (x, y), clipped to `maxX` (exclusive, default the grid's width).
    /// Returns the column after the last cell written.
    @discardableResult
    package mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, maxX: Int? = nil) -> Int {
        guard y >= 0 && y < height else { return x }
        let limit = min(maxX ?? width, width)
        var col = x
        if text.printableASCIIWidth != nil {
            // One cell per byte: no grapheme breaking, no width tables.
            for byte in text.utf8 {
                guard col < limit else { break }
                if col >= 0 {
                    cells[y * width + col] = Cell(
                        character: Character(Unicode.Scalar(byte)), style: style, isContinuation: false)
                }
                col += 1
            }
            return col
        }
        for var ch in text {
            // A no-break space only held words together while a line wrapped: on screen it is a space.
            if ch == "\u{00A0}" { ch = " " }
            if asciiOnly && !ch.isASCII { ch = Self.asciiStandIns[ch] ?? "?" }
            let w = ch.displayWidth
            if w == 0 { continue }
            guard col + w <= limit else { break }
            if col >= 0 {
                cells[y * width + col] = Cell(character: ch, style: style, isContinuation: false)
                if w == 2 { cells[y * width + col + 1] = Cell(character: " ", style: style, isContinuation: true) }
            }
            col += w
        }
        return col
    }

    /// Paints a style over existing cells (a selection highlight) without changing their text.
    package mutating func restyle(_ rect: Rect, _ transform: (inout Style) -> Void) {
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            for x in max(0, rect.x)..<min(width, rect.maxX) { transform(&cells[y * width + x].style) }
        }
    }

    package mutating func fill(_ rect: Rect, with character: Character = " ", style: Style = .plain) {
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            for x in max(0, rect.x)..<min(width, rect.maxX) {
                cells[y * width + x] = Cell(character: character, style: style, isContinuation: false)
            }
        }
    }

    /// The text of row `y`, wide characters once, trailing spaces kept.
    package func line(_ y: Int) -> String {
        var s = ""
        for x in 0..<width where !self[x, y].isContinuation { s.append(self[x, y].character) }
        return s
    }

    /// Every row's text with trailing spaces trimmed: what render tests compare.
    package var lines: [String] {
        (0..<height).map { y in
            var s = line(y)
            while s.last == " " { s.removeLast() }
            return s
        }
    }
}
