import Foundation
import Testing

/// The built `orderflow` executable sits beside the test bundle in the build products.
func orderflowExecutable() -> URL {
    let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var dir = testBinary.deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("orderflow").path) && dir.path != "/" {
        dir.deleteLastPathComponent()
    }
    return dir.appendingPathComponent("orderflow")
}

struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

func runOrderflow(_ arguments: [String], in directory: URL? = nil) throws -> RunResult {
    let process = Process()
    process.executableURL = orderflowExecutable()
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return RunResult(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                     stderr: String(decoding: stderr, as: UTF8.self))
}

func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("orderflow-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

@Suite struct SimulateCommandTests {
    @Test func simulatePrintsTheSummaryWithKafkaColumns() throws {
        let r = try runOrderflow(["simulate", "--orders", "50", "--rate", "10"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("drained"))
        #expect(r.stdout.contains("GROUP                TOPIC             PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID"))
        #expect(r.stderr.isEmpty)
    }

    @Test func jsonAndEventsAreByteIdenticalAcrossRuns() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let args = ["simulate", "--seed", "3", "--duration", "30s", "--rate", "8", "--json"]
        let a = try runOrderflow(args + ["--events", dir.appendingPathComponent("a.jsonl").path])
        let b = try runOrderflow(args + ["--events", dir.appendingPathComponent("b.jsonl").path])
        #expect(a.status == 0 && b.status == 0)
        #expect(a.stdout == b.stdout)
        let eventsA = try Data(contentsOf: dir.appendingPathComponent("a.jsonl"))
        let eventsB = try Data(contentsOf: dir.appendingPathComponent("b.jsonl"))
        #expect(!eventsA.isEmpty)
        #expect(eventsA == eventsB)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(a.stdout.utf8)) as? [String: Any])
        #expect(report["seed"] as? Int == 3)
        #expect(report["virtualSeconds"] != nil)
    }

    @Test("bad input exits 2 with one line naming what is wrong", arguments: [
        (["simulate", "--duration", "soon"], "--duration expects a virtual duration"),
        (["simulate", "--bogus"], "Unknown option '--bogus'"),
        (["simulate", "--config", "/nonexistent/orderflow.yaml"], "/nonexistent/orderflow.yaml: cannot read the file"),
        (["simulate", "--scenario", "/nonexistent/s.yaml"], "/nonexistent/s.yaml: cannot read the file"),
        (["simulate", "--orders", "5", "--rate", "0"], "needs a traffic rate above 0"),
    ])
    func badInput(arguments: [String], message: String) throws {
        let r = try runOrderflow(arguments)
        #expect(r.status == 2)
        #expect(r.stderr.contains(message), "stderr was: \(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stdout.isEmpty)
    }

    @Test func badConfigNamesFileLineAndKey() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("bad.yaml")
        try "seed: 1\ntraffic:\n  rate: 2\n  burst: 9\n".write(to: config, atomically: true, encoding: .utf8)
        let r = try runOrderflow(["simulate", "--config", config.path])
        #expect(r.status == 2)
        #expect(r.stderr == "orderflow: \(config.path):4: traffic.burst: unknown key\n")
    }

    @Test func dbDirRefusesToOverwriteAnEarlierRun() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try runOrderflow(["simulate", "--duration", "5s", "--db-dir", dir.path])
        #expect(first.status == 0)
        let before = try Data(contentsOf: dir.appendingPathComponent("orders.sqlite"))
        let second = try runOrderflow(["simulate", "--duration", "5s", "--db-dir", dir.path])
        #expect(second.status == 2)
        #expect(second.stderr.contains("already holds orders.sqlite from an earlier run"))
        #expect(try Data(contentsOf: dir.appendingPathComponent("orders.sqlite")) == before)
    }

    @Test func scenarioFileDrivesTheFaultInjector() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let scenario = dir.appendingPathComponent("outage.yaml")
        try """
            - {at: 10s, do: stop, service: payment-service}
            - {at: 20s, do: crash-mid-publish}
            - {at: 5m, do: start, service: payment-service}
            """.write(to: scenario, atomically: true, encoding: .utf8)
        let r = try runOrderflow(["simulate", "--duration", "60s", "--rate", "2", "--scenario", scenario.path, "--json"])
        #expect(r.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let invariants = try #require(report["invariants"] as? [String: Int])
        #expect(invariants["ordersWithoutEvent"] == 1)
        #expect(report["drained"] as? Bool == true)
        #expect((report["virtualSeconds"] as? Double ?? 0) >= 300)
    }
}
