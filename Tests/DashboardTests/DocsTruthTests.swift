import Bus
import Foundation
import Simulation
import Testing

@testable import Dashboard

/// The README's tables against the code's own lists: a key, scenario or anomaly added without
/// its README row fails here, and so does a row left behind for one that went.
@Suite struct DocsTruthTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static func readme() throws -> String {
        try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
    }

    /// The first cells of the table that follows the line `header`, up to its end.
    static func firstCells(after header: String, in text: String) -> [String] {
        guard let start = text.range(of: header + "\n") else { return [] }
        var cells: [String] = []
        for line in text[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("|") else { break }
            let cell = line.dropFirst().split(separator: "|", maxSplits: 1).first ?? ""
            let trimmed = cell.trimmingCharacters(in: .whitespaces)
            if !trimmed.hasPrefix("---") { cells.append(trimmed) }
        }
        return cells
    }

    /// How the README spells a key in its key table.
    static func spelling(_ key: Key) -> String {
        switch key {
        case .character(" "): "space"
        case .character(let c): "`\(c)`"
        case .up: "↑"
        case .down: "↓"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .enter: "Enter"
        case .escape: "Esc"
        case .backspace: "Backspace"
        }
    }

    @Test func everyKeyHasItsRowAndEveryRowItsKey() throws {
        let rows = Self.firstCells(after: "| key | action |", in: try Self.readme())
        #expect(rows.count > 20)
        // `1`–`9` stands for the nine broker digits.
        let documented = rows.joined(separator: " ").replacingOccurrences(
            of: "`1`–`9`", with: (1...9).map { "`\($0)`" }.joined(separator: " "))
        for binding in Keymap.bindings {
            let spelled = binding.keys.map(Self.spelling)
            #expect(
                spelled.contains { documented.contains($0) },
                "README's key table lacks \(binding.label): \(binding.help)")
        }
        let known = Set(Keymap.bindings.flatMap { $0.keys.map(Self.spelling) })
        for row in rows {
            for token in row.split(separator: " ").map(String.init) where token.hasPrefix("`") {
                #expect(
                    known.contains(token) || row.contains("`1`–`9`"),
                    "README's key table names \(token), which no key binding has")
            }
        }
    }

    @Test func everyShippedScenarioHasItsRowAndEveryRowItsScenario() throws {
        let text = try Self.readme()
        let rows = Self.firstCells(after: "| # | scenario | what the class sees | end state |", in: text)
        let named = try Set(
            rows.indices.map { i in
                let line = text.components(separatedBy: "\n").first {
                    $0.hasPrefix("| \(rows[i]) | `")
                }
                return try #require(line?.split(separator: "`").dropFirst().first.map(String.init))
            })
        let shipped = Set(
            try FileManager.default.contentsOfDirectory(
                atPath: Self.root.appendingPathComponent("config/scenarios").path
            ).filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) })
        #expect(!shipped.isEmpty)
        #expect(named == shipped, "README's scenario table and config/scenarios differ")
    }

    /// The README's example scenario (the block that starts `name: my-outage`) is one: it parses,
    /// with every action it shows, and runs on the config it sets.
    @Test func theReadmesExampleScenarioParsesAndRuns() throws {
        let text = try Self.readme()
        let start = try #require(text.range(of: "```yaml\nname: my-outage\n"))
        let end = try #require(text.range(of: "\n```", range: start.upperBound..<text.endIndex))
        let yaml = "name: my-outage\n" + text[start.upperBound..<end.lowerBound]
        let scenario = try Scenario.parse(yaml, file: "README.md", name: "my-outage")
        let verbs = Set(
            yaml.split(separator: "\n").compactMap { line in
                line.range(of: "do: ").map { String(line[$0.upperBound...].prefix { $0 != "," && $0 != "}" }) }
            })
        #expect(
            verbs.isSuperset(of: [
                "kill-broker", "stop-broker", "restart-broker", "elect-unclean", "producer-idempotence",
            ]))
        let sim = try Simulation(config: try scenario.config(over: OrderflowConfig()))
        ScenarioPlayer(scenario: scenario, guided: false).advance(sim, to: VirtualTime(milliseconds: 40 * 60_000))
        #expect(sim.storageFailure == nil)
    }

    @Test func everyAnomalyHasItsRow() throws {
        let rows = Self.firstCells(after: "| anomaly | meaning | checker | sweep |", in: try Self.readme())
        let named = Set(rows.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "`")) })
        #expect(named == Set(Anomaly.allCases.map(\.rawValue)), "README's anomaly table and Anomaly differ")
    }

    /// The keys `config/orderflow.yaml` spells out, qualified, leaves only (a section is not a key).
    static func documentedConfigKeys() throws -> Set<String> {
        let text = try String(contentsOf: root.appendingPathComponent("config/orderflow.yaml"), encoding: .utf8)
        var keys: Set<String> = []
        var path: [(indent: Int, key: String)] = []
        for line in text.split(separator: "\n") {
            let trimmed = line.drop { $0 == " " }
            guard !trimmed.hasPrefix("#"), !trimmed.hasPrefix("-"), let colon = trimmed.firstIndex(of: ":") else {
                continue
            }
            let indent = line.count - trimmed.count
            while let last = path.last, last.indent >= indent { path.removeLast() }
            let key = String(trimmed[..<colon])
            let value =
                trimmed[trimmed.index(after: colon)...].split(separator: "#").first?
                .trimmingCharacters(in: .whitespaces) ?? ""
            let qualified = (path.map(\.key) + [key]).joined(separator: ".")
            if value.isEmpty { path.append((indent, key)) } else { keys.insert(qualified) }
        }
        return keys
    }

    /// The config reference (`config/orderflow.yaml`, which the README sends a reader to for every
    /// setting) holds exactly the keys the loader asks for; every `section.key` the README's
    /// Config section names is one of them.
    @Test func everyConfigKeyIsDocumentedAndEveryDocumentedKeyIsRead() throws {
        let url = Self.root.appendingPathComponent("config/orderflow.yaml")
        let asked = try OrderflowConfig.knownKeys(
            readingEvery: String(contentsOf: url, encoding: .utf8), file: url.path)
        // A section is a key under which another key was asked for (`bus.topics` holds `bus.topics.order.created`).
        let leaves = asked.filter { key in !asked.contains { $0.hasPrefix(key + ".") } }
        let documented = try Self.documentedConfigKeys()
        #expect(leaves.count > 30)
        #expect(
            leaves.subtracting(documented).isEmpty,
            "read but not in config/orderflow.yaml: \(leaves.subtracting(documented).sorted())")
        #expect(
            documented.subtracting(leaves).isEmpty,
            "in config/orderflow.yaml but never read: \(documented.subtracting(leaves).sorted())")

        let readme = try Self.readme()
        guard let start = readme.range(of: "\n## Config\n"), let end = readme.range(of: "\n## Scenarios\n") else {
            Issue.record("README has no Config section")
            return
        }
        let topLevel = Set(asked.map { String($0.split(separator: ".")[0]) })
        var named: Set<String> = []
        for piece in readme[start.upperBound..<end.lowerBound].split(separator: "`").enumerated()
        where piece.offset % 2 == 1 {
            // `producer.*` names a section; `consumers.commit: batch` a key and its value.
            var token = String(piece.element.split(separator: ":").first ?? "").trimmingCharacters(in: .whitespaces)
            if token.hasSuffix(".*") { token = String(token.dropLast(2)) }
            guard let first = token.split(separator: ".").first, topLevel.contains(String(first)) else { continue }
            named.insert(token)
        }
        #expect(named.contains("bus.brokers") && named.contains("producer"))
        #expect(named.count > 5)
        for key in named {
            #expect(asked.contains(key), "README names `\(key)`, which the config loader does not read")
        }
    }
}
