import Foundation
import Simulation
import Testing

@testable import Dashboard

/// What each narrated step points at is on screen, whole, at 80×24 and at 120×40: the numbers
/// and names its text cites, read from the rendered grid as the class sees it. The claims
/// (`NarrationClaimsTests`) say the story is true; these say the screen shows it. The narration
/// itself is whole too: no step ends in "more ↓".
@Suite struct NarrationOnScreenTests {
    /// Per scenario, per narrated step: text that must be on screen at both sizes ("a|b": either,
    /// where the two sizes word the same thing differently). A fixture the terminal test reads
    /// too (`Tests/Fixtures/narration-on-screen.json`).
    static func pointers() throws -> [String: [[String]]] {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/narration-on-screen.json")
        return try JSONDecoder().decode([String: [[String]]].self, from: Data(contentsOf: file))
    }

    /// Whether `screen` shows `pointer` ("a|b": either).
    static func shows(_ screen: String, _ pointer: String) -> Bool {
        pointer.split(separator: "|").contains { screen.contains($0) }
    }

    @Test(arguments: OneTruthTests.shipped)
    func everyStepShowsWhatItPointsAt(name: String) throws {
        let pointers = try #require(try Self.pointers()[name], "\(name) has pointers")
        let c = try PresenterTests.controller(name)
        #expect(c.player?.scenario.narratedSteps == pointers.count, "\(name): one list per narrated step")
        for (i, shown) in pointers.enumerated() {
            PresenterTests.play(c, toStep: i + 1)
            var view = DashboardView(
                snapshot: c.simulation.snapshot(), state: c.state, config: c.simulation.config, glyphs: .unicode)
            view.scenario = c.player?.progress
            for size in WholeLinesTests.sizes {
                let screen = view.render(width: size.width, height: size.height).grid.lines.joined(separator: "\n")
                let at = "\(name) step \(i + 1) at \(size.width)×\(size.height)"
                #expect(screen.contains("Step \(i + 1) of"), "\(at): the step is on screen")
                #expect(!screen.contains("more ↓"), "\(at): the narration is whole\n\(screen)")
                for text in shown where !Self.shows(screen, text) {
                    Issue.record("\(at) does not show '\(text)'\n\(screen)")
                }
            }
        }
    }
}
