import Foundation
import Testing

/// The process-level benchmarks (terminal bytes and startup, the simulated day) at a tiny size,
/// against the debug binary: the scripts must keep working, or Benchmarks/scripts/run would rot.
@Suite(.serialized) struct BenchmarkScriptTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardized

    func run(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = Self.repository
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("bench-script-\(UUID().uuidString).txt")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: out) }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, try String(contentsOf: out, encoding: .utf8))
    }

    @Test func terminalMeasurementsReportStartupAndBytesPerFrame() throws {
        let (status, output) = try run(
            "/usr/bin/env", ["python3", "Benchmarks/scripts/pty_measure.py", orderflowExecutable().path],
            environment: ["PTY_RUNS": "1", "PTY_WINDOW": "1"])
        #expect(status == 0)
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Double])
        #expect((figures["startup_ms"] ?? 0) > 0)
        #expect((figures["bytes_per_frame"] ?? 0) > 0)
        #expect(
            (figures["full_frame_bytes"] ?? 0) > (figures["bytes_per_frame"] ?? 0),
            "a steady frame sends less than a full one")
    }

    @Test func simulatedDaySamplesMemoryAndReports() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("bench-day-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let (status, output) = try run(
            "/bin/bash", ["Benchmarks/scripts/memory-day.sh", out.path],
            environment: ["DURATION": "2m", "ORDERFLOW": orderflowExecutable().path, "SAMPLE_SECONDS": "1"])
        #expect(status == 0)
        #expect(output.contains("Maximum resident set size"))
        let csv = try String(contentsOf: out.appendingPathComponent("rss.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("seconds,rss_kb\n"))
        let report = try Data(contentsOf: out.appendingPathComponent("day-report.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: report) as? [String: Any])
        #expect(json["drained"] as? Bool == true)
    }

    @Test func simulatedDayRunsWithTheDefaultRetentionAndNoDatabaseDirectory() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("bench-day-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let (status, output) = try run(
            "/bin/bash", ["Benchmarks/scripts/memory-day.sh", out.path],
            environment: [
                "DURATION": "1m", "ORDERFLOW": orderflowExecutable().path, "SAMPLE_SECONDS": "1",
                "CONFIG": "Benchmarks/configs/day-default-retention.yaml", "NO_DB_DIR": "1",
            ])
        #expect(status == 0)
        #expect(output.contains("Maximum resident set size"))
        let report = try Data(contentsOf: out.appendingPathComponent("day-report.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: report) as? [String: Any])
        #expect(json["drained"] as? Bool == true)
    }

    @Test func dashboardAtMaxSpeedSamplesItsMemory() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("bench-rss-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let (status, output) = try run(
            "/usr/bin/env",
            ["python3", "Benchmarks/scripts/dashboard_memory.py", orderflowExecutable().path, out.path],
            environment: ["DURATION_SECONDS": "3", "SAMPLE_SECONDS": "1"])
        #expect(status == 0)
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Double])
        #expect((figures["peak_rss_mb"] ?? 0) > 1)
        #expect((figures["last_rss_mb"] ?? 0) <= (figures["peak_rss_mb"] ?? 0))
        let csv = try String(contentsOf: out.appendingPathComponent("dashboard-rss.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("seconds,rss_kb\n"))
        #expect(csv.split(separator: "\n").count >= 3, "a sample a second after the header")
    }
}
