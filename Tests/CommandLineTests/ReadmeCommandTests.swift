import Foundation
import Testing

/// Every `swift run orderflow …` command in the README runs as written (with the built binary
/// for `swift run orderflow`, in a scratch directory holding the README's own example files).
@Suite(.serialized) struct ReadmeCommandTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md")

    /// The commands in the README's code blocks, comments stripped.
    static func commands() throws -> [[String]] {
        var inBlock = false
        var commands: [[String]] = []
        for line in try String(contentsOf: readme, encoding: .utf8).split(separator: "\n") {
            if line.hasPrefix("```") {
                inBlock.toggle()
                continue
            }
            guard inBlock, line.hasPrefix("swift run orderflow") else { continue }
            let command = line.split(separator: "#").first.map(String.init) ?? String(line)
            commands.append(Array(command.split(separator: " ").map(String.init).dropFirst(3)))
        }
        return commands
    }

    /// The README's example scenario, as a file the commands can name.
    static func exampleScenario() throws -> String {
        let text = try String(contentsOf: readme, encoding: .utf8)
        guard let start = text.range(of: "```yaml\nname: my-outage"),
            let end = text.range(of: "```", range: start.upperBound..<text.endIndex)
        else { throw CocoaError(.fileReadCorruptFile) }
        return String(text[text.index(start.lowerBound, offsetBy: 8)..<end.lowerBound])
    }

    @Test func theReadmeHasCommandsToRun() throws {
        let commands = try Self.commands()
        #expect(commands.count >= 8)
        #expect(commands.contains { $0.first == "simulate" })
        #expect(commands.contains { $0.isEmpty }, "the dashboard itself")
    }

    @Test func everyHeadlessCommandRunsAsWritten() throws {
        let dir = try temporaryDirectory()
        try Self.exampleScenario().write(
            to: dir.appendingPathComponent("my-outage.yaml"), atomically: false, encoding: .utf8)
        for var arguments in try Self.commands() where arguments.first == "simulate" || arguments.first == "scenarios" {
            // --db-dir wants an empty directory: the README's /tmp path, made unique for the test.
            if let i = arguments.firstIndex(of: "--db-dir") {
                arguments[i + 1] = dir.appendingPathComponent("db-\(i)").path
            }
            let result = try runOrderflow(arguments, in: dir)
            #expect(result.status == 0, "orderflow \(arguments.joined(separator: " ")): \(result.stderr)")
            #expect(!result.stdout.isEmpty)
        }
    }

    @Test(.enabled(if: tmuxAvailable || runningOnCI, "needs tmux (always runs on CI)"))
    func everyDashboardCommandStartsAndQuits() throws {
        for arguments in try Self.commands() where arguments.first != "simulate" && arguments.first != "scenarios" {
            let session = try TmuxSession(width: 120, height: 40)
            try session.type("\(orderflowExecutable().path) \(arguments.joined(separator: " ")); echo \"exit=$?\"")
            try session.waitFor("the dashboard of '\(arguments.joined(separator: " "))'") { $0.contains("─ Orders ─") }
            try session.press("q")
            try session.waitFor("its exit") { $0.contains("exit=0") }
        }
    }
}
