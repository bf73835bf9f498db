extension Character {
    /// Terminal columns this character takes: 0 for combining marks and controls, 2 for East
    /// Asian wide and emoji, 1 otherwise (the ranges wcwidth treats as wide).
    package var displayWidth: Int {
        // Printable ASCII is nearly every character drawn: answer it without Unicode tables.
        if let ascii = asciiValue { return ascii >= 0x20 && ascii < 0x7f ? 1 : 0 }
        guard let scalar = unicodeScalars.first else { return 0 }
        let v = scalar.value
        if v < 0x20 || (v >= 0x7f && v < 0xa0) { return 0 }
        if unicodeScalars.count == 1, scalar.properties.generalCategory == .nonspacingMark { return 0 }
        if (0x1100...0x115f).contains(v) || (0x2e80...0x303e).contains(v) || (0x3041...0x33ff).contains(v)
            || (0x3400...0x4dbf).contains(v) || (0x4e00...0x9fff).contains(v) || (0xa000...0xa4cf).contains(v)
            || (0xac00...0xd7a3).contains(v) || (0xf900...0xfaff).contains(v) || (0xfe30...0xfe4f).contains(v)
            || (0xff00...0xff60).contains(v) || (0xffe0...0xffe6).contains(v) || (0x1f300...0x1f64f).contains(v)
            || (0x1f900...0x1f9ff).contains(v) || (0x20000...0x3fffd).contains(v)
        {
            return 2
        }
        return 1
    }
}

extension String {
    /// Terminal columns the string takes.
    package var displayWidth: Int {
        if let width = printableASCIIWidth { return width }
        return reduce(0) { $0 + $1.displayWidth }
    }

    /// For printable ASCII (almost every string a frame draws) the width is the byte count,
    /// found without walking grapheme clusters.
    var printableASCIIWidth: Int? {
        var count = 0
        for byte in utf8 {
            guard byte >= 0x20 && byte < 0x7f else { return nil }
            count += 1
        }
        return count
    }

    /// Cut to at most `width` columns, ending in `ellipsis` when something was cut.
    package func clipped(to width: Int, ellipsis: String = "…") -> String {
        let total = displayWidth
        guard total > width else { return self }
        guard width > 0 else { return "" }
        if printableASCIIWidth != nil, ellipsis.displayWidth <= width {
            return String(decoding: utf8.prefix(width - ellipsis.displayWidth), as: UTF8.self) + ellipsis
        }
        var out = ""
        var used = 0
        let budget = width - ellipsis.displayWidth
        for ch in self {
            let w = ch.displayWidth
            if used + w > budget { break }
            out.append(ch)
            used += w
        }
        return out + ellipsis
    }

    /// Cut to at most `width` columns at a space, ending in `ellipsis`: a sentence that cannot
    /// fit loses whole words, never half of one. A single word too long for the width is cut.
    package func clippedAtWord(to width: Int, ellipsis: String = "…") -> String {
        guard displayWidth > width else { return self }
        var out = ""
        for word in split(separator: " ", omittingEmptySubsequences: false) {
            let next = out.isEmpty ? String(word) : out + " " + word
            if next.displayWidth + ellipsis.displayWidth > width { break }
            out = next
        }
        return out.isEmpty ? clipped(to: width, ellipsis: ellipsis) : out + ellipsis
    }

    /// Padded with spaces (or clipped) to exactly `width` columns.
    package func padded(to width: Int, alignRight: Bool = false) -> String {
        let s = clipped(to: width)
        let used = s.displayWidth
        guard used < width else { return s }
        let pad = String(repeating: " ", count: width - used)
        return alignRight ? pad + s : s + pad
    }
}
