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

/// `stdout`: a path standard output goes to (such as /dev/full) instead of the result.
func runOrderflow(
    _ arguments: [String], in directory: URL? = nil, stdout path: String? = nil, environment: [String: String] = [:]
) throws -> RunResult {
    let process = Process()
    process.executableURL = orderflowExecutable()
    process.arguments = arguments
    if !environment.isEmpty {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    if let directory { process.currentDirectoryURL = directory }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = path.flatMap { FileHandle(forWritingAtPath: $0) } ?? out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    if path != nil { try out.fileHandleForWriting.close() }
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return RunResult(
        status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
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
        // Kafka's own layout: --state, --members, then the offsets, in ConsumerGroupCommand's widths.
        #expect(r.stdout.contains("GROUP                COORDINATOR (ID)          ASSIGNMENT-STRATEGY  STATE"))
        #expect(r.stdout.contains("HOST            CLIENT-ID              #PARTITIONS"))
        #expect(
            r.stdout.contains(
                "GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID"
            ))
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

    @Test(
        "bad input exits 2 with one line naming what is wrong",
        arguments: [
            (["simulate", "--duration", "soon"], "--duration expects a virtual duration"),
            (["simulate", "--bogus"], "Unknown option '--bogus'"),
            (
                ["simulate", "--config", "/nonexistent/orderflow.yaml"],
                "/nonexistent/orderflow.yaml: no such file"
            ),
            (["simulate", "--scenario", "/nonexistent/s.yaml"], "/nonexistent/s.yaml: no such file"),
            (["simulate", "--orders", "5", "--rate", "0"], "needs a traffic rate above 0"),
            (
                ["simulate", "--scenario", "no-such-lesson"],
                "--scenario: no scenario named 'no-such-lesson'; the scenarios are acks-1-failover, acks-all-min-isr, at-most-once, dead-letter"
            ),
            (["simulate", "--design", "hopeful"], "The value 'hopeful' is invalid for '--design"),
            (["simulate", "--duration", "5s", "--trace", "zzzz"], "--trace: no order 'zzzz' in this run"),
            (["--guided"], "--guided needs --scenario NAME"),
            (["simulate", "--brokers", "0"], "--brokers expects a number of brokers from 1 to 9, got 0"),
            (["simulate", "--brokers", "10"], "--brokers expects a number of brokers from 1 to 9, got 10"),
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
        #expect(second.stderr.contains("already holds") && second.stderr.contains("from an earlier run"))
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
        let r = try runOrderflow([
            "simulate", "--duration", "60s", "--rate", "2", "--scenario", scenario.path, "--json",
        ])
        #expect(r.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let invariants = try #require(report["invariants"] as? [String: Int])
        #expect(invariants["ordersWithoutEvent"] == 1)
        #expect(report["drained"] as? Bool == true)
        #expect((report["virtualSeconds"] as? Double ?? 0) >= 300)
    }

    /// `--brokers 3` turns the cluster on: replication factor 3, min.insync.replicas 2, acks=all,
    /// and the report says so; the summary prints the brokers block.
    @Test func brokersFlagRunsTheLessonsCluster() throws {
        let r = try runOrderflow(["simulate", "--brokers", "3", "--duration", "5s", "--json"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let cluster = try #require(report["cluster"] as? [String: Any])
        #expect((cluster["brokers"] as? [[String: Any]])?.count == 3)
        #expect(cluster["replicationFactor"] as? Int == 3 && cluster["minInsyncReplicas"] as? Int == 2)
        let producers = try #require(cluster["producers"] as? [[String: Any]])
        #expect(producers.allSatisfy { $0["acks"] as? String == "all" })
        let text = try runOrderflow(["simulate", "--brokers", "3", "--duration", "5s"])
        #expect(text.stdout.contains("Brokers    1 up   2 up   3 up   replication factor 3   min.insync.replicas 2"))
    }

    @Test func scenariosListsTheShippedLessonsWithOneLineEach() throws {
        let r = try runOrderflow(["scenarios"], in: try temporaryDirectory())
        #expect(r.status == 0)
        for name in [
            "happy-path", "outage-312", "outage-honest", "outage-outbox", "redelivery", "at-most-once", "dead-letter",
            "rebalance",
            "poll-storm", "rolling-deploy", "fire-and-forget", "acks-1-failover", "acks-all-min-isr",
            "retry-duplicates",
            "unclean-election", "divergent-epochs",
        ] {
            #expect(r.stdout.contains("\n  \(name) "), "scenarios lacks \(name)")
        }
        #expect(r.stdout.split(separator: "\n").count == 17)
    }

    /// The article's incident headless, by name, from any directory: the JSON carries both sweeps.
    @Test func simulateScenarioByNameReportsItsSweepsInJSON() throws {
        let r = try runOrderflow(
            ["simulate", "--scenario", "outage-312", "--json", "--reconcile"], in: try temporaryDirectory())
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect((report["flow"] as? [String: String])?["design"] == "optimistic")
        let reconciliation = try #require(report["reconciliation"] as? [String: Any])
        let steps = try #require(reconciliation["steps"] as? [[String: Any]])
        #expect(steps.count == 2)
        #expect((steps[0]["counts"] as? [String: Int])?["confirmedWithoutCharge"] == 312)
        #expect((steps[0]["counts"] as? [String: Int])?["emailsWithoutCharge"] == 312)
        let final = try #require(reconciliation["final"] as? [String: Any])
        #expect((final["counts"] as? [String: Int])?["confirmedWithoutCharge"] == 4)
        #expect(final["ordersWithoutEvent"] as? [String] == final["confirmedWithoutCharge"] as? [String])
    }

    @Test func repairRepublishesTheLostEventsAndTraceFollowsOneOrder() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let scenario = dir.appendingPathComponent("loss.yaml")
        try "- {at: 5s, do: crash-mid-publish, downtime: 1s}\n".write(to: scenario, atomically: true, encoding: .utf8)
        let args = ["simulate", "--duration", "20s", "--rate", "2", "--scenario", scenario.path, "--json"]
        let lossy = try runOrderflow(args + ["--reconcile"])
        let lossyReport = try JSONSerialization.jsonObject(with: Data(lossy.stdout.utf8)) as? [String: Any]
        let lossyFinal = (lossyReport?["reconciliation"] as? [String: Any])?["final"] as? [String: Any]
        let lost = try #require(lossyFinal?["ordersWithoutEvent"] as? [String])
        #expect(lost.count == 1)

        let repaired = try runOrderflow(args + ["--repair", "--trace", String(lost[0].prefix(8))])
        #expect(repaired.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(repaired.stdout.utf8)) as? [String: Any])
        let reconciliation = try #require(report["reconciliation"] as? [String: Any])
        #expect((reconciliation["repair"] as? [String: Any])?["republished"] as? Int == 1)
        #expect((reconciliation["final"] as? [String: Any])?["ordersWithoutEvent"] as? [String] == [])
        #expect((report["invariants"] as? [String: Int])?["ordersWithoutEvent"] == 0)
        let trace = try #require(report["trace"] as? [String: Any])
        let steps = try #require(trace["steps"] as? [[String: Any]])
        #expect(steps.map { $0["what"] as? String }.contains("publish"))
        #expect(steps.contains { ($0["detail"] as? String)?.hasPrefix("order.created ") == true })

        let text = try runOrderflow(Array(args.dropLast()) + ["--trace", String(lost[0].prefix(8))])
        #expect(text.stdout.contains("Journey of order \(lost[0])"))
        #expect(text.stdout.contains("!!  publish: never published to order.created"))
    }

    @Test func switchesOnTheCommandLineReachTheRun() throws {
        let r = try runOrderflow([
            "simulate", "--duration", "10s", "--design", "optimistic", "--publish", "outbox",
            "--idempotency", "on", "--json",
        ])
        #expect(r.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(
            report["flow"] as? [String: String] == ["design": "optimistic", "publish": "outbox", "idempotency": "on"])
        #expect((report["outbox"] as? [String: Int])?["published"] ?? 0 > 0)
    }
}
