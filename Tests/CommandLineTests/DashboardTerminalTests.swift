import Foundation
import Testing

/// The dashboard in a real terminal: tmux runs a shell, the test types and reads the screen.
@Suite(.serialized, .enabled(if: tmuxAvailable || runningOnCI, "needs tmux (always runs on CI)"))
struct DashboardTerminalTests {
    static let paneTitles = ["Orders", "Topics", "Consumer groups", "Services", "Events", "Invariants"]

    /// Starts the dashboard with auto traffic off, recording `stty -g` before and after and the exit status.
    func start(_ session: TmuxSession, extraArguments: String = "") throws {
        try "seed: 42\ntraffic:\n  auto: false\n".write(
            to: session.file("config.yaml"), atomically: true, encoding: .utf8)
        let exe = orderflowExecutable().path
        try session.type(
            "stty -g > before.txt; sh -c 'echo $$ > pid.txt; exec \(exe) --config config.yaml \(extraArguments)'; "
                + "echo \"exit=$?\"; stty -g > after.txt")
        try session.waitFor("the six panes") { screen in Self.paneTitles.allSatisfy { screen.contains("─ \($0) ─") } }
    }

    func pending(_ s: String) -> Int? { number(#"PENDING_PAYMENT +(\d+)"#, in: s) }
    func total(_ s: String) -> Int? { number(#"accepted (\d+)"#, in: s) }
    func paymentLag(_ s: String) -> Int? { number(#"payment-service \w+ · lag (\d+)"#, in: s) }

    func expectTerminalRestored(_ session: TmuxSession, exitCode: Int) throws {
        try session.waitFor("the shell after exit") { $0.contains("exit=\(exitCode)") }
        Thread.sleep(forTimeInterval: 0.3)
        let before = try String(contentsOf: session.file("before.txt"), encoding: .utf8)
        let after = try String(contentsOf: session.file("after.txt"), encoding: .utf8)
        #expect(!before.isEmpty)
        #expect(before == after, "stty -g differs after the dashboard exited")
        #expect(try session.screen().contains("exit=\(exitCode)"), "the main screen is back")
    }

    @Test func theLessonAt120x40() throws {
        let session = try TmuxSession(width: 120, height: 40)
        try start(session)
        var screen = try session.screen()
        #expect(screen.contains("seed 42"))
        #expect(screen.contains("CURRENT-OFFSET LOG-END-OFFSET"))

        // o ×5: five more orders.
        for _ in 0..<5 { try session.press("o") }
        try session.waitFor("5 orders") { total($0) == 5 }
        try session.waitFor("the orders to settle") { pending($0) == 0 && paymentLag($0) == 0 }

        // k: the payment consumer dies; lag climbs as orders arrive and they stay PENDING_PAYMENT.
        try session.press("k")
        try session.waitFor("killed payment instances") { $0.contains("#1 killed") && $0.contains("#2 killed") }
        for n in 1...3 {
            try session.press("o")
            try session.waitFor("lag \(n)") { paymentLag($0) == n && pending($0) == n }
        }
        Thread.sleep(forTimeInterval: 1.5)
        screen = try session.screen()
        #expect(pending(screen) == 3, "nobody charges while payment-service is down")
        #expect(paymentLag(screen) == 3)

        // k again: the consumers come back, the lag drains to 0, and every order settles.
        try session.press("k")
        screen = try session.waitFor("the lag to drain") { paymentLag($0) == 0 && pending($0) == 0 }
        let confirmed = number(#"CONFIRMED +(\d+)"#, in: screen) ?? -1
        let failed = number(#"PAYMENT_FAILED +(\d+)"#, in: screen) ?? -1
        #expect(confirmed + failed == 8)

        // c: the next order is committed and never published.
        try session.press("c")
        try session.press("o")
        screen = try session.waitFor("the dual-write loss") { $0.contains("●   1 ordersWithoutEvent") }
        Thread.sleep(forTimeInterval: 1)
        #expect(pending(try session.screen()) == 1)

        // Resizes relay out the screen.
        try session.resize(width: 80, height: 24)
        try session.waitFor("the compact layout") { $0.contains("CURRENT LOG-END") && !$0.contains("CURRENT-OFFSET") }
        try session.resize(width: 60, height: 20)
        try session.waitFor("the size message") {
            $0.contains("orderflow needs at least 80×24") && $0.contains("this terminal is 60×20")
        }
        try session.resize(width: 120, height: 40)
        try session.waitFor("the full layout again") { screen in
            screen.contains("CURRENT-OFFSET") && Self.paneTitles.allSatisfy { screen.contains("─ \($0) ─") }
        }

        try session.press("q")
        try expectTerminalRestored(session, exitCode: 0)
    }

    @Test func compactAt80x24() throws {
        let session = try TmuxSession(width: 80, height: 24)
        try start(session)
        #expect(try session.screen().contains("CURRENT LOG-END"))
        for _ in 0..<5 { try session.press("o") }
        try session.waitFor("5 orders") { total($0) == 5 }
        try session.press("?")
        try session.waitFor("the help overlay") {
            $0.contains("─ ▶ Keys ─") && $0.contains("kill / restart payment")
                && $0.contains("guided: go to the next step")
        }
        try session.press("Escape")
        try session.waitFor("the help to close") { !$0.contains("─ ▶ Keys ─") }
        try session.press("q")
        try expectTerminalRestored(session, exitCode: 0)
    }

    /// The brokers lesson at projector size: digit keys kill two brokers, the next orders' sends
    /// are refused, and the Services pane names the error first; the Brokers pane replaces Topics.
    @Test func brokersAt80x24() throws {
        let session = try TmuxSession(width: 80, height: 24)
        // A killed broker is fenced at once here (the session timeout has tests of its own).
        try
            "seed: 42\ntraffic:\n  auto: false\nbus:\n  brokerSessionTimeout: 0s\nproducer:\n  deliveryTimeout: 2s\n  requestTimeout: 2s\n"
            .write(
                to: session.file("config.yaml"), atomically: true, encoding: .utf8)
        let exe = orderflowExecutable().path
        try session.type(
            "stty -g > before.txt; \(exe) --config config.yaml --brokers 3; echo \"exit=$?\"; stty -g > after.txt")
        // The whole first frame: a capture can land while the terminal is still drawing it.
        var screen = try session.waitFor("the Brokers pane, acks in the header, the broker keys in the footer") {
            $0.contains("─ Brokers ─") && $0.contains("acks=all") && $0.contains("1-9 broker")
        }
        #expect(!screen.contains("─ Topics ─"), "the Brokers pane takes Topics' place")
        try session.press("2")
        try session.press("3")
        try session.waitFor("two brokers fenced") { $0.contains("2 fenced · 3 fenced") }
        try session.press("o")
        screen = try session.waitFor("the send refused, retried, then given up") {
            $0.contains("NotEnoughReplicas") && $0.contains("1 gave up")
        }
        #expect(screen.contains("UnderMinIsr 9"))
        try session.press("q")
        try expectTerminalRestored(session, exitCode: 0)
    }

    /// The narrated outage, guided: the clock stops at each step until g.
    @Test func guidedOutageHonestThroughItsFirstSteps() throws {
        let session = try TmuxSession(width: 120, height: 40)
        let exe = orderflowExecutable().path
        try session.type(
            "stty -g > before.txt; \(exe) --scenario outage-honest --guided; echo \"exit=$?\"; stty -g > after.txt")
        var screen = try session.waitFor("step 1, waiting") { screen in
            screen.contains("─ Narration ─") && screen.contains("Step 1 of 9 — The same deploy")
                && screen.contains("g: NEXT STEP")
        }
        #expect(!screen.contains("─ Events ─"), "Narration takes the Events pane's place")
        Thread.sleep(forTimeInterval: 1.5)
        screen = try session.screen()
        #expect(screen.contains("00:00:00.000"), "the clock waits for the trainer")
        #expect(screen.contains("Step 1 of 9"))

        try session.press("g")
        screen = try session.waitFor("step 2 and its nine orders") {
            $0.contains("Step 2 of 9 — A quiet morning") && total($0) == 9
        }
        #expect(pending(screen) == 9, "held at the moment they were placed")

        try session.press("g")
        try session.press(">", ">", ">")
        screen = try session.waitFor("step 3: the deploy stops payment-service") { screen in
            screen.contains("Step 3 of 9 — payment-service stops") && screen.contains("#1 stopped")
                && screen.contains("#2 stopped")
        }
        #expect(screen.contains("00:00:10.000"), "held at the step's time")
        #expect(pending(screen) == 0, "the nine orders went through before the deploy")
        #expect(screen.contains("g: NEXT STEP"))

        try session.press("q")
        try expectTerminalRestored(session, exitCode: 0)
    }

    @Test func ctrlCRestoresTheTerminal() throws {
        let session = try TmuxSession(width: 100, height: 30)
        try start(session)
        try session.press("C-c")
        try expectTerminalRestored(session, exitCode: 0)
    }

    @Test("SIGTERM and SIGHUP restore the terminal", arguments: [SIGTERM, SIGHUP])
    func signalRestoresTheTerminal(signal: Int32) throws {
        let session = try TmuxSession(width: 100, height: 30)
        try start(session)
        let pidText = try String(contentsOf: session.file("pid.txt"), encoding: .utf8).trimmingCharacters(
            in: .whitespacesAndNewlines)
        let pid = try #require(Int32(pidText))
        #expect(kill(pid, signal) == 0)
        try expectTerminalRestored(session, exitCode: 0)
    }

    @Test func unknownTermIsRefusedWithOneLine() throws {
        let session = try TmuxSession(width: 100, height: 30)
        let exe = orderflowExecutable().path
        try session.type("TERM=no-such-terminal \(exe); echo \"exit=$?\"")
        let screen = try session.waitFor("the exit status") { number(#"exit=(\d+)"#, in: $0) != nil }
        #expect(screen.contains("exit=2"))
        #expect(
            screen.contains(
                "orderflow: unknown terminal type 'no-such-terminal'; for a headless run use 'orderflow simulate'"))
    }
}

@Suite struct DashboardRefusalTests {
    @Test func withoutATerminalTheDashboardPointsToSimulate() throws {
        let r = try runOrderflow([])
        #expect(r.status == 2)
        #expect(
            r.stderr
                == "orderflow: the dashboard needs a terminal on stdin and stdout; for a headless run use 'orderflow simulate'\n"
        )
        #expect(r.stdout.isEmpty)
    }
}
