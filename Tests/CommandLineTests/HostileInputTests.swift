import Foundation
import Testing

/// Careless or hostile input: every case ends (within a bound), with exit 0, 1 or 2, one line
/// on stderr naming what was wrong, and nothing damaged.
@Suite struct HostileInputTests {
    struct Case: CustomStringConvertible, Sendable {
        var arguments: [String]
        var status: Int32
        var message: String
        var description: String { arguments.joined(separator: " ") }
    }

    static let badFlags: [Case] = [
        Case(
            arguments: ["simulate", "--duration", "99999999999999999999h"], status: 2,
            message: "--duration expects a virtual duration such as 90s or 20m, at most 720h"),
        Case(
            arguments: ["simulate", "--rate", "1e-300", "--orders", "20"], status: 2,
            message: "--orders: 20 orders at 1e-300/s take more than a million virtual hours; a run lasts at most 720h"),
        Case(
            arguments: ["simulate", "--orders", "9223372036854775807"], status: 2,
            message: "virtual hours; a run lasts at most 720h"),
        Case(
            arguments: ["simulate", "--rate", "-1"], status: 2,
            message: "--rate expects a number from 0 to 100000 such as 2 or 0.5, got '-1'"),
        Case(
            arguments: ["simulate", "--rate", "0x1p3"], status: 2,
            message: "--rate expects a number from 0 to 100000 such as 2 or 0.5, got '0x1p3'"),
        Case(arguments: ["simulate", "--trace", "%"], status: 2, message: "--trace: no order '%' in this run"),
        Case(arguments: ["simulate", "--trace", ""], status: 2, message: "--trace: no order '' in this run"),
        Case(arguments: ["simulate", "--config", ""], status: 2, message: "--config needs a path, got an empty one"),
        Case(arguments: ["simulate", "--events", ""], status: 2, message: "--events: needs a file path"),
        Case(
            arguments: ["simulate", "--brokers", "-1"], status: 2,
            message: "--brokers expects a number of brokers from 1 to 9, got -1"),
        Case(
            arguments: ["simulate", "--events", "/nonexistent-dir/x", "--log-file", "/nonexistent-dir/x"], status: 2,
            message:
                "--log-file: '/nonexistent-dir/x' is also --events: an output never overwrites an input or another output"
        ),
        Case(
            arguments: ["help", "nonexistent"], status: 2,
            message: "help: no subcommand 'nonexistent'; the subcommands are dashboard, simulate, scenarios"),
    ]

    @Test(arguments: badFlags)
    func aBadFlagGetsOneLineAndItsExitCode(_ c: Case) throws {
        let result = try runOrderflow(c.arguments)
        #expect(result.status == c.status, "\(c): \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(c): one line, got \(result.stderr)")
        #expect(result.stderr.contains(c.message), "\(c): \(result.stderr)")
    }

    @Test func aScenarioThatTurnsTrafficOffEndsAnOrderBudgetRun() throws {
        let started = Date()
        let result = try runOrderflow(["simulate", "--scenario", "redelivery", "--orders", "20"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 60, "it ends by its own rule")
    }

    @Test func eventsFollowASymlinkAndWriteToADeviceInPlace() throws {
        let dir = try temporaryDirectory()
        let target = dir.appendingPathComponent("target.jsonl")
        try Data().write(to: target)
        let link = dir.appendingPathComponent("link.jsonl")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        #expect(try runOrderflow(["simulate", "--orders", "5", "--events", link.path]).status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: link.path)
        #expect(attributes[.type] as? FileAttributeType == .typeSymbolicLink, "the link is still a link")
        let lines = try String(contentsOf: target, encoding: .utf8).split(separator: "\n")
        #expect(lines.count >= 5, "the export went through the link into its target")
        // A device is written to, not replaced: /dev/null stays a character device.
        #expect(try runOrderflow(["simulate", "--orders", "5", "--events", "/dev/null"]).status == 0)
        let null = try FileManager.default.attributesOfItem(atPath: "/dev/null")
        #expect(null[.type] as? FileAttributeType == .typeCharacterSpecial)
    }

    /// `.5` is a rate like `0.5` and `1e5`; a retention of 5 under three brokers runs (it used to trap).
    @Test func spellingsOfARateAndASmallRetentionWithBrokersRun() throws {
        #expect(try runOrderflow(["simulate", "--rate", ".5", "--orders", "2"]).status == 0)
        let dir = try temporaryDirectory()
        let config = dir.appendingPathComponent("retention.yaml")
        try Data("bus:\n  retention: 5\n".utf8).write(to: config)
        let result = try runOrderflow([
            "simulate", "--config", config.path, "--brokers", "3", "--rate", "200", "--orders", "200",
        ])
        #expect(result.status == 0, "\(result.stderr)")
    }

    /// An output never overwrites an input: `--events` onto the config it reads is refused and
    /// the config is left as it was; a full standard output is an error, not a silent success.
    @Test func outputsNeverOverwriteInputsAndAFullStandardOutputIsAnError() throws {
        let dir = try temporaryDirectory()
        let config = dir.appendingPathComponent("cfg.yaml")
        let text = "traffic:\n  rate: 3\n"
        try Data(text.utf8).write(to: config)
        let clash = try runOrderflow(["simulate", "--config", config.path, "--events", config.path, "--orders", "3"])
        #expect(clash.status == 2)
        #expect(clash.stderr.contains("is also --config: an output never overwrites an input"), "\(clash.stderr)")
        #expect(try String(contentsOf: config, encoding: .utf8) == text, "the config is untouched")
        let full = try runOrderflow(["simulate", "--orders", "3"], stdout: "/dev/full")
        #expect(full.status == 1)
        #expect(full.stderr == "orderflow: standard output: a write failed: No space left on device\n")
    }

    /// Nonsense that used to pass: each gets one line naming the file, line and key (or the
    /// flag), exit 2, and nothing runs.
    @Test func acceptedNonsenseIsNamed() throws {
        let dir = try temporaryDirectory()
        let quoted = dir.appendingPathComponent("quoted.yaml")
        try Data("bus:\n  brokers: '3'\n".utf8).write(to: quoted)
        let loop = dir.appendingPathComponent("loop.yaml")
        try FileManager.default.createSymbolicLink(atPath: loop.path, withDestinationPath: loop.path)
        let cases: [([String], String)] = [
            (
                ["simulate", "--config", quoted.path],
                "quoted.yaml:2: bus.brokers: expected a whole number, got the quoted string '3'"
            ),
            (
                ["simulate", "--scenario", "acks-1-failover", "--brokers", "1"],
                "acks-1-failover.yaml:30: steps[5].do: a broker fault needs replicated partitions"
            ),
            (["simulate", "--orders", "40", "--trace", "a"], "--trace: 'a' starts 2 order ids in this run"),
            (["simulate", "--scenario", loop.path], "loop.yaml: is a symbolic link that leads to no file"),
        ]
        for (arguments, message) in cases {
            let result = try runOrderflow(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }

    /// The reported hang: order-service crashes twice, the second time while its group still
    /// waits for the member that rejoined after the first. It used to spin for ever headless.
    @Test func twoCrashesInOneRebalanceEnd() throws {
        let dir = try temporaryDirectory()
        let config = dir.appendingPathComponent("config.yaml")
        try Data("consumers:\n  maxPollInterval: 10s\n".utf8).write(to: config)
        let scenario = dir.appendingPathComponent("crashes.yaml")
        try Data(
            """
            steps:
              - {at: 1s, do: crash-mid-publish, downtime: 0s}
              - {at: 5s, do: crash-mid-publish, downtime: 1s}
            """.utf8
        ).write(to: scenario)
        let started = Date()
        let result = try runOrderflow([
            "simulate", "--config", config.path, "--scenario", scenario.path, "--duration", "20s",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 60)
    }

    /// `--events` into a FIFO whose reader goes away: a failed write with its message, exit 1,
    /// not a silent death by SIGPIPE.
    @Test func aFifoWhoseReaderLeavesIsAFailedWrite() throws {
        let dir = try temporaryDirectory()
        let fifo = dir.appendingPathComponent("events.fifo")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/usr/bin/head")
        reader.arguments = ["-c", "10", fifo.path]
        reader.standardOutput = FileHandle.nullDevice
        try reader.run()
        let result = try runOrderflow(["simulate", "--orders", "2000", "--rate", "100", "--events", fifo.path])
        reader.waitUntilExit()
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr == "orderflow: \(fifo.path): --events: a write failed: Broken pipe\n")
    }

    @Test func aFullDeviceIsAnErrorNamingTheFile() throws {
        let result = try runOrderflow(["simulate", "--orders", "200", "--events", "/dev/full"])
        #expect(result.status == 1)
        #expect(result.stderr == "orderflow: /dev/full: --events: a write failed: No space left on device\n")
    }

    @Test func aLogThatCannotBeWrittenIsAnErrorNotACrash() throws {
        // As root /proc/1/status opens and every write fails; as anyone else it does not open.
        let result = try runOrderflow(["simulate", "--log-file", "/proc/1/status", "--scenario", "redelivery"])
        let refusedAtOpen =
            result.status == 2 && result.stderr.contains("/proc/1/status: --log-file: cannot be written")
        let failedAtWrite = result.status == 1 && result.stderr.contains("/proc/1/status: --log-file: a write failed")
        #expect(refusedAtOpen || failedAtWrite, "\(result.status): \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        let full = try runOrderflow(["simulate", "--log-file", "/dev/full", "--scenario", "redelivery"])
        #expect(full.status == 1)
        #expect(full.stderr == "orderflow: /dev/full: --log-file: a write failed: No space left on device\n")
    }

    @Test func anUnwritablePathIsBadInput() throws {
        let result = try runOrderflow(["simulate", "--orders", "5", "--events", "/proc/no-such-dir/x.jsonl"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("orderflow: /proc/no-such-dir/x.jsonl: --events: cannot be written: "))
    }
}

/// The rest of what a careless user does: a config that breaks a flag, two runs at once, a
/// scenario longer than --duration, and hundreds of mutated configs through the real binary.
@Suite struct HostileRunTests {
    @Test func aFlagErrorCausedByTheConfigNamesTheConfig() throws {
        let dir = try temporaryDirectory()
        try "traffic:\n  rate: 0\n".write(to: dir.appendingPathComponent("c.yaml"), atomically: false, encoding: .utf8)
        let result = try runOrderflow(["simulate", "--config", "c.yaml", "--orders", "20"], in: dir)
        #expect(result.status == 2)
        #expect(result.stderr == "orderflow: c.yaml: traffic.rate: --orders needs a traffic rate above 0 (--rate)\n")
    }

    @Test func twoRunsStartedTogetherIntoOneDirectoryCannotBothHaveIt() throws {
        let dir = try temporaryDirectory().appendingPathComponent("db")
        let runs = (0..<2).map { _ in
            let process = Process()
            process.executableURL = orderflowExecutable()
            process.arguments = ["simulate", "--db-dir", dir.path, "--orders", "20"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            return process
        }
        for run in runs { try run.run() }
        for run in runs { run.waitUntilExit() }
        #expect(runs.map(\.terminationStatus).sorted() == [0, 2], "exactly one run gets the directory")
    }

    @Test func theSummarySaysWhenAScenarioOutlastsDuration() throws {
        let result = try runOrderflow(["simulate", "--scenario", "redelivery", "--duration", "10s"])
        #expect(result.status == 0)
        #expect(
            result.stdout.contains("Note: the scenario's last step at 1m ran past --duration 10s; every step runs."))
    }

    @Test func mutatedConfigsThroughTheBinaryExitCleanlyInOneLine() throws {
        let shipped = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("config/orderflow.yaml"), encoding: .utf8)
        let dir = try temporaryDirectory()
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let nonsense = [
            "99999999999999999999h", "-1", "1e308", "0x1p3", "💶", "~", "[]", "{", "9223372036854775807", "0",
        ]
        for n in 0..<40 {
            var lines = shipped.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for _ in 0..<(1 + next(3)) {
                let i = next(lines.count)
                if let colon = lines[i].firstIndex(of: ":"), next(2) == 0 {
                    lines[i] = String(lines[i][...colon]) + " " + nonsense[next(nonsense.count)]
                } else {
                    lines.insert(lines[i], at: i)
                }
            }
            let file = dir.appendingPathComponent("m\(n).yaml")
            try lines.joined(separator: "\n").write(to: file, atomically: false, encoding: .utf8)
            let started = Date()
            let result = try runOrderflow(["simulate", "--config", file.path, "--duration", "3s"])
            #expect([0, 2].contains(result.status), "m\(n).yaml: exit \(result.status): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count <= 1, "m\(n).yaml: \(result.stderr)")
            #expect(Date().timeIntervalSince(started) < 60, "m\(n).yaml took too long")
        }
    }
}
