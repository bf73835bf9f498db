/// A line's part: its full form, a terse one that still reads as words, and how much it matters
/// (`fitParts` keeps the most important whole the longest).
struct LinePart {
    var long: Line
    var short: Line?
    var priority: Int

    init(_ long: Line, short: Line? = nil, priority: Int) {
        self.long = long
        self.short = short
        self.priority = priority
    }
}

/// The parts in order within `width`, never cut at the edge: too wide, the least important part
/// that has a terse form takes it; when none is left to shorten, the least important part goes
/// whole (of equals, the one further right). The last part left always stays.
func fitParts(_ parts: [LinePart], width: Int) -> Line { fitPartsLeaving(parts, width: width).line }

/// `fitParts`, and the parts that went whole, in their order: what a second line can carry.
func fitPartsLeaving(_ parts: [LinePart], width: Int) -> (line: Line, left: [LinePart]) {
    var forms: [Line?] = parts.map(\.long)
    var shortened = Set<Int>()
    func line() -> Line { forms.compactMap(\.self).reduce(Line()) { $0.appending(line: $1) } }
    func lowest(_ candidates: [Int]) -> Int? {
        candidates.min { (parts[$0].priority, -$0) < (parts[$1].priority, -$1) }
    }
    while line().displayWidth > width {
        let kept = forms.indices.filter { forms[$0] != nil }
        if let i = lowest(kept.filter { parts[$0].short != nil && !shortened.contains($0) }) {
            forms[i] = parts[i].short
            shortened.insert(i)
        } else if kept.count > 1, let i = lowest(kept) {
            forms[i] = nil
        } else {
            break
        }
    }
    return (line(), parts.indices.filter { forms[$0] == nil }.map { parts[$0] })
}
