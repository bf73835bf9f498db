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

    @Test func everyAnomalyHasItsRow() throws {
        let rows = Self.firstCells(after: "| anomaly | meaning | checker | sweep |", in: try Self.readme())
        let named = Set(rows.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "`")) })
        #expect(named == Set(Anomaly.allCases.map(\.rawValue)), "README's anomaly table and Anomaly differ")
    }
}
