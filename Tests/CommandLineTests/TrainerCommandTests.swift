import Foundation
import Testing

/// `scenarios check`, `simulate --screens` and the theme options, from the real binary.
@Suite struct ScenariosCheckCommandTests {
    @Test func checkPassesOnEveryShippedLesson() throws {
        let r = try runOrderflow(["scenarios", "check"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("outage-312: ") && r.stdout.contains(" hold"))
        #expect(!r.stdout.contains("false"))
    }

    @Test func aRecordingFromAnotherVersionAndADbDirRunSaysSoAndStillRuns() throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("old.yaml")
        let text = """
            name: old
            recorded:
              orderflow: "0.1.0"
              dbDir: true
            config:
              traffic: {auto: false}
            steps:
              - at: 2s
                do: place-orders
                count: 3
                say:
              - at: 5s
                say: "The recorded session ends here."
            """
        try Data(text.utf8).write(to: file)
        let r = try runOrderflow(["simulate", "--scenario", file.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Note: recorded by orderflow 0.1.0, replayed by "))
        #expect(r.stdout.contains("Note: recorded from a --db-dir run: the replay keeps its databases in memory"))
        #expect(r.stdout.contains("CONFIRMED 2   PAYMENT_FAILED 1"), "the three orders ran: \(r.stdout)")
    }

    @Test func checkFailsNamingTheClaimAndTheRunsValue() throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("wrong.yaml")
        try Data(ScenarioClaimsText.wrong.utf8).write(to: file)
        let r = try runOrderflow(["scenarios", "check", file.path])
        #expect(r.status == 1)
        #expect(r.stdout.contains("wrong: 1 of 2 claims false"))
        #expect(
            r.stdout.contains(
                "\(file.path):8: steps[1].expect.anomalies.ordersWithoutEvent: ordersWithoutEvent > 0 — actually 0"))
        #expect(r.stderr == "orderflow: 1 claim is false\n")
    }
}

enum ScenarioClaimsText {
    static let wrong = """
        name: wrong
        steps:
          - {at: 0s, do: traffic, rate: 2}
          - at: 30s
            say: Nothing has gone wrong yet.
            expect:
              orders: {CONFIRMED: ">=10"}
              anomalies: {ordersWithoutEvent: ">0"}
        """
}

@Suite struct ScreensCommandTests {
    @Test func simulateWritesTheScreenOfEveryNarratedStep() throws {
        let dir = try temporaryDirectory().appendingPathComponent("deck")
        let r = try runOrderflow([
            "simulate", "--scenario", "happy-path", "--screens", dir.path, "--size", "120x40", "--theme", "light",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Wrote 4 narrated steps' screens (.txt and .svg) to \(dir.path)."))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(files.count == 8)
        #expect(files.first == "happy-path-step01-00h00m00s.svg")
        let text = try String(
            contentsOf: dir.appendingPathComponent("happy-path-step02-00h00m30s.txt"), encoding: .utf8)
        #expect(text.split(separator: "\n").count == 40 && text.contains("Step 2 of 4"))
        let svg = try String(contentsOf: dir.appendingPathComponent("happy-path-step02-00h00m30s.svg"), encoding: .utf8)
        #expect(svg.contains("width=\"1080\" height=\"720\"") && svg.contains("fill=\"#ffffff\""))
    }

    @Test(arguments: [
        (["simulate", "--scenario", "happy-path", "--screens", "d", "--size", "20x5"], "--size expects COLUMNSxROWS"),
        (["simulate", "--screens", "d"], "--screens needs --scenario NAME"),
        (
            ["simulate", "--scenario", "happy-path", "--screens", "d", "--theme", "neon"],
            "--theme: expected one of dark, light, high-contrast, got 'neon'"
        ),
        (["--theme", "neon"], "--theme: expected one of dark, light, high-contrast, got 'neon'"),
    ])
    func badScreenOptionsAreOneLineAndExit2(_ arguments: [String], _ message: String) throws {
        let r = try runOrderflow(arguments, in: try temporaryDirectory())
        #expect(r.status == 2)
        #expect(r.stderr.contains(message) && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    }

    @Test func aRecordingOrACastThatCannotBeWrittenIsBadInputBeforeTheDashboardOpens() throws {
        let dir = try temporaryDirectory()
        for flag in ["--record", "--cast"] {
            let r = try runOrderflow([flag, dir.path], in: dir)
            #expect(r.status == 2, "\(flag)")
            #expect(r.stderr.hasPrefix("orderflow: \(dir.path)") && r.stderr.contains(flag), "\(r.stderr)")
        }
        let config = dir.appendingPathComponent("c.yaml")
        try Data("seed: 1\n".utf8).write(to: config)
        let same = try runOrderflow(["--config", config.path, "--record", config.path], in: dir)
        #expect(same.status == 2 && same.stderr.contains("an output never overwrites an input"))
        #expect(try String(contentsOf: config, encoding: .utf8) == "seed: 1\n", "the config is untouched")
        let missing = try runOrderflow(["scenarios", "check", "nowhere.yaml"], in: dir)
        #expect(missing.status == 2 && missing.stderr.split(separator: "\n").count == 1)
    }

    @Test func aDashboardThatCannotStartLeavesTheRecordingAndTheCastAsTheyWere() throws {
        let dir = try temporaryDirectory()
        let record = dir.appendingPathComponent("keep.yaml")
        let cast = dir.appendingPathComponent("keep.cast")
        try Data("an earlier recording\n".utf8).write(to: record)
        try Data("an earlier cast\n".utf8).write(to: cast)
        // No terminal on stdin: the dashboard exits 2 before its first frame.
        let r = try runOrderflow(["--record", record.path, "--cast", cast.path], in: dir)
        #expect(r.status == 2 && r.stderr.contains("needs a terminal"))
        #expect(try String(contentsOf: record, encoding: .utf8) == "an earlier recording\n")
        #expect(try String(contentsOf: cast, encoding: .utf8) == "an earlier cast\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["keep.cast", "keep.yaml"])
    }

    @Test func aBadThemeInTheEnvironmentNamesIt() throws {
        let r = try runOrderflow(
            ["simulate", "--scenario", "happy-path", "--screens", "d"], in: try temporaryDirectory(),
            environment: ["ORDERFLOW_THEME": "pink"])
        #expect(r.status == 2)
        #expect(r.stderr == "orderflow: ORDERFLOW_THEME: expected one of dark, light, high-contrast, got 'pink'\n")
    }
}
