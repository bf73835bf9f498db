import Bus
import Simulation
import Testing

@testable import Dashboard

/// Nothing is cut at a pane's edge. At every narrated step of every shipped scenario, played
/// guided as a trainer would, at 80×24 and 120×40: each pane's lines fit its slot, and a word
/// shortened with `…` is one the same pane shortens at a wide size too, where nothing needs
/// cutting — a terse form is design, a cut word is a bug. The header and footer rows too.
@Suite struct WholeLinesTests {
    static let sizes = [(width: 80, height: 24), (width: 120, height: 40)]

    /// The text of a line, segment by segment.
    static func text(_ line: Line) -> String { line.segments.map(\.text).joined() }

    /// What is wrong with one screen: lines wider than their pane, words cut with `…`.
    static func cuts(_ view: DashboardView, width: Int, height: Int) -> [String] {
        var found: [String] = []
        let rendered = view.render(width: width, height: height)
        for (pane, slot) in rendered.contents.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let wide = PaneBuilder(
                snapshot: view.snapshot, state: view.state, config: view.config, glyphs: view.glyphs, width: 400,
                compact: false, scenario: view.scenario, height: 200
            ).content(for: pane)
            let wideWords = Set((wide.fixed + wide.body).flatMap { text($0).split(separator: " ") })
            for line in slot.content.fixed + slot.content.body {
                let words = text(line).split(separator: " ")
                if line.displayWidth > slot.rect.inner.width {
                    found.append("\(pane) is \(slot.rect.inner.width) wide: '\(text(line))'")
                }
                // `…` alone is a mark of its own ("… 2 more"), not a cut word.
                for word in words where word.contains("…") && word != "…" && !wideWords.contains(word) {
                    found.append("\(pane) cuts '\(word)': '\(text(line))'")
                }
            }
        }
        for row in [0, 1, height - 1] where rendered.grid.lines[row].contains("…") {
            found.append("row \(row): '\(rendered.grid.lines[row])'")
        }
        return found
    }

    @Test(arguments: OneTruthTests.shipped)
    func noLineIsCutAtProjectorOrLaptopSize(name: String) throws {
        let c = try PresenterTests.controller(name)
        let steps = try #require(c.player?.scenario.narratedSteps)
        for step in 1...steps {
            PresenterTests.play(c, toStep: step)
            var view = DashboardView(
                snapshot: c.simulation.snapshot(), state: c.state, config: c.simulation.config, glyphs: .unicode)
            view.scenario = c.player?.progress
            for size in Self.sizes {
                for cut in Self.cuts(view, width: size.width, height: size.height) {
                    Issue.record("\(name) step \(step) at \(size.width)×\(size.height): \(cut)")
                }
            }
        }
    }

    /// Free play, where the Events pane shows at 80×24 too: a cluster losing brokers, refused
    /// and timed-out sends, a killed consumer, the outbox — every few seconds, at both sizes.
    @Test func noLineIsCutInFreePlayWithACluster() throws {
        let config = try OneTruthTests.config("acks-all-min-isr")
        let c = DashboardController(simulation: try Simulation(config: config), player: nil)
        let actions: [SimulationAction] = [
            .placeOrders(6), .killBroker(3), .placeOrders(4), .kill(.payment, instance: 2), .killBroker(2),
            .placeOrders(5), .setPublish(.outbox), .placeOrders(5), .restartBroker(2), .rejectSends(2),
            .placeOrders(3),
        ]
        for (i, action) in actions.enumerated() {
            c.simulation.perform(action)
            c.simulation.advance(by: .seconds(4))
            let view = DashboardView(
                snapshot: c.simulation.snapshot(), state: c.state, config: c.simulation.config, glyphs: .unicode)
            for size in Self.sizes {
                for cut in Self.cuts(view, width: size.width, height: size.height) {
                    Issue.record("after \(i + 1) actions at \(size.width)×\(size.height): \(cut)")
                }
            }
        }
    }

    /// A key's answer is read whole: at 80 columns it takes the footer's line after one space.
    /// Every key is pressed twice (on, then off) in a lesson of each kind, mid-lesson.
    @Test(arguments: ["outage-312", "poll-storm", "acks-all-min-isr"])
    func everyKeysAnswerFitsTheFooterAt80Columns(name: String) throws {
        let c = try PresenterTests.controller(name)
        PresenterTests.play(c, toStep: 3)
        let skipped: [DashboardAction] = [.quit, .restartScenario, .backOneStep, .findOrder]
        for _ in 0..<2 {
            for binding in Keymap.bindings where !skipped.contains(binding.action) {
                c.apply(binding.action)
                if c.state.overlay != nil { c.apply(.closeOverlay) }
                let answer = c.state.message ?? ""
                #expect(answer.displayWidth <= 79, "\(name), \(binding.label): \(answer.displayWidth): \(answer)")
                c.tick(wallMilliseconds: 500)
            }
        }
    }
}
