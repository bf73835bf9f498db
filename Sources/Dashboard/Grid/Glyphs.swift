/// The characters for borders, bars and sparklines: UTF-8 where the locale allows it, and a
/// readable ASCII fallback where it does not.
package struct Glyphs: Sendable, Equatable {
    package var horizontal: Character
    package var vertical: Character
    package var topLeft: Character
    package var topRight: Character
    package var bottomLeft: Character
    package var bottomRight: Character
    /// Sparkline levels, lowest first.
    package var levels: [Character]
    package var barFull: Character
    package var barEmpty: Character
    package var dot: Character
    package var ellipsis: String
    package var up: String
    package var focus: String

    package static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└",
        bottomRight: "┘", levels: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        barFull: "█", barEmpty: "░", dot: "●", ellipsis: "…", up: "▲", focus: "▶")
    package static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+",
        bottomRight: "+", levels: ["_", ".", ":", "-", "=", "+", "*", "#"],
        barFull: "#", barEmpty: ".", dot: "*", ellipsis: "~", up: "^", focus: ">")
}
