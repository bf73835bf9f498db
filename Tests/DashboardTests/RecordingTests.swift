import Bus
import Foundation
import Services
import Simulation
import Testing

@testable import Dashboard

/// `w` and `--record`: a live session written as a scenario replays to the identical state.
@Suite struct RecordingTests {
    /// Every action, as a recording writes it, parses back to itself.
    static let everyAction: [SimulationAction] = [
        .placeOrders(3), .placeOrdersOfAmount(count: 1, amountCents: 120_000),
        .placeOrdersOver(count: 5, over: .milliseconds(2_500)), .setTraffic(on: false), .setTrafficRate(0.5),
        .setDesign(.optimistic), .setPublish(.outbox), .setIdempotency(.on), .stop(.payment), .start(.notification),
        .rollingDeploy(.payment, downtime: .seconds(3), every: .seconds(15)),
        .regroup(.payment, GroupChange(assignor: .cooperativeSticky, groupProtocol: .consumer, remoteAssignor: .range)),
        .regroup(.payment, GroupChange(groupInstanceIds: .clientId)), .kill(.payment, instance: nil),
        .kill(.payment, instance: 2), .killPaymentBeforeCommit, .crashMidPublish(downtime: nil),
        .crashMidPublish(downtime: .seconds(20)), .crashOutboxRelay, .slowProvider(factor: 10),
        .setMaxPollRecords(10), .rejectSends(5), .killBroker(2), .stopBroker(3), .restartBroker(2), .stallBroker(1),
        .resumeBroker(1), .setAcks(.leader), .setAcks(.none), .setAcks(.all), .setProducerIdempotence(false),
        .setUncleanLeaderElection(true), .electUnclean, .setProviderLimit(cents: 100_000),
        .setProviderLimit(cents: nil), .redrive, .poison(topic: "payment.completed"),
        .cancel(orderId: "0b8e5d0c-4f1e-4d55-9a7e-1f2a3b4c5d6e"), .cancel(orderId: "no: an id # with \"marks\""),
        .cancelNewestPending(2), .reconcile, .repair,
    ]

    @Test func everyActionReadsBackAsItself() throws {
        let entries = Self.everyAction.enumerated().map { i, action in
            Recording.Entry(at: VirtualTime(milliseconds: Int64(i) * 1_250 + 7), action: action, placeholder: true)
        }
        let recording = Recording(
            name: "all", description: "every \"action\"\nonce\t\u{7}\u{7F}\u{85} é🙂 \\ # : - [x]",
            config: OrderflowConfig(), origin: RecordingOrigin(),
            entries: entries, endsAt: VirtualTime(milliseconds: 99_999))
        let scenario = try Scenario.parse(recording.yaml(), file: "all.yaml", name: "all")
        #expect(scenario.steps.compactMap(\.action) == Self.everyAction)
        #expect(scenario.steps.map(\.at.milliseconds) == entries.map(\.at.milliseconds) + [99_999])
        #expect(scenario.description == "every \"action\"\nonce\t\u{7}\u{7F}\u{85} é🙂 \\ # : - [x]")
        #expect(scenario.steps.dropLast().allSatisfy { $0.narration == nil }, "an empty say: narrates nothing yet")
        #expect(scenario.recordedWith == RecordingOrigin())
        #expect(recording.yaml().components(separatedBy: "\n    say:\n").count == Self.everyAction.count + 1)
    }

    @Test func theConfigReadsBackAsItself() throws {
        var odd = OrderflowConfig()
        odd.seed = 7
        odd.producer.enableIdempotence = false
        odd.producer.acks = .leader
        odd.providerLimitCents = 100_000
        odd.deadLetter = true
        odd.trafficRate = 0.25
        odd.currencies = ["EUR", "USD"]
        odd.services[.payment]?.instances = 3
        let lessons = try OneTruthTests.shipped.map(OneTruthTests.config)
        for config in [OrderflowConfig(), odd] + lessons {
            let text = config.yamlLines().joined(separator: "\n")
            let read = try OrderflowConfig.parse(text, file: "recorded")
            #expect(read == config)
        }
    }

    /// Plays keys into a live dashboard (no scenario): 50 ms frames at 10×, a key at some frames.
    static func live(_ c: DashboardController, keys: [Int: [DashboardAction]], frames: Int) {
        c.state.speed = .x10
        for frame in 0..<frames {
            for key in keys[frame] ?? [] {
                if key == .cancelSelectedOrder {
                    c.state.selectedOrderId = c.simulation.snapshot().recentOrders.first?.orderId
                }
                c.apply(key)
            }
            c.tick(wallMilliseconds: 50)
            if frame % 7 == 0 { _ = c.frame(width: 80, height: 24, glyphs: .unicode) }
        }
    }

    /// Replays a recording as `--scenario FILE` does, to the moment it ends.
    static func replay(_ yaml: String) throws -> Simulation {
        let scenario = try Scenario.parse(yaml, file: "recorded.yaml", name: "recorded")
        let config = try scenario.config(over: OrderflowConfig())
        let sim = try Simulation(config: config)
        let player = ScenarioPlayer(scenario: scenario, guided: false)
        player.advance(sim, to: .zero + scenario.lastStepTime)
        return sim
    }

    static func report(_ sim: Simulation) throws -> String {
        try SimulationReport(simulation: sim, drained: false).json()
    }

    static func expectSame(_ replayed: Simulation, _ live: Simulation) throws {
        let (a, b) = (try report(replayed), try report(live))
        #expect(a == b)
    }

    /// A trainer's improvised session: seed 99, kills and restarts, switches, orders, a crash, a
    /// cancel, refused sends, the rate up, all at 10× in 50 ms frames; recorded from the start.
    static func liveSession() throws -> (DashboardController, Recording?) {
        var config = OrderflowConfig()
        config.seed = 99
        let c = DashboardController(simulation: try Simulation(config: config))
        var written: Recording?
        c.saveRecording = { recording in
            written = recording
            return "saved"
        }
        c.apply(.toggleRecording)
        Self.live(
            c,
            keys: [
                3: [.placeOrder], 20: [.togglePaymentConsumer], 60: [.placeTenOrders, .toggleDesign],
                90: [.togglePaymentConsumer], 120: [.crashMidPublish, .togglePublish], 150: [.cancelSelectedOrder],
                170: [.rejectSends, .toggleIdempotency], 200: [.killOnePaymentInstance], 230: [.raiseRate],
            ], frames: 260)
        c.apply(.toggleRecording)
        return (c, written)
    }

    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/recorded-session.yaml")

    @Test func aLiveSessionWithKillsSwitchesAndOrdersReplaysToTheSameBytes() throws {
        let (c, written) = try Self.liveSession()
        #expect(c.recordingSince == nil && c.state.message == "saved")
        let recording = try #require(written)
        let verbs = recording.entries.compactMap { $0.action?.scenarioFields.first?.value }
        #expect(verbs.count == 12, "\(verbs)")
        #expect(recording.entries.allSatisfy { $0.placeholder })
        #expect(recording.entries.contains { if case .cancel = $0.action { true } else { false } })
        let replayed = try Self.replay(recording.yaml())
        #expect(replayed.now == c.simulation.now)
        try Self.expectSame(replayed, c.simulation)
        #expect(replayed.snapshot() == c.simulation.snapshot())
    }

    /// The recording in `Tests/Fixtures` (which `OneTruthTests` plays at every speed, and a
    /// trainer can read) is what this session writes today.
    @Test func theFixtureIsWhatTheLiveSessionWrites() throws {
        let recording = try #require(try Self.liveSession().1)
        let shipped = try String(contentsOf: Self.fixture, encoding: .utf8)
        #expect(recording.yaml() == shipped, "regenerate Tests/Fixtures/recorded-session.yaml from liveSession()")
    }

    @Test func aRecordingStartedLateKeepsWhatCameBeforeWithoutPlaceholders() throws {
        let c = DashboardController(simulation: try Simulation(config: OrderflowConfig()))
        Self.live(c, keys: [5: [.placeTenOrders], 10: [.toggleNotificationConsumer]], frames: 40)
        c.startRecording()
        Self.live(c, keys: [1: [.toggleNotificationConsumer]], frames: 30)
        let recording = c.sessionRecording()
        #expect(recording.entries.map(\.placeholder) == [false, false, true])
        try Self.expectSame(Self.replay(recording.yaml()), c.simulation)
    }

    @Test func aGuidedLessonWithTheTrainersKeysAndAStepBackReplays() throws {
        let c = try PresenterTests.controller("outage-312")
        c.startRecording()
        PresenterTests.play(c, toStep: 5, pressing: [2: .placeOrder, 3: .crashMidPublish, 4: .placeTenOrders])
        c.apply(.backOneStep)
        PresenterTests.play(c, toStep: 6, pressing: [4: .toggleTraffic])
        let recording = c.sessionRecording()
        let text = recording.yaml()
        #expect(text.contains("  scenario: outage-312"))
        #expect(recording.entries.filter(\.placeholder).count == 3, "the place at step 2, the crash, the traffic")
        #expect(recording.entries.contains { $0.narration != nil }, "the lesson's own narration is kept")
        #expect(!text.contains("count: 10"), "the ten orders of step 4 were undone by the step back")
        // The lesson's own claims come along, and the replay judges them as the live run did
        // (the trainer's own keys made some of them false: a rehearsal shows which).
        let replayedScenario = try Scenario.parse(text, file: "r.yaml", name: "r")
        let claims = { (s: Scenario) in s.steps.flatMap { $0.claims.map { "\($0.subject) \($0.expected)" } } }
        let lesson = try OneTruthTests.scenario("outage-312")
        let ran = lesson.steps.prefix(c.player?.stepsRun ?? 0)
        #expect(claims(replayedScenario) == ran.flatMap { $0.claims.map { "\($0.subject) \($0.expected)" } })
        #expect(!claims(replayedScenario).isEmpty)
        let verdicts = try ScenarioClaimTests.checks(replayedScenario).map(\.verdict)
        #expect(verdicts == c.player?.checks.map(\.verdict))
        #expect(verdicts.contains("ordersWithoutEvent is 4 — actually 5"), "the crash the trainer added")
        try Self.expectSame(Self.replay(text), c.simulation)
    }

    @Test func goingBackBeforeTheRecordingBeganRecordsWhatComesNext() throws {
        let c = try PresenterTests.controller("outage-312")
        PresenterTests.play(c, toStep: 4)
        c.startRecording()
        c.apply(.backOneStep)
        #expect(c.recordingSince == c.simulation.now, "the recording now begins where the class went back to")
        c.apply(.placeOrder)
        #expect(c.sessionRecording().entries.last?.placeholder == true)
    }

    @Test func aRecordingFromAnotherVersionOrADbDirRunSaysSoAndStillPlays() throws {
        var recording = Recording(
            name: "old", description: "", config: OrderflowConfig(),
            origin: RecordingOrigin(version: "0.1.0", dbDir: true),
            entries: [
                Recording.Entry(at: VirtualTime(milliseconds: 2_000), action: .placeOrders(2), placeholder: true)
            ], endsAt: VirtualTime(milliseconds: 5_000))
        let scenario = try Scenario.parse(recording.yaml(), file: "old.yaml", name: "old")
        let notes = try #require(scenario.recordedWith?.notes)
        #expect(notes.count == 2)
        #expect(notes[0].contains("recorded by orderflow 0.1.0") && notes[0].contains("still replays"))
        #expect(notes[1].contains("--db-dir"))
        let c = DashboardController(
            simulation: try Simulation(config: OrderflowConfig()),
            player: ScenarioPlayer(scenario: scenario, guided: true))
        #expect(c.state.message?.contains("0.1.0") == true)
        recording.origin = RecordingOrigin()
        let fresh = try Scenario.parse(recording.yaml(), file: "new.yaml", name: "new")
        #expect(fresh.recordedWith?.notes == [])
    }
}
