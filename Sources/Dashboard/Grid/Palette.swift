#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A colour as a terminal shows it: its index among xterm's 256 colours and, for a terminal
/// with 16, the nearest of those. Both are what a theme picks; RGB is what they look like.
package struct PaletteColor: Sendable, Equatable {
    package var xterm256: UInt8
    package var ansi16: UInt8

    package init(_ xterm256: UInt8, _ ansi16: UInt8) {
        self.xterm256 = xterm256
        self.ansi16 = ansi16
    }
}

/// sRGB, 0–255 per channel.
package struct RGB: Sendable, Equatable {
    package var r: UInt8
    package var g: UInt8
    package var b: UInt8

    /// `#rrggbb`, as SVG and CSS take it.
    package var hex: String {
        let digits = Array("0123456789abcdef")
        return "#" + [r, g, b].map { String([digits[Int($0 >> 4)], digits[Int($0 & 15)]]) }.joined()
    }

    /// WCAG 2's relative luminance.
    package var luminance: Double {
        func linear(_ c: UInt8) -> Double {
            let s = Double(c) / 255
            return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    }

    /// WCAG 2's contrast ratio, 1 to 21; 4.5 is AA for text, 7 is AAA.
    package static func contrast(_ a: RGB, _ b: RGB) -> Double {
        let (l1, l2) = (max(a.luminance, b.luminance), min(a.luminance, b.luminance))
        return (l1 + 0.05) / (l2 + 0.05)
    }
}

/// xterm's default palette: the 16 system colours, the 6×6×6 cube, the 24 greys.
package enum XtermPalette {
    static let system: [RGB] = [
        RGB(r: 0, g: 0, b: 0), RGB(r: 205, g: 0, b: 0), RGB(r: 0, g: 205, b: 0), RGB(r: 205, g: 205, b: 0),
        RGB(r: 0, g: 0, b: 238), RGB(r: 205, g: 0, b: 205), RGB(r: 0, g: 205, b: 205), RGB(r: 229, g: 229, b: 229),
        RGB(r: 127, g: 127, b: 127), RGB(r: 255, g: 0, b: 0), RGB(r: 0, g: 255, b: 0), RGB(r: 255, g: 255, b: 0),
        RGB(r: 92, g: 92, b: 255), RGB(r: 255, g: 0, b: 255), RGB(r: 0, g: 255, b: 255), RGB(r: 255, g: 255, b: 255),
    ]

    package static func rgb(_ index: UInt8) -> RGB {
        switch index {
        case 0..<16: return system[Int(index)]
        case 16..<232:
            let levels: [UInt8] = [0, 95, 135, 175, 215, 255]
            let i = Int(index) - 16
            return RGB(r: levels[i / 36], g: levels[i / 6 % 6], b: levels[i % 6])
        default:
            let grey = UInt8(8 + 10 * (Int(index) - 232))
            return RGB(r: grey, g: grey, b: grey)
        }
    }
}
