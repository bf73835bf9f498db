import Foundation
import Testing

/// The trainer's tools in a real terminal: `--record`, `--cast`, `s`, `z`, `w` and a theme.
@Suite(.serialized, .enabled(if: tmuxAvailable || runningOnCI, "needs tmux (always runs on CI)"))
struct TrainerToolsTerminalTests {
    @Test func aRecordedSessionACastAndASavedScreen() throws {
        let session = try TmuxSession(width: 80, height: 24)
        try "seed: 7\ntraffic:\n  auto: false\n".write(
            to: session.file("config.yaml"), atomically: true, encoding: .utf8)
        let exe = orderflowExecutable().path
        try session.type(
            "\(exe) --config config.yaml --record demo.yaml --cast demo.cast --screens shots --theme light; echo \"exit=$?\""
        )
        try session.waitFor("the dashboard recording") { $0.contains("REC") && $0.contains("─ Orders ─") }
        for _ in 0..<3 { try session.press("o") }
        try session.waitFor("3 orders") { number(#"accepted (\d+)"#, in: $0) == 3 }
        try session.press("k")
        try session.waitFor("the kill's answer") { $0.contains("killed") }
        try session.press("s")
        try session.waitFor("the saved screen") { $0.contains("saved the screen as") }
        try session.press("z")
        try session.waitFor("zoom's answer") { $0.contains("Tab to one first") }
        try session.press("Tab", "z")
        try session.waitFor("the zoomed pane") { $0.contains("z or Esc: back") }
        try session.press("Escape")
        try session.waitFor("the panes again") { $0.contains("─ Invariants ─") && !$0.contains("z or Esc: back") }
        try session.press("q")
        let screen = try session.waitFor("the exit") { $0.contains("exit=0") }
        #expect(screen.contains("recorded 4 inputs to demo.yaml"))

        // The recording is a scenario: it names its origin, its inputs wait for narration, and it plays.
        let recording = try String(contentsOf: session.file("demo.yaml"), encoding: .utf8)
        #expect(recording.contains("recorded:\n  orderflow: \"0.26.0\"\n  dbDir: false"))
        #expect(recording.contains("  seed: 7") && recording.contains("    do: place-orders\n    count: 1\n    say:\n"))
        #expect(recording.contains("    do: kill\n    service: payment-service\n    say:\n"))
        let replay = try runOrderflow(["simulate", "--scenario", session.file("demo.yaml").path])
        #expect(replay.status == 0, "\(replay.stderr)")

        // The cast: an asciicast v2 header, then frames.
        let cast = try String(contentsOf: session.file("demo.cast"), encoding: .utf8).split(separator: "\n")
        let header = try JSONSerialization.jsonObject(with: Data(cast[0].utf8)) as? [String: Any]
        #expect(header?["version"] as? Int == 2 && header?["width"] as? Int == 80 && header?["height"] as? Int == 24)
        #expect(cast.count > 5)
        for line in cast.dropFirst() {
            let event = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any]
            #expect(event?.count == 3 && (event?[1] as? String == "o" || event?[1] as? String == "r"))
        }
        #expect(cast.contains { $0.contains("Orders") })

        // The screen: text and SVG, named by the time on the clock.
        let shots = try FileManager.default.contentsOfDirectory(atPath: session.file("shots").path).sorted()
        #expect(shots.count == 2 && shots[0].hasPrefix("orderflow-00h") && shots[0].hasSuffix(".svg"))
        let text = try String(contentsOf: session.file("shots").appendingPathComponent(shots[1]), encoding: .utf8)
        #expect(text.contains("─ Orders ─") && text.contains("REC"))
    }
}
