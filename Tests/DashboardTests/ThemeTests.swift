import Testing

@testable import Dashboard

/// Every theme's text against its own background: WCAG 2's contrast ratio, computed from the
/// colours a 256-colour and a 16-colour terminal show (xterm's default palette).
@Suite struct ThemeTests {
    static func pairs(_ theme: Theme) -> [(String, PaletteColor)] {
        [("text", theme.foreground), ("dim", theme.dim)]
            + Color.allCases.filter { $0 != .default }.map { ("\($0)", theme.colors[$0] ?? theme.foreground) }
    }

    @Test(arguments: Theme.Name.allCases)
    func everyTextColourReadsOnItsBackground(_ name: Theme.Name) {
        let theme = Theme.named(name)
        let aa = 4.5
        let needed256 = name == .highContrast ? 7.0 : aa
        for (role, color) in Self.pairs(theme) {
            let c256 = RGB.contrast(XtermPalette.rgb(color.xterm256), XtermPalette.rgb(theme.background.xterm256))
            let c16 = RGB.contrast(XtermPalette.rgb(color.ansi16), XtermPalette.rgb(theme.background.ansi16))
            #expect(c256 >= needed256, "\(name) \(role), 256 colours: \(c256)")
            #expect(c16 >= aa, "\(name) \(role), 16 colours: \(c16)")
        }
    }

    @Test func everyColourHasOneInEveryTheme() {
        for name in Theme.Name.allCases {
            let theme = Theme.named(name)
            #expect(Set(theme.colors.keys) == Set(Color.allCases.filter { $0 != .default }), "\(name)")
            #expect(theme.colors.values.allSatisfy { $0.ansi16 < 16 } && theme.background.ansi16 < 16)
        }
    }

    @Test func theContrastFormulaMatchesWcagsExamples() {
        let black = RGB(r: 0, g: 0, b: 0)
        let white = RGB(r: 255, g: 255, b: 255)
        #expect(abs(RGB.contrast(black, white) - 21) < 0.001)
        // #777777 on white is WCAG's classic 4.48:1, just below AA.
        #expect(abs(RGB.contrast(RGB(r: 0x77, g: 0x77, b: 0x77), white) - 4.48) < 0.01)
        #expect(XtermPalette.rgb(196) == RGB(r: 255, g: 0, b: 0) && XtermPalette.rgb(244).hex == "#808080")
    }

    @Test func theFlagGoesBeforeTheEnvironmentAndABadNameSaysWhere() throws {
        #expect(try Theme.choose(flag: nil, environment: [:]).get() == .dark)
        #expect(try Theme.choose(flag: nil, environment: ["ORDERFLOW_THEME": "light"]).get() == .light)
        #expect(
            try Theme.choose(flag: "high-contrast", environment: ["ORDERFLOW_THEME": "light"]).get() == .highContrast)
        #expect(throws: ThemeError.self) { try Theme.choose(flag: nil, environment: ["ORDERFLOW_THEME": "pink"]).get() }
        let error = Theme.choose(flag: "neon", environment: [:])
        if case .failure(let e) = error {
            #expect(e.description == "--theme: expected one of dark, light, high-contrast, got 'neon'")
        } else {
            Issue.record("neon is no theme")
        }
    }
}
