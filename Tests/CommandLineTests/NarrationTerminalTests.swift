import Foundation
import Testing

/// Every shipped lesson stepped with `]` in a real terminal at 80×24, as a trainer steps it:
/// at each step the narration is whole and the screen shows what its text points at — the same
/// pointers (`Tests/Fixtures/narration-on-screen.json`) the dashboard tests check in a render
/// at 80×24 and 120×40.
@Suite(.serialized, .enabled(if: tmuxAvailable || runningOnCI, "needs tmux (always runs on CI)"))
struct NarrationTerminalTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/narration-on-screen.json")

    static var lessons: [String] {
        let data = (try? Data(contentsOf: fixture)) ?? Data()
        let table = (try? JSONDecoder().decode([String: [[String]]].self, from: data)) ?? [:]
        return table.keys.sorted()
    }

    @Test(arguments: lessons)
    func everyStepShowsWhatItPointsAtIn80x24(name: String) throws {
        let table = try JSONDecoder().decode([String: [[String]]].self, from: Data(contentsOf: Self.fixture))
        let steps = try #require(table[name])
        let session = try TmuxSession(width: 80, height: 24)
        try session.type("\(orderflowExecutable().path) --scenario \(name) --guided; echo \"exit=$?\"")
        for (i, pointers) in steps.enumerated() {
            let n = i + 1
            // The first step is reached on its own (the lesson opens on hold there); `]` runs to the next.
            if n > 1 { try session.press("]") }
            let screen = try session.waitFor("\(name) step \(n)") { screen in
                ClassroomTerminalTests.narrationText(screen)?.contains("Step \(n) of \(steps.count)") == true
            }
            #expect(!screen.contains("more ↓"), "\(name) step \(n): the narration is whole\n\(screen)")
            for pointer in pointers where !pointer.split(separator: "|").contains(where: { screen.contains($0) }) {
                Issue.record("\(name) step \(n) does not show '\(pointer)'\n\(screen)")
            }
        }
        try session.press("q")
        try session.waitFor("exit") { $0.contains("exit=0") }
    }
}
