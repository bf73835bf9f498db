/// The characters for borders, bars and sparklines: UTF-8 where the locale allows it, and a
/// readable ASCII fallback where it does not.
public struct Glyphs: Sendable, Equatable {
    public var horizontal: Character
    public var vertical: Character
    public var topLeft: Character
    public var topRight: Character
    public var bottomLeft: Character
    public var bottomRight: Character
    /// Sparkline levels, lowest first.
    public var levels: [Character]
    public var barFull: Character
    public var barEmpty: Character
    public var dot: Character
    public var ellipsis: String
    public var up: String
    public var focus: String

    public static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└",
        bottomRight: "┘", levels: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        barFull: "█", barEmpty: "░", dot: "●", ellipsis: "…", up: "▲", focus: "▶")
    public static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+",
        bottomRight: "+", levels: ["_", ".", ":", "-", "=", "+", "*", "#"],
        barFull: "#", barEmpty: ".", dot: "*", ellipsis: "~", up: "^", focus: ">")
}
