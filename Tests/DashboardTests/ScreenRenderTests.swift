import Testing

@testable import Dashboard

/// Whole-screen renders of the fixture world, compared line by line (trailing spaces trimmed).
@Suite struct ScreenRenderTests {
    func expectLines(_ grid: Grid, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let want = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(grid.lines.count == want.count, sourceLocation: sourceLocation)
        for (i, (got, line)) in zip(grid.lines, want).enumerated() where got != line {
            Issue.record("line \(i):\n got: \(got)\nwant: \(line)", sourceLocation: sourceLocation)
        }
    }

    @Test func fullLayoutAt120x40() throws {
        expectLines(
            render(try fixtureController(), 120, 40),
            """
             orderflow  RUNNING 00:00:03.000  1×  design honest  publish best-effort  idempotency off  auto traffic off
             ? lists every key · m p i switch design, publish, idempotency · r reconciles                                   seed 42
            ┌─ Orders ─────────────────────────────────┐┌─ Consumer groups ────────────────────────────────────────────────────────┐
            │PENDING_PAYMENT     3 ████████░░░░░░░░░░░ ││TOPIC             P CURRENT-OFFSET LOG-END-OFFSET   LAG #                 │
            │CONFIRMED           4 ██████████░░░░░░░░░ ││payment-service Stable · lag 3 · 2 members · range                        │
            │PAYMENT_FAILED      1 ███░░░░░░░░░░░░░░░░ ││order.created     0              1              3     2 #1                │
            │CANCELLED           0 ░░░░░░░░░░░░░░░░░░░ ││order.created     1              1              1     0 #1                │
            │API rejected 0 · accepted 8               ││order.created     2              3              4     1 #2                │
            │ORDER        AMOUNT STATUS             AGE││order-service Stable · lag 0 · 1 member · range                           │
            │c9c10da2  67.01 EUR PENDING_PAYMENT     0s││payment.completed 0              1              1     0 #1                │
            │c1ffe836 168.52 EUR PENDING_PAYMENT     0s││payment.completed 1              -              0     - #1                │
            │dfa1e571 220.14 EUR PENDING_PAYMENT     0s││payment.completed 2              3              3     0 #1                │
            │a4d9d5bb  88.46 EUR CONFIRMED           3s││payment.failed    0              -              0     - #1                │
            │89e9b8b9 186.61 EUR CONFIRMED           3s││payment.failed    1              1              1     0 #1                │
            │81b872bb  59.21 EUR PAYMENT_FAILED      3s││payment.failed    2              -              0     - #1                │
            │88d47439  62.25 EUR CONFIRMED           3s││notification-service Stable · lag 0 · 1 member · range                    │
            │35fa022a 223.17 EUR CONFIRMED           3s││payment.completed 0              1              1     0 #1                │
            └──────────────────────────────────────────┘│payment.completed 1              -              0     - #1                │
            ┌─ Services ───────────────────────────────┐│payment.completed 2              3              3     0 #1                │
            │    STATE                PROCESSED REDELIV│└──────────────────────────────────────────────────────────────────────────┘
            │order-service · API up                    │┌─ Topics ─────────────────────────────────────────────────────────────────┐
            │ #1 running                      5       0││TOPIC             P  START     END REC/S LAST 33s                         │
            │payment-service                           ││order.created     0      0       3     0                               █  │
            │ #1 running                      2       0││order.created     1      0       1     0                               █  │
            │ #2 running                      3       0││order.created     2      0       4     0                               █  │
            │notification-service                      ││payment.completed 0      0       1     0                               █  │
            │ #1 running                      4       0││payment.completed 1      0       0     0                                  │
            │                                          ││payment.completed 2      0       3     0                               █  │
            └──────────────────────────────────────────┘│payment.failed    0      0       0     0                                  │
            ┌─ Invariants ─────────────────────────────┐│payment.failed    1      0       1     0                               █  │
            │●   0 confirmedWithoutCharge              ││payment.failed    2      0       0     0                                  │
            │●   0 emailsWithoutCharge                 │└──────────────────────────────────────────────────────────────────────────┘
            │●   0 ordersWithoutEvent                  │┌─ Events ─────────────────────────────────────────────────────────────────┐
            │●   0 doubleCharges                       ││TIME         TOPIC             P@OFFSET KEY      TYPE                     │
            │●   0 duplicateEmails                     ││00:00:03.000 order.created          2@3 c9c10da2 OrderCreated             │
            │●   0 refundNeeded                        ││00:00:03.000 order.created          0@2 c1ffe836 OrderCreated             │
            │●   0 emailsAfterCancel                   ││00:00:03.000 order.created          0@1 dfa1e571 OrderCreated             │
            │●   0 stuckPending                        ││00:00:00.468 payment.completed      2@2 89e9b8b9 PaymentCompleted         │
            └──────────────────────────────────────────┘└──────────────────────────────────────────────────────────────────────────┘
             o order  t traffic  k kill pay  n kill notif  c crash  b reject  r reconcile  space pause  Tab focus  ? help  q quit
            """)
    }

    @Test func compactLayoutAt80x24() throws {
        expectLines(
            render(try fixtureController(), 80, 24),
            """
             RUNNING 00:00:03 1×  honest · best-effort · idem off  auto off
            ┌─ Orders ─────────────────────────┐┌─ Consumer groups ────────────────────────┐
            │PENDING_PAYMENT     3 █████░░░░░░ ││TOPIC         P CURRENT LOG-END   LAG #   │
            │CONFIRMED           4 ██████░░░░░ ││payment-service Stable · lag 3            │
            │PAYMENT_FAILED      1 ██░░░░░░░░░ ││order.created 0       1       3     2 #1  │
            │CANCELLED           0 ░░░░░░░░░░░ ││order.created 1       1       1     0 #1  │
            │API rejected 0 · accepted 8       ││order.created 2       3       4     1 #2  │
            │ORDER    STATUS                AGE││order-service Stable · lag 0              │
            │c9c10da2 PENDING_PAYMENT        0s││notification-service Stable · lag 0       │
            └──────────────────────────────────┘│                                          │
            ┌─ Services ───────────────────────┐└──────────────────────────────────────────┘
            │order-service · API up · 1 running│┌─ Topics ─────────────────────────────────┐
            │payment-service · 2 running       ││TOPIC             P     END REC/S LAST 8s │
            │notification-service · 1 running  ││order.created     0       3     0      █  │
            │                                  ││order.created     1       1     0      █  │
            └──────────────────────────────────┘│order.created     2       4     0      █  │
            ┌─ Invariants ─────────────────────┐└──────────────────────────────────────────┘
            │●   0 confirmedWithoutCharge      │┌─ Events ─────────────────────────────────┐
            │●   0 emailsWithoutCharge         ││TOPIC-P@OFFSET        TYPE                │
            │●   0 ordersWithoutEvent          ││order.created-2@3     OrderCreated        │
            │●   0 doubleCharges               ││order.created-0@2     OrderCreated        │
            │●   0 duplicateEmails             ││order.created-0@1     OrderCreated        │
            └──────────────────────────────────┘└──────────────────────────────────────────┘
             o order  k kill pay  n kill notif  c crash  space pause  ? help  q quit
            """)
    }

    @Test func theSizeItNeedsIsReadableAtAnySize() throws {
        let c = try fixtureController()
        #expect(render(c, 30, 10).lines.contains { $0.contains("orderflow needs 80×24;") })
        #expect(render(c, 20, 10).lines.contains { $0.contains("needs 80×24") })
        #expect(render(c, 20, 10).lines.contains { $0.contains("is 20×10") })
        #expect(render(c, 6, 2).lines == ["80×24", " 6×2"], "centred")
    }

    @Test func tooSmallTerminalGetsAMessageNotABrokenScreen() throws {
        expectLines(
            render(try fixtureController(), 60, 20),
            """








                          orderflow needs at least 80×24;
                              this terminal is 60×20.
                      Enlarge the window, or press q to quit.









            """)
    }
}
