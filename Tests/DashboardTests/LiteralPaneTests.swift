import Bus
import Events
import Services
import Simulation
import Testing

@testable import Dashboard

/// Every pane rendered alone from a literal snapshot: no simulation, no database.
@Suite struct LiteralPaneTests {
    @Test func orders() {
        var state = DashboardState()
        state.focus = .orders
        state.selectedOrderId = "aaaaaaaa-1111"
        let grid = renderAlone(.orders, Literal.snapshot, state: state, width: 44, height: 10)
        #expect(
            grid.lines == [
                "┌─ ▶ Orders ───────────────────────────────┐",
                "│PENDING_PAYMENT     2 █████░░░░░░░░░░░░░░ │",
                "│CONFIRMED           5 ████████████░░░░░░░ │",
                "│PAYMENT_FAILED      1 ███░░░░░░░░░░░░░░░░ │",
                "│CANCELLED           0 ░░░░░░░░░░░░░░░░░░░ │",
                "│API rejected 3 · accepted 8               │",
                "│ORDER        AMOUNT STATUS             AGE│",
                "│bbbbbbbb   5.05 EUR PENDING_PAYMENT     4s│",
                "│aaaaaaaa  19.99 EUR CONFIRMED           1m│",
                "└──────────────────────────────────────────┘",
            ])
        #expect(grid[1, 8].style.reverse && !grid[1, 7].style.reverse, "the selected order is highlighted")
        #expect(grid[21, 7].style.foreground == .yellow && grid[21, 8].style.foreground == .green)
        #expect(grid[14, 5].style.foreground == .red, "rejected orders above zero are red")
    }

    @Test func topics() {
        let grid = renderAlone(.topics, Literal.snapshot, width: 44, height: 4)
        #expect(
            grid.lines == [
                "┌─ Topics ─────────────────────────────────┐",
                "│TOPIC             P     END REC/S LAST 8s │",
                "│order.created     0      12     3      ▃▅█│",
                "└──────────────────────────────────────────┘",
            ])
    }

    /// With a cluster the Topics pane is the Brokers pane: Kafka's metrics first, then per
    /// partition its leader, ISR, high watermark and each broker's replica log end; a down
    /// broker's column is red, an under-replicated row yellow, an offline one red.
    @Test func brokersPaneWithACluster() {
        var snapshot = Literal.snapshot
        snapshot.brokers = [.init(id: 1, liveness: .fenced), .init(id: 2), .init(id: 3)]
        snapshot.cluster = .init(
            acks: .all, uncleanLeaderElection: false,
            metrics: ClusterMetrics(underReplicatedPartitions: 1))
        snapshot.partitions[0].replication = .init(
            leader: 2, isr: [2, 3], replicas: [1, 2, 3], highWatermark: 10, endOffsets: [1: 12, 2: 10, 3: 10])
        let grid = renderAlone(.topics, snapshot, width: 60, height: 5)
        #expect(
            grid.lines == [
                "┌─ Brokers ────────────────────────────────────────────────┐",
                "│UnderReplicated 1 · UnderMinIsr 0 · AtMinIsr 0 · Offline 0│",
                "│TOPIC             P LEADER ISR       HW    B1    B2    B3 │",
                "│order.created     0      2 2,3       10    12    10    10 │",
                "└──────────────────────────────────────────────────────────┘",
            ])
        #expect(grid[2, 3].style.foreground == .yellow, "under-replicated")
        #expect(grid[44, 3].style.foreground == .red, "broker 1 is down")
        // Wider, the ELR column (KIP-966) shows: below the min ISR, broker 3 stays eligible.
        snapshot.partitions[0].replication?.isr = [2]
        snapshot.partitions[0].replication?.elr = [3]
        #expect(
            renderAlone(.topics, snapshot, width: 66, height: 5).lines[2...3] == [
                "│TOPIC             P LEADER ISR   ELR     HW    B1    B2    B3   │",
                "│order.created     0      2 2     3       10    12    10    10   │",
            ])
        snapshot.partitions[0].replication?.isr = [2, 3]
        snapshot.partitions[0].replication?.elr = []
        snapshot.partitions[0].replication?.leader = nil
        #expect(renderAlone(.topics, snapshot, width: 60, height: 5)[2, 3].style.foreground == .red, "offline")
        // 80×24's Brokers pane: by topic, so every broker's log end fits beside the partition,
        // its columns as wide as the numbers.
        let narrow = renderAlone(.topics, snapshot, width: 44, height: 7)
        #expect(
            narrow.lines == [
                "┌─ Brokers ────────────────────────────────┐",
                "│UnderRepl 1 · UnderMinIsr 0 · Offline 0   │",
                "│P LEADER ISR   ELR HW B1 B2 B3            │",
                "│order.created                             │",
                "│0   none 2,3       10 12 10 10            │",
                "│                                          │",
                "└──────────────────────────────────────────┘",
            ])
        #expect(narrow[1, 4].style.foreground == .red, "offline")
        #expect(narrow[23, 4].style.foreground == .red, "broker 1 is down: its log end, whole")
    }

    /// A batch too slow for max.poll.interval.ms: the instance is out of its group and shows it.
    @Test func servicesShowAnInstanceOutOfItsGroupAndASlowProvider() {
        var snapshot = Literal.snapshot
        snapshot.providerSlowdown = 10
        snapshot.instances[1] = Snapshot.InstanceRow(
            service: .payment, number: 1, clientId: "payment-service-1", memberId: "payment-service-1-0a1b",
            state: .running, processed: 4, redeliveries: 0, poisonRecords: 0, partitions: [],
            batch: .init(done: 12, of: 42), outOfGroup: true, pollIntervalExceeded: 1)
        snapshot.instances[2] = Snapshot.InstanceRow(
            service: .payment, number: 2, clientId: "payment-service-2", memberId: "payment-service-2-0a1b",
            state: .running, processed: 1, redeliveries: 7, poisonRecords: 0, partitions: [],
            batch: .init(done: 3, of: 40))
        let lines = renderAlone(.services, snapshot, width: 72, height: 8).lines
        #expect(lines[2] == "│payment-service · provider 10× slow · max.poll.interval exceeded 1×   │")
        #expect(lines[3] == "│ #1 out of group 12/42                                       4       0│")
        #expect(lines[4] == "│ #2 running, batch 3/40                                      1       7│")
        // Narrower, the marks turn terse rather than run off the edge.
        let narrow = renderAlone(.services, snapshot, width: 44, height: 8).lines
        #expect(narrow[2] == "│payment-service · slow · left 1×          │")
        // Narrower still, the less pressing mark goes whole; the rest is never cut mid-word.
        let narrowest = renderAlone(.services, snapshot, width: 30, height: 8).lines
        #expect(narrowest[2] == "│payment-service · left 1×   │")
        #expect(narrow[3] == "│ #1 out of group 12/42           4       0│")
    }

    /// At 80×24's Services width (36) the lines issue 23 found cut read whole: the API's downtime
    /// with its seconds, an armed kill, the dedup counts and the outbox's age.
    @Test func servicesLinesFitWholeAt80Columns() {
        var snapshot = Literal.snapshot
        snapshot.settings.idempotency = .on
        snapshot.dedupHits = [.payment: 2, .notification: 13]
        snapshot.orderServiceDownUntil = snapshot.now + .seconds(12)
        snapshot.killBeforeCommitArmed = true
        snapshot.settings.publish = .outbox
        snapshot.outbox.pending = 5
        snapshot.outbox.oldestPendingSince = snapshot.now - .seconds(12)
        snapshot.outbox.retries = 3
        let text = renderAlone(.services, snapshot, width: 36, height: 12).lines.joined(separator: "\n")
        #expect(text.contains("order-service · API DOWN 12s"))
        #expect(text.contains("payment-service · kill armed"))
        #expect(text.contains("notification-service · dedup 13"))
        #expect(text.contains(" outbox 5 pending · 12s old"), "the retries go before the rows' age")
        #expect(text.contains(" #2 crashed 3s"), "an instance's state keeps its seconds")
    }

    /// A dead broker or a lost acknowledged record puts the brokers line first; narrow, it names
    /// only the brokers that are down; all well, it goes last.
    @Test func servicesPutADeadBrokerFirst() {
        var snapshot = Literal.snapshot
        snapshot.brokers = [.init(id: 1, liveness: .fenced), .init(id: 2), .init(id: 3)]
        snapshot.acknowledgedRecordsLost = 8
        #expect(
            renderAlone(.services, snapshot, width: 46, height: 8).lines[1]
                == "│brokers 1 fenced · 2 up · 3 up  acked+lost 8│")
        #expect(
            renderAlone(.services, snapshot, width: 36, height: 8).lines[1] == "│brokers 1 fenced · lost 8         │")
        // Crashed, not fenced yet: the seconds until the controller fences it; a second broker
        // reads as a broker, not a count.
        snapshot.brokers[1].liveness = .unresponsive(fencedAt: snapshot.now + .seconds(4))
        // At 80×24's width the lost count goes whole (Invariants counts it too); no broker does.
        #expect(
            renderAlone(.services, snapshot, width: 36, height: 8).lines[1] == "│brokers 1 fenced · 2 dead 4s      │")
        #expect(
            renderAlone(.services, snapshot, width: 72, height: 8).lines[1]
                == "│brokers 1 fenced · 2 dead, fenced in 4s · 3 up  acked+lost 8          │")
        // Brokers in the same state share their word: all three named at 80×24's width.
        snapshot.brokers[1].liveness = .running
        snapshot.brokers[1].stalled = true
        snapshot.brokers[2].stalled = true
        snapshot.brokers[0].liveness = .unresponsive(fencedAt: snapshot.now + .seconds(9))
        #expect(
            renderAlone(.services, snapshot, width: 36, height: 8).lines[1] == "│brokers 1 dead 9s · 2,3 slow      │")
        snapshot.brokers = [.init(id: 1, liveness: .fenced), .init(id: 2), .init(id: 3)]
        // Sends held in the producer for want of a leader are named, not hidden.
        snapshot.cluster = .init(acks: .all, uncleanLeaderElection: false)
        snapshot.cluster?.waitingForLeader = 5
        #expect(
            renderAlone(.services, snapshot, width: 46, height: 8).lines[2]
                == "│acks=all · 5 wait for a leader              │")
        snapshot.cluster = nil
        snapshot.brokers[0].liveness = .running
        snapshot.acknowledgedRecordsLost = 0
        let healthy = renderAlone(.services, snapshot, width: 44, height: 8).lines
        #expect(healthy[1] != "│brokers 1 up · 2 up · 3 up                │")
        #expect(healthy.contains("│brokers 1 up · 2 up · 3 up                │"))
    }

    @Test func servicesShowEachInstanceByItsNumber() {
        var snapshot = Literal.snapshot
        snapshot.orderServiceDownUntil = VirtualTime(milliseconds: 70_000)
        snapshot.pendingRejections = 4
        let grid = renderAlone(.services, snapshot, width: 44, height: 10)
        #expect(
            grid.lines == [
                "┌─ Services ───────────────────────────────┐",
                "│    STATE                PROCESSED REDELIV│",
                "│order-service · API DOWN, back in 5s      │",
                "│ #1 running                      5       0│",
                "│payment-service                           │",
                "│ #1 killed                       4       2│",
                "│ #2 crashed, back in 3s          1       0│",
                "│notification-service                      │",
                "│broker rejects the next 4                 │",
                "└──────────────────────────────────────────┘",
            ])
        #expect(grid[5, 5].style.foreground == .red, "killed is red")
        #expect(grid[41, 5].style.foreground == .yellow, "redeliveries above zero are yellow")
    }

    @Test func servicesShowTheOutboxOnceItIsInUse() {
        var snapshot = Literal.snapshot
        snapshot.settings.publish = .outbox
        snapshot.outbox = Snapshot.OutboxRow(
            pending: 2, oldestPendingSince: VirtualTime(milliseconds: 60_000),
            relay: .crashed(restartAt: Literal.now + .seconds(2)),
            published: 9, crashes: 1, crashArmed: false, retries: 1)
        let tall = renderAlone(.services, snapshot, width: 60, height: 11).lines
        #expect(tall[2] == "│order-service · API up                                    │")
        #expect(tall[3] == "│ outbox relay crashed 2s · 2 pending · oldest 5s · 1 retry│")
        // Short of room, every service keeps a line; the down instances keep their numbers.
        let short = renderAlone(.services, snapshot, width: 60, height: 6).lines
        #expect(
            short == [
                "┌─ Services ───────────────────────────────────────────────┐",
                "│order-service · API up · 1 running                        │",
                "│ outbox relay crashed 2s · 2 pending · oldest 5s · 1 retry│",
                "│payment-service · #1 killed · #2 crashed                  │",
                "│notification-service                                      │",
                "└──────────────────────────────────────────────────────────┘",
            ])
    }

    @Test func eventsNewestFirstColouredByMeaning() {
        let grid = renderAlone(.events, Literal.snapshot, width: 44, height: 5)
        #expect(
            grid.lines == [
                "┌─ Events ─────────────────────────────────┐",
                "│TOPIC             P@OFFSET TYPE           │",
                "│payment.failed         2@0 PaymentFailed  │",
                "│order.created         0@11 OrderCreated   │",
                "└──────────────────────────────────────────┘",
            ])
        #expect(grid[1, 2].style.foreground == .red)
        #expect(grid[1, 3].style.foreground == .default)
    }

    @Test func invariantsUseTheAnomalyNamesAndExplainViolations() {
        let grid = renderAlone(.invariants, Literal.snapshot, width: 44, height: 12)
        #expect(
            grid.lines == [
                "┌─ Invariants ─────────────────────────────┐",
                "│●   0 confirmedWithoutCharge              │",
                "│●   0 emailsWithoutCharge                 │",
                "│●   1 ordersWithoutEvent                  │",
                "│      committed, never published          │",
                "│●   2 doubleCharges                       │",
                "│      charged more than once              │",
                "│●   0 duplicateEmails                     │",
                "│●   0 refundNeeded                        │",
                "│●   0 emailsAfterCancel                   │",
                "│●   0 stuckPending                        │",
                "└──────────────────────────────────────────┘",
            ])
        #expect(grid[1, 3].style.foreground == .red && grid[1, 1].style.foreground == .green)
        // Every row of the pane is one of the anomalies the checker tracks, by the shared name.
        let names = grid.lines.compactMap { line in Anomaly.allCases.first { line.contains(" \($0.rawValue) ") } }
        #expect(names == Anomaly.invariants)
    }

    @Test func narrationShowsTheStepAndTheGuidedPrompt() {
        let scenario = ScenarioProgress(
            name: "outage-312", description: "d", guided: true, narratedSteps: 9,
            current: .init(number: 2, text: "A deploy begins. payment-service stops for 20 minutes."), waiting: true)
        let grid = renderAlone(.narration, Literal.snapshot, width: 44, height: 6, scenario: scenario)
        #expect(
            grid.lines == [
                "┌─ Narration ──────────────────────────────┐",
                "│outage-312 · guided                       │",
                "│paused here · g: next step                │",
                "│Step 2 of 9 — A deploy begins.            │",
                "│payment-service stops for 20 minutes.     │",
                "└──────────────────────────────────────────┘",
            ])
        let compact = renderAlone(.narration, Literal.snapshot, width: 44, height: 4, compact: true, scenario: scenario)
        #expect(compact.lines[1] == "│outage-312 · g: next step                 │")
    }
}

/// Texts that used to be cut at projector size.
@Suite struct UncutTextTests {
    @Test func theRelayStateIsWholeInTheCompactServicesPane() {
        var snapshot = Literal.snapshot
        snapshot.settings.publish = .outbox
        let lines = renderAlone(.services, snapshot, width: 36, height: 9, compact: true).lines
        #expect(lines.contains("│ relay up · 0 pending             │"), "\(lines)")
    }

    @Test func theServicesColumnTitlesAreWholeInTheFullLayout() {
        let lines = renderAlone(.services, Literal.snapshot, width: 44, height: 10).lines
        #expect(lines[1] == "│    STATE                PROCESSED REDELIV│")
    }
}
