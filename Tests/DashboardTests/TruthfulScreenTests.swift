import Bus
import Events
import Foundation
import Simulation
import Testing

@testable import Dashboard

/// Screens that tell the truth: what is highlighted is what a key acts on, and an answer on
/// screen describes the present.
@Suite struct TruthfulScreenTests {
    /// The highlighted line of a pane's rendered grid, if any.
    func highlighted(_ grid: Grid) -> String? {
        (3..<grid.height - 1).first { y in grid[5, y].style.reverse }.map { grid.line($0) }
    }

    @Test func theSelectionStaysOnScreenAndTheListScrollsWithIt() throws {
        let c = try fixtureController()
        c.simulation.perform(.placeOrders(20))
        c.apply(.focusNext)
        _ = render(c, 120, 40)
        for _ in 0..<15 { c.apply(.scrollDown) }
        let grid = render(c, 120, 40)
        let row = try #require(highlighted(grid), "the 16th newest order is highlighted")
        let selected = try #require(c.state.selectedOrderId)
        #expect(row.contains(String(selected.prefix(8))))
        #expect(c.state.scrollOffset(.orders) > 0, "the list scrolled to it")
        // Enter follows exactly the order the class sees highlighted.
        c.apply(.followSelectedOrder)
        #expect(c.state.overlay == .journey(orderId: selected))
    }

    @Test func newOrdersDoNotPushTheSelectionOffScreen() throws {
        let c = try fixtureController()
        c.apply(.focusNext)
        _ = render(c, 80, 24)
        c.apply(.scrollDown)
        let selected = try #require(c.state.selectedOrderId)
        c.simulation.perform(.placeOrders(12))
        let row = try #require(highlighted(render(c, 80, 24)))
        #expect(row.contains(String(selected.prefix(8))))
    }
}

/// A key's answer describes the present, or leaves the screen when it stops being true.
@Suite struct TruthfulMessageTests {
    @Test func anArmedCrashStopsBeingAnnouncedOnceItHappened() throws {
        let c = try fixtureController()
        c.apply(.crashMidPublish)
        _ = render(c, 120, 40)
        #expect(c.state.message == "armed: the next order is committed and never published (dual write)")
        c.simulation.perform(.placeOrders(1))
        let screen = render(c, 120, 40).lines.joined(separator: "\n")
        #expect(c.state.message == nil)
        #expect(!screen.contains("armed:"))
    }

    @Test func aTimeoutIsAnnouncedOnlyUntilItPasses() throws {
        let c = try fixtureController { $0.sessionTimeout = .seconds(10) }
        c.apply(.killOnePaymentInstance)
        #expect(
            c.state.message
                == "killed payment-service-2: a survivor takes its partitions after the 10s timeout")
        c.simulation.advance(by: .seconds(9))
        _ = render(c, 120, 40)
        #expect(c.state.message != nil)
        c.simulation.advance(by: .seconds(2))
        _ = render(c, 120, 40)
        #expect(c.state.message == nil, "the timeout passed: the partitions have moved")
        c.apply(.killOnePaymentInstance)
        #expect(
            c.state.message == "killed payment-service-1, the last one running: its partitions wait for a restart (k)")
    }

    @Test func whileTheScenarioWaitsSpaceAndDotSayWhatReallyHappens() throws {
        let c = try PresenterTests.controller("outage-312")
        PresenterTests.play(c, toStep: 1)
        let before = c.simulation.now
        c.apply(.togglePause)
        #expect(c.state.message == "paused; the scenario also waits here for g")
        c.apply(.stepOneSecond)
        #expect(c.simulation.now == before, "nothing stepped")
        #expect(c.state.message == "the scenario waits at this step: g goes on, then . steps")
        c.apply(.togglePause)
        c.apply(.nextScenarioStep)
        #expect(c.state.message == "running on to the next step at 00:00:05.000")
        // Step 3 (10s) is followed by a silent step at the same instant; the next one to read is at 1m.
        PresenterTests.play(c, toStep: 3)
        c.apply(.nextScenarioStep)
        #expect(c.state.message == "running on to the next step at 00:01:00.000")
    }

    /// `g` while paused goes on: the pause is lifted with it, and the answer says so.
    @Test func goingOnWhilePausedUnpauses() throws {
        let c = try PresenterTests.controller("outage-312")
        PresenterTests.play(c, toStep: 1)
        c.apply(.togglePause)
        c.apply(.nextScenarioStep)
        #expect(!c.state.paused)
        #expect(c.state.message == "running on to the next step at 00:00:05.000 (unpaused)")
    }

    /// Every shipped scenario opens on hold: guided, the clock reaches the first narrated step
    /// (where it waits for the trainer) within 0.2 s of wall time at the scenario's own speed, so
    /// the class sees nothing run before the trainer speaks.
    @Test func everyScenarioOpensOnHold() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config/scenarios")
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) where file.hasSuffix(".yaml") {
            let scenario = try Scenario.load(path: directory.appendingPathComponent(file).path)
            // Unset: 1×; `max`: as fast as the machine goes.
            let speed: Double =
                switch scenario.speed {
                case .none: 1
                case .some(.none): .infinity
                case .some(.some(let multiplier)): multiplier
                }
            let first = try #require(scenario.steps.first { $0.narration != nil }?.at)
            #expect(first.seconds / speed <= 0.2, "\(file) runs \(first) before its first step")
        }
    }

    @Test func anAnswerAgesOffTheScreen() throws {
        let c = try fixtureController()
        c.apply(.placeOrder)
        #expect(render(c, 80, 24).line(23).contains("accepted"), "compact: the answer takes the footer's place")
        c.wallTimePassed(milliseconds: DashboardState.messageLifetime)
        #expect(render(c, 80, 24).line(23).contains("q quit"), "then the keys come back")
    }
}

/// `?` with a pane focused says what that pane means.
@Suite struct PaneHelpTests {
    @Test func questionMarkOnAFocusedPaneExplainsItThenListsTheKeys() throws {
        let c = try fixtureController()
        for _ in 0..<3 { c.apply(.focusNext) }
        #expect(c.state.focus == .consumerGroups)
        c.apply(.toggleHelp)
        let screen = render(c, 80, 24).lines.joined(separator: "\n")
        #expect(screen.contains("Consumer groups: what it shows"))
        #expect(screen.contains("the lag unknown, not 0"))
        c.apply(.toggleHelp)
        #expect(c.state.overlay == .help)
        c.apply(.toggleHelp)
        #expect(c.state.overlay == nil)
    }

    @Test func everyPaneHasAnExplanationThatFitsAtProjectorSize() throws {
        let c = try fixtureController()
        for pane in PaneID.allCases {
            var state = c.state
            state.overlay = .paneHelp(pane)
            let view = DashboardView(
                snapshot: c.simulation.snapshot(), state: state, config: c.simulation.config, glyphs: .unicode)
            let screen = view.render(width: 80, height: 24).grid.lines.joined(separator: "\n")
            #expect(screen.contains("? again lists every key"), "\(pane.title)'s explanation fits 80×24")
        }
    }
}

/// Enter on a record of the Events pane opens it as a Kafka browser would.
@Suite struct RecordOverlayTests {
    @Test func aRecordOpensWithItsHeadersAndReadableJSONThenItsOrdersJourney() throws {
        let c = try fixtureController()
        while c.state.focus != .events { c.apply(.focusNext) }
        _ = render(c, 120, 40)
        c.apply(.scrollDown)
        let selected = try #require(c.state.selectedRecord)
        let newest = try #require(c.lastSnapshot?.recentRecords.last)
        #expect(selected == RecordMetadata(topic: newest.topic, partition: newest.partition, offset: newest.offset))
        c.apply(.followSelectedOrder)
        #expect(c.state.overlay == .record(selected))
        let screen = render(c, 120, 40).lines.joined(separator: "\n")
        #expect(screen.contains("Record \(newest.topic) \(newest.partition)@\(newest.offset)"))
        #expect(screen.contains("key \(newest.key)"))
        #expect(screen.contains("header eventType: OrderCreated"))
        #expect(screen.contains("\"orderId\" : \"\(newest.key)\""), "the value is laid out as JSON, one field a line")
        c.apply(.followSelectedOrder)
        #expect(c.state.overlay == .journey(orderId: newest.key))
    }

    @Test func aPoisonRecordShowsItsBytes() {
        let record = Bus.Record(
            topic: "order.created", partition: 0, offset: 3, timestamp: .zero, key: Array("poison".utf8),
            value: Array("\u{00}not an event".utf8),
            headers: RecordHeaders(eventType: "Poison", eventId: "e", correlationId: "poison"))
        #expect(RecordDetail(record).valueLines == ["?not an event"])
    }
}

/// `/` finds an order by the first characters of its id.
@Suite struct FindOrderTests {
    func type(_ c: DashboardController, _ text: String) {
        c.handle(.character("/"))
        for ch in text { c.handle(.character(ch)) }
        c.handle(.enter)
    }

    @Test func slashSelectsTheOrderAndScrollsToIt() throws {
        let c = try fixtureController()
        c.simulation.perform(.placeOrders(20))
        _ = render(c, 80, 24)
        let target = try #require(c.lastSnapshot?.recentOrders.reversed().dropFirst(14).first)
        type(c, String(target.orderId.prefix(5)))
        #expect(c.state.selectedOrderId == target.orderId)
        #expect(c.state.focus == .orders)
        let screen = render(c, 80, 24)
        let row = try #require((3..<23).first { screen[5, $0].style.reverse }.map { screen.line($0) })
        #expect(row.contains(String(target.orderId.prefix(8))), "the found order is highlighted on screen")
    }

    @Test func keysTypeWhileSearchingAndEscCancels() throws {
        let c = try fixtureController()
        c.handle(.character("/"))
        c.handle(.character("k"))  // not a hex digit: ignored, and no payment instance is killed
        c.handle(.character("a"))
        c.handle(.backspace)
        c.handle(.character("b"))
        #expect(c.state.search == "b")
        #expect(c.simulation.instanceRows.allSatisfy { $0.state == .running })
        c.handle(.escape)
        #expect(c.state.search == nil && c.state.message == "find cancelled")
        type(c, "ffffffff")
        #expect(c.state.message == "no order starts with ffffffff")
    }

    @Test func anOrderOlderThanTheListOpensItsJourney() throws {
        let c = try fixtureController()
        let first = try #require(c.simulation.snapshot().recentOrders.first)
        c.simulation.perform(.placeOrders(60))
        _ = render(c, 120, 40)
        type(c, String(first.orderId.prefix(8)))
        #expect(c.state.overlay == .journey(orderId: first.orderId))
    }
}

/// A storage failure stays on screen in both layouts.
@Suite struct StorageFailureScreenTests {
    @Test func aFailedDatabaseIsShownInRedAndStays() throws {
        var snapshot = Literal.snapshot
        snapshot.storageFailure = "/tmp/run/orders.sqlite: SQLite error 13: database or disk is full"
        var state = DashboardState()
        state.message = "order accepted"
        let view = DashboardView(snapshot: snapshot, state: state, config: OrderflowConfig(), glyphs: .unicode)
        let full = view.render(width: 120, height: 40).grid
        #expect(
            full.line(1).hasPrefix(" storage failed: orders.sqlite: SQLite error 13: database or disk is full")
        )
        #expect(full[2, 1].style.foreground == .red)
        let compact = view.render(width: 80, height: 24).grid
        #expect(compact.line(23).hasPrefix(" storage failed: orders.sqlite: SQLite error 13: database or disk is full"))
    }
}
