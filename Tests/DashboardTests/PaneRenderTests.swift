import Bus
import Events
import Simulation
import Testing

@testable import Dashboard

/// Each pane on its own, in states the fixture screen does not show.
@Suite struct PaneRenderTests {
    @Test func ordersCountsBarsAndTheSelectedOrder() throws {
        let c = try fixtureController()
        c.apply(.focusNext)
        _ = render(c, 120, 40)
        c.apply(.scrollDown)
        c.apply(.scrollDown)
        let grid = renderPane(.orders, c, width: 44, height: 14)
        #expect(
            Array(grid.lines.prefix(8)) == [
                "┌─ ▶ Orders ───────────────────────── 0/2 ─┐",
                "│PENDING_PAYMENT     3 ████████░░░░░░░░░░░ │",
                "│CONFIRMED           4 ██████████░░░░░░░░░ │",
                "│PAYMENT_FAILED      1 ███░░░░░░░░░░░░░░░░ │",
                "│CANCELLED           0 ░░░░░░░░░░░░░░░░░░░ │",
                "│API rejected 0 · accepted 8               │",
                "│ORDER        AMOUNT STATUS             AGE│",
                "│c9c10da2  67.01 EUR PENDING_PAYMENT     0s│",
            ])
        // The second press moved the selection to the second newest order, drawn in reverse video.
        #expect(grid.line(8).contains("c1ffe836"))
        #expect(grid[1, 8].style.reverse && grid[20, 8].style.reverse)
        #expect(!grid[1, 7].style.reverse)
        #expect(c.state.selectedOrderId?.hasPrefix("c1ffe836") == true)
        #expect(grid[1, 1].style.foreground == .yellow && grid[1, 2].style.foreground == .green)
    }

    @Test func consumerGroupsShowUnknownLagAsDashAndAnEmptyGroupWithoutOwners() throws {
        let c = try fixtureController { $0.sessionTimeout = .seconds(10) }
        c.simulation.advance(by: .seconds(5))
        c.simulation.perform(.kill(.payment, instance: nil))
        c.simulation.advance(by: .seconds(11))
        c.simulation.perform(.placeOrders(2))
        c.simulation.advance(by: .seconds(2))
        let lines = renderPane(.consumerGroups, c, width: 76, height: 18).lines
        // A consumer id would be cut at this width: the owners read as Kafka's CLIENT-ID, whole.
        #expect(lines[1] == "│TOPIC             P CURRENT-OFFSET LOG-END-OFFSET   LAG CLIENT-ID         │")
        let head = try #require(lines.first { $0.contains("payment-service ") })
        #expect(head.hasPrefix("│payment-service Empty · lag 2"))
        let rows = lines.filter { $0.contains("order.created") }
        #expect(rows.count == 3)
        #expect(rows.allSatisfy { $0.hasSuffix(" -                 │") }, "no owner: -")
        // Partitions nobody committed show '-', never 0.
        #expect(lines.contains("│payment.completed 1              -              0     - order-service-1   │"))
    }

    @Test func growingLagStandsOutWithAMarkerAndRed() throws {
        let c = try fixtureController()
        c.simulation.advance(by: .seconds(3))
        c.simulation.perform(.stop(.payment))
        c.simulation.advance(by: .seconds(1))
        for _ in 0..<3 {
            c.simulation.perform(.placeOrders(3))
            c.simulation.advance(by: .seconds(1))
        }
        let grid = renderPane(.consumerGroups, c, width: 76, height: 18)
        let growing = (0..<grid.height).filter {
            grid.line($0).contains("order.created") && grid.line($0).contains("▲")
        }
        #expect(!growing.isEmpty)
        for y in growing { #expect(grid[1, y].style.foreground == .red) }
        let steady = (0..<grid.height).filter { grid.line($0).contains("payment.completed") }
        for y in steady { #expect(!grid.line(y).contains("▲")) }
    }

    @Test func servicesShowKilledCrashedAndTheOrderAPI() throws {
        let c = try fixtureController { $0.orderServiceCrashDowntime = .seconds(15) }
        c.apply(.killOnePaymentInstance)
        c.apply(.crashMidPublish)
        c.apply(.placeOrder)
        c.simulation.advance(by: .seconds(3))
        let lines = renderPane(.services, c, width: 44, height: 12).lines
        #expect(
            Array(lines.prefix(9)) == [
                "┌─ Services ───────────────────────────────┐",
                "│    STATE                PROCESSED REDELIV│",
                "│order-service · API DOWN, back in 12s     │",
                "│ #1 crashed, back in 12s         5       0│",
                "│payment-service                           │",
                "│ #1 running                      4       0│",
                "│ #2 killed                       3       0│",
                "│notification-service                      │",
                "│ #1 running                      6       0│",
            ])
    }

    @Test func topicsShowOffsetsRatesAndTheSecondsOfAppendsThatFit() throws {
        let c = try fixtureController()
        c.simulation.advance(by: .seconds(1))
        let lines = renderPane(.topics, c, width: 60, height: 12).lines
        #expect(lines[1] == "│TOPIC             P  START     END REC/S LAST 17s         │")
        // Partition 0 got 3 appends in the first second and 2 in the fourth: the bar scales to the busiest second.
        #expect(lines[2] == "│order.created     0      0       3     2              ▅  █│")
        #expect(lines[4] == "│order.created     2      0       4     1              █  ▄│")
    }

    @Test func eventsListNewestFirst() throws {
        let c = try fixtureController()
        let lines = renderPane(.events, c, width: 76, height: 6).lines
        #expect(lines[1] == "│TIME         TOPIC             P@OFFSET KEY      TYPE                     │")
        #expect(lines[2] == "│00:00:03.000 order.created          2@3 c9c10da2 OrderCreated             │")
        #expect(lines[4] == "│00:00:03.000 order.created          0@1 dfa1e571 OrderCreated             │")
    }

    @Test func invariantsTurnRedAboveZero() throws {
        let c = try fixtureController()
        c.apply(.crashMidPublish)
        c.apply(.placeOrder)
        let grid = renderPane(.invariants, c, width: 44, height: 11)
        #expect(grid.lines[3] == "│●   1 ordersWithoutEvent                  │")
        // Too narrow for the meanings beside; with a spare line a violated invariant explains itself beneath.
        #expect(grid.lines[4] == "│      committed, never published          │")
        #expect(grid.lines[5] == "│●   0 doubleCharges                       │")
        // With no spare line, the meaning gives way: every invariant stays on screen.
        let tight = PaneBuilder(
            snapshot: c.simulation.snapshot(), state: c.state, config: c.simulation.config, glyphs: .unicode,
            width: 42, compact: false, height: 8
        ).content(for: .invariants)
        #expect(tight.body.count == 8)
        #expect(grid[1, 3].style.foreground == .red)
        #expect(grid[1, 1].style.foreground == .green)
        let wide = renderPane(.invariants, c, width: 64, height: 10)
        #expect(wide.lines[3] == "│●   1 ordersWithoutEvent      committed, never published      │")
        // Compact: no meanings, violations first so none hides below the pane's edge.
        let compact = renderPane(.invariants, c, width: 36, height: 7, compact: true)
        #expect(compact.lines[1] == "│●   1 ordersWithoutEvent          │")
        #expect(compact.lines[2] == "│●   0 confirmedWithoutCharge      │")
    }

    /// Every binding, the brokers keys only while the cluster runs (and then at 80×24 too); the
    /// redrive key only with dead-letter topics, which neither run has.
    @Test(arguments: [false, true])
    func helpOverlayListsEveryBindingOfTheKeymap(cluster: Bool) throws {
        var config = OrderflowConfig()
        config.trafficAuto = false
        if cluster { config.cluster = ClusterConfig(brokers: 3, replicationFactor: 3, minInsyncReplicas: 2) }
        let c = DashboardController(simulation: try Simulation(config: config))
        c.apply(.toggleHelp)
        for (w, h) in [(120, 40), (80, 24)] {
            let text = render(c, w, h).lines.joined(separator: "\n")
            #expect(text.contains("─ ▶ Keys ─"))
            for binding in Keymap.bindings {
                let shown = (binding.enabled != .clusterRunning || cluster) && binding.enabled != .deadLetterTopics
                // A one-letter label such as "a" is found anywhere: only a shown one is looked for.
                if shown { #expect(text.contains(" \(binding.label) "), "help lacks \(binding.label) at \(w)×\(h)") }
                #expect(text.contains(binding.help) == shown, "help and \(binding.help) at \(w)×\(h)")
            }
        }
    }

    @Test func asciiFallbackWritesOnlyASCII() throws {
        let c = try fixtureController()
        c.apply(.focusNext)
        for (w, h) in [(120, 40), (80, 24), (60, 20)] {
            let grid = render(c, w, h, glyphs: .ascii)
            #expect(grid.cells.allSatisfy { $0.character.isASCII }, "\(w)×\(h)")
        }
        #expect(render(c, 120, 40, glyphs: .ascii).lines[2].hasPrefix("+- > Orders ---"))
    }

    @Test func wideCharactersTakeTwoColumnsAndClipCleanly() {
        var grid = Grid(width: 6, height: 1)
        let end = grid.put("注文ok", x: 0, y: 0)
        #expect(end == 6)
        #expect(grid.line(0) == "注文ok")
        #expect(grid[1, 0].isContinuation)
        var narrow = Grid(width: 3, height: 1)
        narrow.put("注文", x: 0, y: 0)
        #expect(narrow.lines == ["注"], "a wide character that does not fit is left out, not split")
        #expect("注文abc".clipped(to: 5) == "注文…")
    }
}
