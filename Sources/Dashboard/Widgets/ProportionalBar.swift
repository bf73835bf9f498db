/// A proportional bar of `width` columns: a share of a total, rounded up so any non-zero
/// value shows at least one filled cell.
func bar(_ value: Int, of total: Int, width: Int, glyphs: Glyphs) -> String {
    guard width > 0 else { return "" }
    let filled = total > 0 ? Int((Double(value) / Double(total) * Double(width)).rounded(.up)) : 0
    let shown = max(0, min(width, filled))
    return String(repeating: glyphs.barFull, count: shown) + String(repeating: glyphs.barEmpty, count: width - shown)
}
