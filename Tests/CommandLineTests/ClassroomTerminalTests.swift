import Foundation
import Testing

/// The story a trainer tells, read off a real terminal at projector size: every narrated step
/// of `outage-312`, played guided with `]` (next step now), must be readable whole, and while
/// payment-service is down its group's lag and its stopped instances must be on screen.
@Suite(.serialized, .enabled(if: tmuxAvailable || runningOnCI, "needs tmux (always runs on CI)"))
struct ClassroomTerminalTests {
    /// The narrated steps of a shipped scenario, read from its YAML: each step's text, folded.
    static func narration(_ name: String) throws -> [String] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config/scenarios/\(name).yaml")
        var steps: [String] = []
        var current: String?
        for line in try String(contentsOf: url, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("say: >-") {
                current = ""
            } else if text.hasPrefix("say: ") {
                steps.append(String(text.dropFirst(5)))
            } else if var folded = current {
                if line.hasPrefix("      ") {
                    folded += (folded.isEmpty ? "" : " ") + text
                    current = folded
                } else {
                    steps.append(folded)
                    current = nil
                }
            }
        }
        if let current { steps.append(current) }
        return steps
    }

    /// The Narration pane's text as one line: what is inside its border, joined.
    static func narrationText(_ screen: String) -> String? {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        guard let top = lines.firstIndex(where: { String($0).contains("─ Narration ─") }) else { return nil }
        let row = String(lines[top])
        guard let range = row.range(of: "┌─ Narration") else { return nil }
        let x = row.distance(from: row.startIndex, to: range.lowerBound)
        var parts: [String] = []
        for line in lines[(top + 1)...] {
            guard line.count > x + 1, line[x] == "│" else { break }
            let inner = line[(x + 1)...].prefix { $0 != "│" }
            parts.append(String(inner).trimmingCharacters(in: .whitespaces))
        }
        return parts.joined(separator: " ").split(separator: " ").joined(separator: " ")
    }

    static func lastSentence(_ text: String) -> String {
        let sentences = text.split(separator: ".", omittingEmptySubsequences: true).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        return sentences.last { !$0.isEmpty } ?? text
    }

    func playOutage312(width: Int, height: Int) throws {
        let steps = try Self.narration("outage-312")
        #expect(steps.count == 9)
        let session = try TmuxSession(width: width, height: height)
        try session.type("\(orderflowExecutable().path) --scenario outage-312 --guided; echo \"exit=$?\"")
        try session.waitFor("the dashboard") { $0.contains("─ Narration ─") }
        for (i, text) in steps.enumerated() {
            let n = i + 1
            // The clock runs to step 1 by itself (the scenario starts at 10×); later steps take `]`.
            if n > 1 { try session.press("]") }
            let screen = try session.waitFor("step \(n) at \(width)×\(height)") { screen in
                guard let shown = Self.narrationText(screen) else { return false }
                return shown.contains("Step \(n) of 9") && shown.contains(Self.lastSentence(text))
            }
            #expect(screen.contains("g: NEXT STEP"), "step \(n): the header says the clock waits")
            #expect(!screen.contains("more ↓"), "step \(n) fits whole at \(width)×\(height)")
            // Steps 3 to 7: payment-service is down for the deploy.
            if (3...7).contains(n) {
                #expect(number(#"payment-service Empty · lag (\d+)"#, in: screen) != nil, "step \(n): its lag")
                let stopped =
                    (screen.contains("#1 stopped") && screen.contains("#2 stopped")) || screen.contains("#1 #2 stopped")
                #expect(stopped, "step \(n): its instances\n\(screen)")
            }
        }
        try session.press("q")
        try session.waitFor("exit") { $0.contains("exit=0") }
    }

    /// `]` to a step 100 virtual hours away, traffic all the way: the screen keeps being drawn
    /// (the progress line's virtual time moves), and `q` quits at once, the terminal restored.
    @Test func nextStepFarAwayKeepsDrawingAndQuitsAtOnce() throws {
        let session = try TmuxSession(width: 80, height: 24)
        try """
        name: faraway
        description: A step a hundred virtual hours away.
        steps:
          - {at: 0s, do: traffic, rate: 2, say: Two orders a second.}
          - {at: 0s, do: traffic, on: true}
          - {at: 100h, say: A hundred hours later.}
        """.write(to: session.file("faraway.yaml"), atomically: true, encoding: .utf8)
        try session.type("\(orderflowExecutable().path) --scenario faraway.yaml --guided; echo \"exit=$?\"")
        try session.waitFor("the dashboard") { $0.contains("─ Narration ─") }
        try session.press("g")
        try session.press("]")
        let first = try session.waitFor("the progress line") { $0.contains("running to step 2: ") }
        Thread.sleep(forTimeInterval: 1.5)
        let later = try session.screen()
        #expect(later.contains("running to step 2: "), "still running, and drawn\n\(later)")
        #expect(later != first, "frames keep coming while ] runs")
        let asked = Date()
        try session.press("q")
        try session.waitFor("exit", seconds: 5) { $0.contains("exit=0") }
        #expect(Date().timeIntervalSince(asked) < 3, "q answered at once")
    }

    @Test func outage312IsReadableAt80x24() throws { try playOutage312(width: 80, height: 24) }

    @Test func outage312IsReadableAt120x36() throws { try playOutage312(width: 120, height: 36) }

    /// The poll-interval lesson at projector size: at its fourth step the screen shows the slow
    /// provider, the member that left, the instance out of its group and the double charge.
    @Test func pollStormShowsTheMemberOutOfItsGroupAt80x24() throws {
        let session = try TmuxSession(width: 80, height: 24)
        try session.type("\(orderflowExecutable().path) --scenario poll-storm --guided; echo \"exit=$?\"")
        try session.waitFor("the dashboard") { $0.contains("─ Narration ─") }
        for _ in 0..<3 { try session.press("]") }
        let screen = try session.waitFor("step 4") { Self.narrationText($0)?.contains("Step 4 of 11") == true }
        #expect(screen.contains("payment-service · slow · left 1×"), "\(screen)")
        #expect(screen.contains("#1 out of group") || screen.contains("#2 out of group"), "\(screen)")
        #expect((number(#"●\s+(\d+) doubleCharges"#, in: screen) ?? 0) > 0, "\(screen)")
        try session.press("q")
        try session.waitFor("exit") { $0.contains("exit=0") }
    }
}
