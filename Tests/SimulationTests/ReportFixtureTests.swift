import Foundation
import Simulation
import Testing

/// Every shipped scenario's JSON report, kept from the run that last changed behaviour on purpose
/// (`Tests/Fixtures/reports/`). A faster path must change no result: the report stays the same to
/// the byte. When a change is meant to alter a result, refresh them with
/// `Benchmarks/scripts/refresh-report-fixtures` and say why in the commit.
@Suite struct ReportFixtureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static var shipped: [String] {
        let dir = root.appendingPathComponent("config/scenarios").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".yaml") }
            .map { String($0.dropLast(5)) }.sorted()
    }

    @Test func everyShippedScenarioHasAFixture() {
        let fixtures =
            ((try? FileManager.default.contentsOfDirectory(
                atPath: Self.root.appendingPathComponent("Tests/Fixtures/reports").path)) ?? [])
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
        #expect(!Self.shipped.isEmpty)
        #expect(fixtures == Self.shipped)
    }

    @Test(arguments: shipped)
    func theReportIsTheFixtureToTheByte(name: String) throws {
        let scenario = try Scenario.load(path: Self.root.appendingPathComponent("config/scenarios/\(name).yaml").path)
        let sim = try Simulation(config: try scenario.config(over: OrderflowConfig()))
        let drained = HeadlessRun(scenario: scenario).run(sim)
        let report = try SimulationReport(simulation: sim, drained: drained).json()
        let fixture = try String(
            contentsOf: Self.root.appendingPathComponent("Tests/Fixtures/reports/\(name).json"), encoding: .utf8)
        let got = report.split(separator: "\n", omittingEmptySubsequences: false)
        let want = fixture.trimmingCharacters(in: .newlines).split(separator: "\n", omittingEmptySubsequences: false)
        let common = min(got.count, want.count)
        let differing = (0..<common).first { got[$0] != want[$0] } ?? (got.count == want.count ? nil : common)
        if let i = differing {
            Issue.record(
                "\(name): line \(i + 1) differs\n got: \(i < got.count ? got[i] : "(end)")\nwant: \(i < want.count ? want[i] : "(end)")"
            )
        }
    }
}
