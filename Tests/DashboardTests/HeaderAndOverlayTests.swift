import Bus
import Simulation
import Testing

@testable import Dashboard

/// The header and each overlay drawn alone from literal values, compared line by line as the
/// panes are: what the class reads when the trainer opens them.
@Suite struct HeaderAndOverlayTests {
    func header(_ state: DashboardState, width: Int, kind: LayoutKind) -> [String] {
        var grid = Grid(width: width, height: kind == .full ? 2 : 1)
        Header(snapshot: Literal.snapshot, state: state, scenario: nil, glyphs: .unicode).draw(on: &grid, kind: kind)
        return grid.lines
    }

    /// The non-blank lines an overlay leaves on an empty screen.
    func overlay(width: Int = 80, height: Int = 24, _ draw: (inout Grid) -> Void) -> [String] {
        var grid = Grid(width: width, height: height)
        draw(&grid)
        return grid.lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    @Test func theHeaderSaysTheRunsStateAndTheLastAnswer() {
        #expect(
            header(DashboardState(), width: 120, kind: .full) == [
                " orderflow  RUNNING 00:01:05.000  1×  design honest  publish best-effort  idempotency off  auto traffic on 2/s",
                " ? lists every key · m p i switch design, publish, idempotency · r reconciles                                    seed 7",
            ])
        var state = DashboardState()
        state.message = "order bbbbbbbb accepted: PENDING_PAYMENT"
        #expect(
            header(state, width: 120, kind: .full)[1]
                == " order bbbbbbbb accepted: PENDING_PAYMENT                                                                        seed 7"
        )
        #expect(
            header(DashboardState(), width: 80, kind: .compact) == [
                " RUNNING 00:01:05 1×  honest · best-effort · idem off  auto on 2/s"
            ])
    }

    /// Too wide, the header drops whole parts, lowest priority first (the product's name, then
    /// the generator): a word is never cut at the edge (`acks=1 unclean  a` was), and the
    /// clock's state and time stay.
    @Test func aFullHeaderDropsWholePartsNeverCutsOne() {
        var snapshot = Literal.snapshot
        snapshot.settings.publish = .bestEffort
        snapshot.cluster = .init(acks: .leader, uncleanLeaderElection: true)
        var grid = Grid(width: 80, height: 1)
        var paused = DashboardState()
        paused.paused = true
        Header(snapshot: snapshot, state: paused, scenario: nil, glyphs: .unicode).draw(on: &grid, kind: .compact)
        #expect(grid.lines == ["  PAUSED  00:01:05 1×  honest · best-effort · idem off · acks=1 unclean"])
        var wide = Grid(width: 120, height: 2)
        Header(snapshot: snapshot, state: paused, scenario: nil, glyphs: .unicode).draw(on: &wide, kind: .full)
        // The product's name is the first to give way at 120 columns.
        #expect(
            wide.lines[0]
                == "  PAUSED  00:01:05.000  1×  design honest  publish best-effort  idempotency off  acks 1  unclean on  auto traffic on 2/s"
        )
    }

    @Test func theHelpOverlayListsEveryKeyAt80x24() {
        let lines = overlay {
            HelpOverlay(glyphs: .unicode, context: BindingContext(scenarioPlaying: false)).draw(on: &$0)
        }
        #expect(lines.first == " ┌─ ▶ Keys ───────────────────────────────────────────────────────────────────┐")
        #expect(lines[1] == " │ o     place one order                 /         find an order by its id    │")
        #expect(lines[8] == " │ k     kill / restart payment          w s z     record · save screen · zoom│")
        #expect(lines[14] == " │ b     broker rejects next 5 sends     PgUp PgDn scroll a page up / down    │")
        #expect(lines.last == " └────────────────────────────────────────────────────────────────────────────┘")
        #expect(lines.count == 21)
    }

    @Test func aPanesHelpExplainsIt() {
        #expect(
            overlay { PaneHelpOverlay(pane: .orders, glyphs: .unicode).draw(on: &$0) } == [
                "  ┌─ ▶ Orders: what it shows ────────────────────────────────────────────────┐",
                "  │ Orders by status as order-service's table holds them, with a bar for     │",
                "  │ each share.                                                              │",
                "  │                                                                          │",
                "  │ API rejected counts orders its API turned away while it was down;        │",
                "  │ accepted counts the rows it wrote.                                       │",
                "  │                                                                          │",
                "  │ Below, the newest orders: an order waiting in PENDING_PAYMENT is honest, │",
                "  │ not stuck; arrows select, Enter follows one, x cancels it.               │",
                "  │                                                                          │",
                "  │ ? again lists every key · Esc closes                                     │",
                "  └──────────────────────────────────────────────────────────────────────────┘",
            ])
    }

    /// Every class with its count, meaning and first ids; the keys line whole at 80 columns.
    @Test func theReconciliationOverlayListsEveryClass() {
        var sweep = ReconciliationReport(at: Literal.now, ordersChecked: 8)
        sweep[.ordersWithoutEvent] = ["bbbbbbbb-2222"]
        sweep[.doubleCharges] = ["aaaaaaaa-1111", "cccccccc-3333"]
        #expect(
            overlay { ReconciliationOverlay(sweep: sweep, glyphs: .unicode).draw(on: &$0) } == [
                "  ┌─ ▶ Reconciliation ───────────────────────────────────────────────────────┐",
                "  │ taken at 00:01:05.000 · 8 orders checked                                 │",
                "  │                                                                          │",
                "  │ ●     1 ordersWithoutEvent     committed, never published    bbbbbbbb    │",
                "  │ ●     0 confirmedWithoutCharge CONFIRMED, never charged                  │",
                "  │ ●     0 emailsWithoutCharge    told confirmed, never charged             │",
                "  │ ●     0 chargedNotConfirmed    charged, not CONFIRMED                    │",
                "  │ ●     2 doubleCharges          charged more than once        aaaaaaaa …  │",
                "  │ ●     0 duplicateEmails        emailed more than once                    │",
                "  │ ●     0 duplicateEvents        order.created more than once              │",
                "  │ ●     0 emailsAfterCancel      CANCELLED, told confirmed                 │",
                "  │ ●     0 deadLettered           waiting in a DLT, not lost                │",
                "  │                                                                          │",
                "  │ R republishes ordersWithoutEvent · r or Esc closes · re-swept each second│",
                "  └──────────────────────────────────────────────────────────────────────────┘",
            ])
    }

    @Test func aRecordOrAnOrderThatIsGoneSaysSo() {
        #expect(
            overlay(height: 12) {
                RecordOverlay(
                    detail: nil, reference: RecordMetadata(topic: "order.created", partition: 1, offset: 7),
                    glyphs: .unicode
                ).draw(on: &$0)
            } == [
                "  ┌─ ▶ Record order.created 1@7 ─────────────────────────────────────────────┐",
                "  │ order.created 1@7 is no longer in the log (retention)                    │",
                "  │                                                                          │",
                "  │ Enter: the journey of the order it is keyed by · Esc closes              │",
                "  └──────────────────────────────────────────────────────────────────────────┘",
            ])
        #expect(
            overlay(height: 12) {
                JourneyOverlay(orderId: "dddddddd-4444", journey: nil, glyphs: .unicode).draw(on: &$0)
            }
                == [
                    "  ┌─ ▶ Journey of dddddddd ──────────────────────────────────────────────────┐",
                    "  │ order dddddddd-4444 is not in the orders table                           │",
                    "  │                                                                          │",
                    "  │ the order id is the key and the correlation id throughout · Esc closes   │",
                    "  └──────────────────────────────────────────────────────────────────────────┘",
                ])
    }
}
