/// The few colours a projector shows well; `.default` is the terminal's own.
public enum Color: UInt8, Sendable, CaseIterable {
    case `default`, red, green, yellow, blue, magenta, cyan, white
}

public struct Style: Hashable, Sendable {
    public var foreground: Color = .default
    public var bold = false
    public var dim = false
    public var reverse = false

    public init(foreground: Color = .default, bold: Bool = false, dim: Bool = false, reverse: Bool = false) {
        self.foreground = foreground
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
    }

    public static let plain = Style()
    public static let bold = Style(bold: true)
    public static let dim = Style(dim: true)
    public static func fg(_ c: Color, bold: Bool = false) -> Style { Style(foreground: c, bold: bold) }
}

/// One terminal cell. A character two columns wide occupies its cell and a `continuation` cell
/// after it, so a row's cells always line up with the terminal's columns.
public struct Cell: Equatable, Sendable {
    public var character: Character
    public var style: Style
    public var isContinuation: Bool

    public static let blank = Cell(character: " ", style: .plain, isContinuation: false)
}

public struct Rect: Equatable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    /// The rectangle without a one-cell border.
    public var inner: Rect { Rect(x: x + 1, y: y + 1, width: width - 2, height: height - 2) }
}

/// A screen's worth of styled cells: what the renderer produces and the backend blits.
public struct Grid: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// For terminals without UTF-8: every character written is mapped to ASCII.
    public let asciiOnly: Bool

    public init(width: Int, height: Int, asciiOnly: Bool = false) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.asciiOnly = asciiOnly
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// One-column stand-ins, so a line keeps its layout when it is written in ASCII.
    private static let asciiStandIns: [Character: Character] = [
        "×": "x", "·": "-", "…": "~", "—": "-", "▲": "^", "●": "*", "▶": ">",
    ]

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Writes `text` at (x, y), clipped to `maxX` (exclusive, default the grid's width).
    /// Returns the column after the last cell written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, maxX: Int? = nil) -> Int {
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
    public mutating func restyle(_ rect: Rect, _ transform: (inout Style) -> Void) {
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            for x in max(0, rect.x)..<min(width, rect.maxX) { transform(&cells[y * width + x].style) }
        }
    }

    public mutating func fill(_ rect: Rect, with character: Character = " ", style: Style = .plain) {
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            for x in max(0, rect.x)..<min(width, rect.maxX) {
                cells[y * width + x] = Cell(character: character, style: style, isContinuation: false)
            }
        }
    }

    /// The text of row `y`, wide characters once, trailing spaces kept.
    public func line(_ y: Int) -> String {
        var s = ""
        for x in 0..<width where !self[x, y].isContinuation { s.append(self[x, y].character) }
        return s
    }

    /// Every row's text with trailing spaces trimmed: what render tests compare.
    public var lines: [String] {
        (0..<height).map { y in
            var s = line(y)
            while s.last == " " { s.removeLast() }
            return s
        }
    }
}
