import Bus
import Events
import Simulation
import Testing

@testable import Dashboard

@Suite struct KeymapTests {
    @Test func everyActionHasAKeyAndNoKeyMeansTwoThings() {
        let everything = BindingContext(scenarioPlaying: true, clusterRunning: true)
        let bound = Set(Keymap.bindings.flatMap(\.keys).compactMap { Keymap.action(for: $0, in: everything) })
        #expect(bound == Set(DashboardAction.allCases))
        let keys = Keymap.bindings.flatMap(\.keys)
        #expect(keys.count == Set(keys).count)
    }

    @Test(
        "the issue's keys map to their actions",
        arguments: [
            (Key.character("o"), DashboardAction.placeOrder), (.character("O"), .placeTenOrders),
            (.character("t"), .toggleTraffic),
            (.character("+"), .raiseRate), (.character("-"), .lowerRate), (.character("k"), .togglePaymentConsumer),
            (.character("K"), .killOnePaymentInstance), (.character("n"), .toggleNotificationConsumer),
            (.character("c"), .crashMidPublish), (.character("b"), .rejectSends), (.character(" "), .togglePause),
            (.character(">"), .speedUp), (.character("<"), .slowDown), (.character("."), .stepOneSecond),
            (.tab, .focusNext),
            (.up, .scrollUp), (.down, .scrollDown), (.character("?"), .toggleHelp), (.character("q"), .quit),
            (.character("m"), .toggleDesign), (.character("p"), .togglePublish), (.character("i"), .toggleIdempotency),
            (.character("d"), .killPaymentBeforeCommit), (.character("e"), .crashOutboxRelay),
            (.character("x"), .cancelSelectedOrder),
            (.enter, .followSelectedOrder), (.character("r"), .reconcile), (.character("R"), .repair),
            (.character("g"), .nextScenarioStep),
        ])
    func binding(key: Key, action: DashboardAction) {
        #expect(Keymap.action(for: key, in: BindingContext(scenarioPlaying: true)) == action)
    }

    @Test func kNeverScrollsWhateverHasFocus() throws {
        let c = try fixtureController()
        c.apply(.focusNext)
        c.handle(.character("k"))
        #expect(c.state.focus == .orders)
        #expect(c.simulation.snapshot().instances.filter { $0.service == .payment }.allSatisfy { $0.state == .killed })
    }
}

@Suite struct ControllerTests {
    func controller(_ change: (inout OrderflowConfig) -> Void = { _ in }) throws -> DashboardController {
        var config = OrderflowConfig()
        config.trafficAuto = false
        change(&config)
        return DashboardController(simulation: try Simulation(config: config))
    }

    func paymentStates(_ c: DashboardController) -> [InstanceState] {
        c.simulation.snapshot().instances.filter { $0.service == .payment }.map(\.state)
    }

    @Test func oAndOPlaceOrdersThatAnswerPendingPayment() throws {
        let c = try controller()
        c.handle(.character("o"))
        #expect(c.state.message?.hasSuffix("accepted: PENDING_PAYMENT") == true)
        c.handle(.character("O"))
        #expect(c.simulation.orderService.board.total == 11)
        #expect(c.simulation.orderService.board.counts[.pendingPayment] == 11)
    }

    @Test func kKillsEveryPaymentInstanceAndKAgainRestartsThem() throws {
        let c = try controller()
        c.simulation.advance(by: .seconds(2))
        c.handle(.character("k"))
        #expect(paymentStates(c) == [.killed, .killed])
        #expect(c.state.message?.contains("wait out the 10s timeout") == true)
        c.handle(.character("k"))
        #expect(paymentStates(c) == [.running, .running])
    }

    @Test func capitalKKillsOneInstanceAtATime() throws {
        let c = try controller()
        c.simulation.advance(by: .seconds(2))
        c.handle(.character("K"))
        #expect(paymentStates(c) == [.running, .killed])
        c.handle(.character("K"))
        #expect(paymentStates(c) == [.killed, .killed])
        c.handle(.character("K"))
        #expect(c.state.message == "no payment-service instance is running (k restarts them)")
    }

    @Test func nTogglesTheNotificationConsumer() throws {
        let c = try controller()
        c.handle(.character("n"))
        #expect(c.simulation.snapshot().instances.first { $0.service == .notification }?.state == .killed)
        c.handle(.character("n"))
        #expect(c.simulation.snapshot().instances.first { $0.service == .notification }?.state == .running)
    }

    @Test func cArmsTheCrashAndBMakesTheBrokerRejectFiveSends() throws {
        let c = try controller()
        c.handle(.character("c"))
        #expect(c.simulation.crashArmed != nil)
        c.handle(.character("o"))
        #expect(c.simulation.crashArmed == nil)
        #expect(c.simulation.orderServiceDownUntil != nil)
        c.handle(.character("o"))
        #expect(c.state.message == "order rejected: order-service is down")
        c.handle(.character("b"))
        #expect(c.simulation.cluster.pendingRejections == 5)
    }

    @Test func trafficToggleAndRateSteps() throws {
        let c = try controller { $0.trafficRate = 2 }
        c.handle(.character("t"))
        #expect(c.simulation.trafficOn)
        c.handle(.character("+"))
        #expect(c.simulation.trafficRate == 5)
        c.handle(.character("-"))
        c.handle(.character("-"))
        #expect(c.simulation.trafficRate == 1)
        for _ in 0..<20 { c.handle(.character("-")) }
        #expect(c.simulation.trafficRate == DashboardController.rates.first)
        c.handle(.character("t"))
        #expect(!c.simulation.trafficOn)
    }

    @Test func theClockFollowsWallTimeTimesSpeedAndStopsWhenPaused() throws {
        let c = try controller()
        c.tick(wallMilliseconds: 250.4)
        c.tick(wallMilliseconds: 0.6)
        #expect(c.simulation.now == VirtualTime(milliseconds: 251), "fractions carry over")
        c.handle(.character(">"))
        #expect(c.state.speed == .x2)
        c.tick(wallMilliseconds: 100)
        #expect(c.simulation.now == VirtualTime(milliseconds: 451))
        c.handle(.character(" "))
        c.tick(wallMilliseconds: 1000)
        #expect(c.simulation.now == VirtualTime(milliseconds: 451))
        c.handle(.character("."))
        #expect(c.simulation.now == VirtualTime(milliseconds: 1451))
        c.handle(.character(" "))
        c.handle(.character("."))
        #expect(c.simulation.now == VirtualTime(milliseconds: 1451), ". only steps while paused")
    }

    @Test func speedsRunFromOneTimesToMax() throws {
        let c = try controller()
        for _ in 0..<10 { c.handle(.character(">")) }
        #expect(c.state.speed == .max)
        var frames = 0
        c.runFlatOut {
            frames += 1
            return frames == 4
        }
        #expect(c.simulation.now == VirtualTime(milliseconds: 1000))
        for _ in 0..<10 { c.handle(.character("<")) }
        #expect(c.state.speed == .x1)
        #expect(Speed.allCases.map(\.label) == ["1×", "2×", "5×", "10×", "50×", "100×", "max"])
    }

    @Test func tabCyclesFocusAndArrowsScrollOnlyTheFocusedPane() throws {
        let c = try controller()
        c.handle(.down)
        #expect(c.state.message == "Tab first: the arrow keys scroll the focused pane")
        var seen: [PaneID] = []
        for _ in c.visiblePanes {
            c.handle(.tab)
            seen.append(c.state.focus!)
        }
        #expect(seen == [.orders, .topics, .consumerGroups, .services, .events, .invariants])
        c.handle(.tab)
        #expect(c.state.focus == .orders)
        c.handle(.backTab)
        #expect(c.state.focus == .invariants)

        // Events: more records than rows; the arrows move the selected record and the list
        // scrolls with it, never past its end.
        c.handle(.character("O"))
        c.simulation.advance(by: .seconds(5))
        for _ in 0..<4 { c.handle(.backTab) }
        #expect(c.state.focus == .topics)
        c.handle(.tab)
        c.handle(.tab)
        c.handle(.tab)
        #expect(c.state.focus == .events)
        _ = c.frame(width: 80, height: 24, glyphs: .unicode)
        c.handle(.down)
        #expect(c.state.selectedRecord?.offset == c.lastSnapshot?.recentRecords.last?.offset, "the newest first")
        #expect(c.state.scrollOffset(.events) == 0)
        c.handle(.down)
        c.handle(.down)
        c.handle(.down)
        c.handle(.down)
        #expect(c.state.scrollOffset(.events) == 2, "the fifth record: two below the three rows shown at 80×24")
        #expect(c.state.scrollOffset(.topics) == 0)
        c.handle(.end)
        let bottom = c.state.scrollOffset(.events)
        #expect(bottom > 1)
        c.handle(.pageDown)
        #expect(c.state.scrollOffset(.events) == bottom)
        c.handle(.home)
        #expect(c.state.scrollOffset(.events) == 0)
        c.handle(.escape)
        #expect(c.state.focus == nil)
    }

    @Test func helpToggleEscapeAndQuit() throws {
        let c = try controller()
        c.handle(.character("?"))
        #expect(c.state.overlay == .help)
        c.handle(.escape)
        #expect(c.state.overlay == nil)
        c.handle(.character("x"))
        #expect(!c.state.quitRequested)
        c.handle(.character("q"))
        #expect(c.state.quitRequested)
    }

    /// With a cluster at 80×24 the Brokers pane keeps the rows for its partitions: Narration
    /// takes its lines from Consumer groups first, which leave the screen rather than keep a
    /// sliver, and from Brokers only after that. The panes still tile the body exactly.
    @Test func withAClusterNarrationTakesFromConsumerGroupsFirst() {
        let plain = paneRects(width: 80, height: 24, kind: .compact, brokersFirst: true)
        #expect(plain[.topics]?.height == 9 && plain[.consumerGroups]?.height == 7 && plain[.events]?.height == 6)
        let short = paneRects(width: 80, height: 24, kind: .compact, narrationLines: 5, brokersFirst: true)
        #expect(short[.consumerGroups]?.height == 6 && short[.topics]?.height == 9 && short[.narration]?.height == 7)
        let told = paneRects(width: 80, height: 24, kind: .compact, narrationLines: 8, brokersFirst: true)
        #expect(told[.consumerGroups] == nil && told[.topics]?.height == 9 && told[.narration]?.height == 13)
        let long = paneRects(width: 80, height: 24, kind: .compact, narrationLines: 16, brokersFirst: true)
        #expect(long[.topics]?.height == 4 && long[.narration]?.height == 18)
        for rects in [plain, short, told, long] {
            #expect(rects.values.reduce(0) { $0 + $1.width * $1.height } == 80 * 22)
            #expect(rects.values.allSatisfy { $0.y >= 1 && $0.maxY <= 23 })
        }
    }

    @Test func layoutFollowsTheTerminalSize() {
        #expect(LayoutKind(width: 120, height: 36) == .full)
        #expect(LayoutKind(width: 200, height: 60) == .full)
        #expect(LayoutKind(width: 119, height: 40) == .compact)
        #expect(LayoutKind(width: 80, height: 24) == .compact)
        #expect(LayoutKind(width: 79, height: 24) == .tooSmall)
        #expect(LayoutKind(width: 100, height: 23) == .tooSmall)
        for (w, h) in [(120, 36), (120, 40), (200, 60), (80, 24), (100, 30)] {
            let rects = paneRects(width: w, height: h, kind: LayoutKind(width: w, height: h))
            #expect(rects.count == 6)
            // Panes tile the body exactly: no overlap, no gap.
            // The full layout's header has two lines: the state and the last key's answer.
            let header = LayoutKind(width: w, height: h) == .full ? 2 : 1
            #expect(rects.values.reduce(0) { $0 + $1.width * $1.height } == w * (h - header - 1))
            #expect(
                rects.values.allSatisfy {
                    $0.x >= 0 && $0.maxX <= w && $0.y >= header && $0.maxY <= h - 1 && $0.height >= 5
                })
        }
    }
}
