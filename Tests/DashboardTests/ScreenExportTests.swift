import Bus
import Foundation
import Simulation
import Testing

@testable import Dashboard

/// Screens for slides: text, SVG and ANSI from a grid; the deck of a lesson's steps; `s` and `z`.
@Suite struct ScreenExportTests {
    /// A 12×3 grid: a box with a red word in it and a reversed, escaped one.
    static var boxed: Grid {
        var grid = Grid(width: 12, height: 3)
        grid.put("┌─ A ──────┐", x: 0, y: 0)
        grid.put("│", x: 0, y: 1)
        grid.put("lag", x: 1, y: 1, style: .fg(.red, bold: true))
        grid.put("<&>", x: 5, y: 1, style: Style(reverse: true))
        grid.put("│", x: 11, y: 1)
        grid.put("└──────────┘", x: 0, y: 2)
        return grid
    }

    @Test func textIsTheScreensLines() {
        #expect(ScreenExport.text(Self.boxed) == "┌─ A ──────┐\n│lag <&>   │\n└──────────┘\n")
    }

    @Test func svgDrawsCellsInTheThemesColoursAndBoxLinesAsLines() {
        let theme = Theme.dark
        let svg = ScreenExport.svg(Self.boxed, theme: theme, title: "a <slide>")
        let red = XtermPalette.rgb(theme.colors[.red]?.xterm256 ?? 0).hex
        let text = XtermPalette.rgb(theme.foreground.xterm256).hex
        let background = XtermPalette.rgb(theme.background.xterm256).hex
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"108\" height=\"54\""))
        #expect(svg.contains("<title>a &lt;slide&gt;</title>"))
        #expect(svg.contains("<rect width=\"100%\" height=\"100%\" fill=\"\(background)\"/>"))
        #expect(svg.contains("<text x=\"9\" y=\"32\" fill=\"\(red)\" font-weight=\"bold\" textLength=\"27\""))
        #expect(svg.contains(">lag</text>"))
        // Reversed: the text's colour becomes the cells' background, the background the text's.
        #expect(svg.contains("<rect x=\"45\" y=\"18\" width=\"27\" height=\"18\" fill=\"\(text)\"/>"))
        #expect(
            svg.contains(
                "fill=\"\(background)\" textLength=\"27\" lengthAdjust=\"spacingAndGlyphs\" xml:space=\"preserve\">&lt;&amp;&gt;</text>"
            ))
        // The top-left corner joins right and down from its cell's centre; no box glyph is text.
        #expect(svg.contains("M4.5 9H9") && svg.contains("M4.5 9V18"))
        #expect(!svg.contains("─") && !svg.contains("┌") && svg.contains(">A</text>"))
        #expect(svg.hasSuffix("</svg>\n"))
    }

    @Test func ansiColoursEachRunAndNoColorKeepsOnlyBoldAndReverse() {
        let dark = ScreenExport.ansi(Self.boxed, theme: .dark)
        let red = Theme.dark.colors[.red]?.xterm256 ?? 0
        #expect(dark.contains("\u{1b}[0;38;5;\(red);48;5;16;1mlag"))
        #expect(dark.hasPrefix("\u{1b}[H\u{1b}[1;1H") && dark.contains("\u{1b}[3;1H") && dark.hasSuffix("\u{1b}[0m"))
        // Since an earlier screen: only the row that changed.
        var next = Self.boxed
        next.put("LAG", x: 1, y: 1)
        let diff = ScreenExport.ansi(next, theme: .dark, since: Self.boxed)
        #expect(diff.contains("\u{1b}[2;1H") && diff.contains("LAG") && !diff.contains("\u{1b}[1;1H"))
        #expect(!diff.contains("\u{1b}[3;1H"))
        let plain = ScreenExport.ansi(Self.boxed, theme: nil)
        #expect(plain.contains("\u{1b}[0;1mlag") && plain.contains("\u{1b}[0;7m<&>") && !plain.contains("38;5"))
    }

    @Test func aScreensNameSaysScenarioStepAndTimeAndOnlySafeCharacters() {
        let progress = ScenarioProgress(
            name: "outage-312", description: "", guided: true, narratedSteps: 9,
            current: .init(number: 4, text: "x"), waiting: true)
        #expect(ScreenExport.fileStem(scenario: progress, now: .zero + .seconds(60)) == "outage-312-step04-00h01m00s")
        #expect(ScreenExport.fileStem(scenario: nil, now: .zero + .seconds(3_725)) == "orderflow-01h02m05s")
        var hostile = progress
        hostile.name = "../../etc/pass wd"
        hostile.current = nil
        #expect(ScreenExport.fileStem(scenario: hostile, now: .zero) == "-.-..-etc-pass-wd-start-00h00m00s")
    }

    @Test func theDeckHasOneScreenPerNarratedStepEachShowingItsStep() throws {
        let c = try PresenterTests.controller("outage-312")
        var stems: [String] = []
        try SlideDeck.play(c, width: 80, height: 24) { stem, grid in
            stems.append(stem)
            let lines = grid.lines
            #expect(grid.width == 80 && grid.height == 24)
            #expect(lines.contains { $0.contains("Step \(stems.count) of 9 —") }, "\(stem)")
        }
        #expect(stems.count == 9)
        #expect(stems[3] == "outage-312-step04-00h01m00s" && stems[8].hasPrefix("outage-312-step09-"))
    }

    /// README shows this SVG: it must be what `--screens` writes today.
    @Test func theSvgInDocsIsTheDecksStep4() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/outage-312-step04-00h01m00s.svg")
        let shipped = try String(contentsOf: docs, encoding: .utf8)
        var svg: String?
        try SlideDeck.play(try PresenterTests.controller("outage-312"), width: 80, height: 24) { stem, grid in
            if stem == "outage-312-step04-00h01m00s" { svg = ScreenExport.svg(grid, theme: .dark, title: stem) }
        }
        #expect(
            svg == shipped, "regenerate: orderflow simulate --scenario outage-312 --screens DIR, copy step 4 to docs/")
    }

    @Test func sSavesTheFrameUnderTheStepsName() throws {
        let c = try PresenterTests.controller("outage-312")
        PresenterTests.play(c, toStep: 4)
        var saved: (Grid, String)?
        c.saveScreen = { grid, stem in
            saved = (grid, stem)
            return "saved \(stem)"
        }
        c.apply(.saveScreen)
        let grid = c.frame(width: 80, height: 24, glyphs: .unicode)
        #expect(saved?.1 == "outage-312-step04-00h01m00s")
        #expect(saved?.0 == grid || saved?.0.lines.dropFirst() == grid.lines.dropFirst())
        #expect(c.state.message == "saved outage-312-step04-00h01m00s")
    }

    @Test func zZoomsTheFocusedPaneTabMovesItAndEscReturns() throws {
        let c = try PresenterTests.controller("outage-312")
        PresenterTests.play(c, toStep: 4)
        c.apply(.toggleZoom)
        #expect(!c.state.zoomed && c.state.message == "z zooms the focused pane: Tab to one first")
        _ = c.frame(width: 80, height: 24, glyphs: .unicode)
        while c.state.focus != .consumerGroups { c.apply(.focusNext) }
        c.apply(.toggleZoom)
        var lines = c.frame(width: 80, height: 24, glyphs: .unicode).lines
        #expect(lines[1].contains(" Consumer groups "), "\(lines.joined(separator: "\n"))")
        #expect(lines[1].count == 80 && lines[1].contains("z or Esc: back"))
        #expect(!lines.contains { $0.contains("Orders ─") || $0.contains("Narration") })
        #expect(lines.contains { $0.contains("CURRENT-OFFSET") }, "the zoomed pane has the full layout's columns")
        c.apply(.focusNext)
        lines = c.frame(width: 80, height: 24, glyphs: .unicode).lines
        let next = try #require(c.state.focus)
        #expect(c.state.zoomed && next != .consumerGroups && lines[1].contains(" \(next.title) "))
        c.apply(.closeOverlay)
        lines = c.frame(width: 80, height: 24, glyphs: .unicode).lines
        #expect(!c.state.zoomed && c.state.focus == next)
        #expect(lines.contains { $0.contains("Orders") } && lines.contains { $0.contains("Narration") })
    }
}
