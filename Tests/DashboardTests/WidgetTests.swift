import Services
import Simulation
import Testing

@testable import Dashboard

/// Each widget alone, rendered into a small buffer and compared line by line.
@Suite struct WidgetTests {
    @Test func sparklineScalesToTheLargestAndKeepsTheNewestAtTheRight() {
        #expect(sparkline([0, 1, 2, 4, 8], width: 5, glyphs: .unicode) == " ▂▃▅█")
        // Fewer values than columns: padded on the left, so the newest is always at the edge.
        #expect(sparkline([8], width: 3, glyphs: .unicode) == "  █")
        // More values than columns: only the newest fit.
        #expect(sparkline([8, 8, 8, 0, 1], width: 2, glyphs: .unicode) == " █")
        #expect(sparkline([], width: 0, glyphs: .unicode) == "")
        #expect(sparkline([0, 0], width: 2, glyphs: .ascii) == "  ")
    }

    @Test func barRoundsUpSoAnyNonZeroShareShows() {
        #expect(bar(2, of: 8, width: 8, glyphs: .unicode) == "██░░░░░░")
        #expect(bar(1, of: 1000, width: 4, glyphs: .unicode) == "█░░░")
        #expect(bar(0, of: 0, width: 3, glyphs: .unicode) == "░░░")
        #expect(bar(5, of: 5, width: 3, glyphs: .unicode) == "███")
        // A value above the total never overflows its width.
        #expect(bar(9, of: 5, width: 3, glyphs: .unicode) == "███")
        #expect(bar(1, of: 2, width: 0, glyphs: .unicode) == "")
    }

    @Test func tableDropsLowPriorityColumnsAndGivesTheRestToTheFlexibleOne() {
        let columns = [
            Column(title: "NAME", width: 6, priority: 9), Column(title: "NOTE", width: 6, priority: 1),
            Column(title: "N", width: 3, alignRight: true, priority: 5, flexible: true),
        ]
        let wide = Table(columns, width: 20)
        #expect(renderLine(wide.header(), width: 20) == "NAME   NOTE        N")
        #expect(renderLine(wide.row(["alpha", "x", "42"], .plain), width: 22) == "alpha  x          42")
        let narrow = Table(columns, width: 12)
        #expect(narrow.width(of: 1) == nil, "NOTE has the lowest priority: it goes first")
        #expect(renderLine(narrow.row(["alpha", "x", "42"], .plain), width: 12) == "alpha     42")
    }

    @Test func tableStylesSingleCellsAndCutsLongOnesWithAnEllipsis() {
        let table = Table(
            [Column(title: "A", width: 4), Column(title: "B", width: 4)], width: 9, ellipsis: "…")
        let line = table.row(["abcdefg", "ok"]) { $0 == 1 ? .fg(.red, bold: true) : .plain }
        var grid = Grid(width: 9, height: 1)
        grid.draw(line, x: 0, y: 0, maxX: 9)
        #expect(grid.lines == ["abc… ok"], "lines are compared without trailing blanks")
        #expect(grid[0, 0].style == .plain)
        #expect(grid[5, 0].style.foreground == .red && grid[5, 0].style.bold)
    }

    @Test func formattingHelpers() {
        #expect(money(1999, "EUR") == "19.99 EUR")
        #expect(money(505, "USD") == "5.05 USD")
        #expect(money(-7, "EUR") == "-0.07 EUR")
        #expect(age(.milliseconds(59_999)) == "59s")
        #expect(age(.seconds(61)) == "1m")
        #expect(age(.seconds(7200)) == "2h")
        #expect(age(.milliseconds(-5)) == "0s")
        #expect(rateText(2) == "2/s" && rateText(0.5) == "0.5/s")
        #expect(shortOrderId("aaaaaaaa-1111") == "aaaaaaaa")
    }
}

/// The footer comes from the key table alone: its labels, priorities and conditions.
@Suite struct FooterTests {
    @Test func aDisabledBindingIsAbsentFromTheFooter() {
        let outside = renderLine(Footer(context: BindingContext(scenarioPlaying: false)).line(width: 200), width: 200)
        #expect(!outside.contains("next step"), "g works only while a scenario plays")
        let playing = renderLine(Footer(context: BindingContext(scenarioPlaying: true)).line(width: 200), width: 200)
        #expect(playing.contains(" g  next step"))
        #expect(Keymap.action(for: .character("g"), in: BindingContext(scenarioPlaying: false)) == nil)
        #expect(Keymap.action(for: .character("g"), in: BindingContext(scenarioPlaying: true)) == .nextScenarioStep)
    }

    @Test func aNarrowFooterDropsTheLowestPrioritiesFirstAndUsesShortWords() {
        #expect(
            renderLine(Footer(context: BindingContext(scenarioPlaying: false)).line(width: 80), width: 80)
                == " o order  k kill pay  n kill notif  c crash  space pause  ? help  q quit")
        // In a scenario, `g` outranks crash: the trainer's next step stays on screen.
        #expect(
            renderLine(Footer(context: BindingContext(scenarioPlaying: true)).line(width: 80), width: 80)
                == " o order  k kill pay  n kill notif  g next  space pause  ? help  q quit")
    }

    @Test func everyFooterEntryIsABindingWithALabel() {
        for binding in Keymap.bindings where binding.footer != nil {
            #expect(binding.footerPriority > 0, "\(binding.label) needs a priority to be dropped in order")
        }
    }
}

/// The bordered pane every pane and overlay is drawn in.
@Suite struct PanelTests {
    @Test func aFocusedPanelIsMarkedAndCarriesItsNote() {
        var grid = Grid(width: 20, height: 3)
        Panel(title: "Orders", focused: true, note: "2/9").draw(
            in: Rect(x: 0, y: 0, width: 20, height: 3), on: &grid, glyphs: .unicode)
        #expect(grid.lines == ["┌─ ▶ Orders ─ 2/9 ─┐", "│                  │", "└──────────────────┘"])
        #expect(grid[0, 0].style.foreground == .cyan)
    }

    @Test func aLongTitleIsCutWithAnEllipsis() {
        var grid = Grid(width: 12, height: 2)
        Panel(title: "Consumer groups", focused: false).draw(
            in: Rect(x: 0, y: 0, width: 12, height: 2), on: &grid, glyphs: .ascii)
        #expect(grid.lines == ["+- Consum~-+", "+----------+"])
    }

    /// `fitParts`: too wide, the least important part with a terse form takes it first; then the
    /// least important part goes whole (of equals, the one further right); the last one stays.
    @Test func fitPartsShortensThenDropsWholeParts() {
        let parts = [
            LinePart(Line("notification-service"), priority: 10),
            LinePart(Line(" · dedup hits 0"), short: Line(" · dedup 0"), priority: 3),
            LinePart(Line(" · 1 running"), priority: 6),
        ]
        #expect(
            fitParts(parts, width: 60).segments.map(\.text).joined()
                == "notification-service · dedup hits 0 · 1 running")
        #expect(
            fitParts(parts, width: 42).segments.map(\.text).joined() == "notification-service · dedup 0 · 1 running")
        #expect(fitParts(parts, width: 34).segments.map(\.text).joined() == "notification-service · 1 running")
        #expect(fitParts(parts, width: 25).segments.map(\.text).joined() == "notification-service")
        #expect(
            fitParts(parts, width: 5).segments.map(\.text).joined() == "notification-service", "the last part stays")
        let equals = [
            LinePart(Line("a"), priority: 5), LinePart(Line(" b"), priority: 5), LinePart(Line(" c"), priority: 5),
        ]
        #expect(
            fitParts(equals, width: 3).segments.map(\.text).joined() == "a b", "of equals, the rightmost goes first")
    }
}
