/// A one-line chart of the last values, scaled to the largest: appends or lag over a minute.
/// Right-aligned, so the newest value is always at the right edge.
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
