/// The colours the screen is drawn in: `--theme dark | light | high-contrast` (or
/// `ORDERFLOW_THEME`). Each sets its background, so a light terminal gets a readable dark theme
/// and the other way round, and every text colour keeps at least 4.5:1 against it (WCAG AA; 7:1
/// in high-contrast) with 256 colours and with 16 (`ThemeTests` computes it).
///
/// The hues follow Okabe and Ito's colour-blind-safe palette (vermillion, bluish green, orange,
/// sky blue, reddish purple), darkened for the light background. Colour is never the only
/// difference: the panes say `lag`, `DOWN`, `✗`, `▲` in words and glyphs as well.
package struct Theme: Sendable, Equatable {
    package enum Name: String, Sendable, CaseIterable {
        case dark, light
        case highContrast = "high-contrast"
    }

    package var name: Name
    package var background: PaletteColor
    /// Plain text.
    package var foreground: PaletteColor
    /// What `Style.dim` draws in: a colour, not the terminal's faint attribute, so its contrast is known.
    package var dim: PaletteColor
    /// What each of the grid's colours is drawn in.
    package var colors: [Color: PaletteColor]

    /// The colour a style's text is drawn in.
    package func foreground(of style: Style) -> PaletteColor {
        if style.foreground == .default { return style.dim ? dim : foreground }
        return colors[style.foreground] ?? foreground
    }

    package static func named(_ name: Name) -> Theme {
        switch name {
        case .dark: dark
        case .light: light
        case .highContrast: highContrast
        }
    }

    /// Black background, Okabe–Ito hues as xterm has them (vermillion 166, bluish green 36, orange/yellow 221).
    package static let dark = Theme(
        name: .dark, background: PaletteColor(16, 0), foreground: PaletteColor(252, 7), dim: PaletteColor(245, 8),
        colors: [
            .red: PaletteColor(166, 9), .green: PaletteColor(36, 10), .yellow: PaletteColor(221, 11),
            .blue: PaletteColor(74, 14), .magenta: PaletteColor(175, 13), .cyan: PaletteColor(117, 14),
            .white: PaletteColor(255, 15),
        ])

    /// White background; the same hues, dark enough to read on it. With 16 colours only black,
    /// red, blue and magenta reach 4.5:1 on white, so green and cyan become blue there.
    package static let light = Theme(
        name: .light, background: PaletteColor(231, 15), foreground: PaletteColor(16, 0), dim: PaletteColor(241, 0),
        colors: [
            .red: PaletteColor(124, 1), .green: PaletteColor(23, 4), .yellow: PaletteColor(94, 5),
            .blue: PaletteColor(25, 4), .magenta: PaletteColor(90, 5), .cyan: PaletteColor(24, 4),
            .white: PaletteColor(235, 0),
        ])

    /// Black background, white text, every colour at 7:1 or more (WCAG AAA) with 256 colours.
    package static let highContrast = Theme(
        name: .highContrast, background: PaletteColor(16, 0), foreground: PaletteColor(231, 15),
        dim: PaletteColor(250, 7),
        colors: [
            .red: PaletteColor(203, 9), .green: PaletteColor(48, 10), .yellow: PaletteColor(226, 11),
            .blue: PaletteColor(117, 14), .magenta: PaletteColor(213, 13), .cyan: PaletteColor(51, 14),
            .white: PaletteColor(231, 15),
        ])

    /// `--theme` over `ORDERFLOW_THEME` over dark; a name orderflow does not know is an error naming its source.
    package static func choose(flag: String?, environment: [String: String]) -> Result<Theme, ThemeError> {
        if let flag {
            guard let name = Name(rawValue: flag) else { return .failure(ThemeError(source: "--theme", value: flag)) }
            return .success(named(name))
        }
        if let value = environment["ORDERFLOW_THEME"], !value.isEmpty {
            guard let name = Name(rawValue: value) else {
                return .failure(ThemeError(source: "ORDERFLOW_THEME", value: value))
            }
            return .success(named(name))
        }
        return .success(dark)
    }
}

/// A theme name orderflow does not know, and where it came from.
package struct ThemeError: Error, Sendable, CustomStringConvertible {
    package var source: String
    package var value: String
    package var description: String {
        "\(source): expected one of \(Theme.Name.allCases.map(\.rawValue).joined(separator: ", ")), got '\(value.prefix(40))'"
    }
}
