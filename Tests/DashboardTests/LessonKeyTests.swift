import Bus
import Events
import Foundation
import Services
import Simulation
import Testing

@testable import Dashboard

/// The keys of the lessons: the three switches, the new faults, cancel, follow, reconcile,
/// repair, and a guided scenario.
@Suite struct LessonKeyTests {
    func screen(_ c: DashboardController, _ w: Int = 120, _ h: Int = 40) -> String {
        render(c, w, h).lines.joined(separator: "\n")
    }

    @Test func mPAndISwitchTheFlowAndTheHeaderSaysSo() throws {
        let c = try fixtureController()
        #expect(screen(c).contains("design honest  publish best-effort  idempotency off"))
        c.handle(.character("m"))
        c.handle(.character("p"))
        c.handle(.character("i"))
        #expect(c.simulation.settings == FlowSettings(design: .optimistic, publish: .outbox, idempotency: .on))
        #expect(screen(c).contains("design optimistic  publish outbox  idempotency on"))
        #expect(screen(c, 80, 24).contains("optimistic · outbox · idem on"))

        // A change applies to orders placed after it: this one is CONFIRMED and emailed at once.
        let emails = c.simulation.notificationService.emailsSent
        let placed = try #require(c.simulation.placeOrder())
        #expect(placed.status == .confirmed)
        #expect(c.simulation.notificationService.emailsSent == emails + 1)
        #expect(screen(c).contains(" outbox relay up · 1 pending"))
        c.simulation.advance(by: .seconds(1))
        #expect(c.simulation.relay.pending == 0)
        #expect(screen(c).contains(" outbox relay running · 0 pending"), "room again: the relay in words")
        #expect(screen(c).contains("order-service · API up"))
        c.handle(.character("m"))
        #expect(c.simulation.settings.design == .honest)
        #expect(c.simulation.placeOrder()?.status == .pendingPayment)
    }

    @Test func dKillsAPaymentInstanceBeforeItsCommitAndTheRedeliveryChargesTwice() throws {
        let c = try fixtureController { $0.providerFailureRate = 0 }
        c.simulation.advance(by: .seconds(3))
        c.handle(.character("d"))
        #expect(screen(c).contains("payment-service · dies before next commit"))
        c.handle(.character("o"))
        c.simulation.advance(by: .seconds(1))
        #expect(c.simulation.instanceRows.contains { if case .crashed = $0.state { true } else { false } })
        c.simulation.advance(by: .seconds(30))
        #expect(c.simulation.checkInvariants()[.doubleCharges] == 1)
        #expect(c.simulation.checkInvariants()[.duplicateEmails] == 1)
        #expect(screen(c).contains("●   1 doubleCharges"))
    }

    @Test func eCrashesTheRelayBetweenPublishAndMarkSoTheRowGoesOutTwice() throws {
        let c = try fixtureController { $0.flow.publish = .outbox }
        c.handle(.character("e"))
        c.handle(.character("o"))
        c.simulation.advance(by: .seconds(1))
        #expect(screen(c).contains(" outbox relay crashed 5s · 4 pending"))
        c.simulation.advance(by: .seconds(10))
        #expect(c.simulation.relay.crashes == 1)
        #expect(c.simulation.relay.pending == 0)
        #expect(c.simulation.reconcile()[.duplicateEvents].count == 1)
    }

    @Test func xCancelsTheSelectedPendingOrderAndALatePaymentNeedsARefund() throws {
        let c = try fixtureController { $0.providerFailureRate = 0 }
        c.handle(.character("x"))
        #expect(c.state.message == "select an order first: Tab to Orders, then the arrows")
        c.handle(.character("k"))
        c.handle(.character("o"))
        _ = render(c, 120, 40)
        c.handle(.tab)
        c.handle(.down)
        let id = try #require(c.state.selectedOrderId)
        c.handle(.character("x"))
        #expect(try c.simulation.orderService.order(id)?.status == .cancelled)
        #expect(c.state.message?.contains("CANCELLED") == true)
        // The payment still happens once payment-service is back: the cancel does not undo a charge.
        c.handle(.character("k"))
        c.simulation.advance(by: .seconds(30))
        #expect(try c.simulation.orderService.order(id)?.status == .cancelled)
        #expect(c.simulation.checkInvariants()[.refundNeeded] == 1)
        #expect(screen(c).contains("●   1 refundNeeded"))
        c.handle(.character("x"))
        #expect(c.state.message?.contains("only PENDING_PAYMENT can be cancelled") == true)
    }

    @Test func enterOpensTheSelectedOrdersJourney() throws {
        let c = try fixtureController()
        c.simulation.advance(by: .seconds(5))
        _ = render(c, 120, 40)
        c.handle(.tab)
        c.handle(.down)
        let id = try #require(c.state.selectedOrderId)
        c.handle(.enter)
        #expect(c.state.overlay == .journey(orderId: id))
        let text = screen(c)
        #expect(text.contains("─ ▶ Journey of \(id.prefix(8)) ─"))
        for step in [
            "database commit", "publish", "order.created", "consumed by payment-service", "provider charge",
            "no idempotency key", "order-service",
        ] {
            #expect(text.contains(step), "journey lacks \(step)")
        }
        c.handle(.escape)
        #expect(c.state.overlay == nil)
    }

    @Test func rSweepsAndRRepublishesWhatTheDualWriteLost() throws {
        let c = try fixtureController()
        c.handle(.character("c"))
        c.handle(.character("o"))
        c.simulation.advance(by: .seconds(20))
        c.handle(.character("r"))
        #expect(c.state.overlay == .reconciliation)
        #expect(c.sweep?[.ordersWithoutEvent].count == 1)
        #expect(screen(c).contains("─ ▶ Reconciliation ─"))
        #expect(screen(c).contains("●     1 ordersWithoutEvent"))
        c.handle(.character("R"))
        #expect(c.sweep?.republished == 1)
        #expect(c.sweep?[.ordersWithoutEvent].isEmpty == true)
        // Live: the overlay re-sweeps as the republished event is consumed and the order confirmed or failed.
        c.simulation.advance(by: .seconds(5))
        for _ in 0..<DashboardController.framesBetweenSweeps - 1 { _ = render(c, 120, 40) }
        #expect(c.sweep?.at != c.simulation.now, "not re-swept on every frame")
        let text = screen(c)
        #expect(
            c.sweep?.at == c.simulation.now, "re-swept once a virtual second has passed and a few frames were drawn")
        #expect(text.contains("repair republished 1 OrderCreatedEvent "))
        #expect(c.sweep?.isClean == true)
        #expect(c.simulation.orderService.board.counts[.pendingPayment] == 0)
        c.handle(.character("r"))
        #expect(c.state.overlay == nil)
    }

    @Test func aGuidedScenarioHoldsTheClockAtEachNarratedStepUntilG() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let scenario = try Scenario.load(path: dir.appendingPathComponent("config/scenarios/outage-honest.yaml").path)
        let sim = try Simulation(config: OrderflowConfig())
        let c = DashboardController(simulation: sim, player: ScenarioPlayer(scenario: scenario, guided: true))
        let total = scenario.narratedSteps
        #expect(c.visiblePanes.contains(.narration) && !c.visiblePanes.contains(.events))
        #expect(c.waitingForTrainer)
        var text = screen(c)
        #expect(text.contains("─ Narration ─"))
        #expect(text.contains("Step 1 of \(total) — The same deploy"))
        #expect(text.contains("paused here · g: next step"))
        #expect(text.contains(" g: NEXT STEP"))
        let compact = screen(c, 80, 24)
        #expect(compact.contains("│outage-honest · g: next step"))
        #expect(compact.contains("Step 1 of \(total) — The same deploy"))
        c.tick(wallMilliseconds: 5_000)
        #expect(sim.now == .zero, "the clock waits for the trainer")
        c.handle(.character("g"))
        c.tick(wallMilliseconds: 5_000)
        #expect(sim.now == .zero + .seconds(1))
        #expect(c.waitingForTrainer)
        text = screen(c)
        #expect(text.contains("Step 2 of \(total) — A quiet morning"))
        c.handle(.character("g"))
        c.tick(wallMilliseconds: 20_000)
        #expect(sim.now == .zero + .seconds(10))
        #expect(screen(c).contains("Step 3 of \(total) — payment-service stops"))
        #expect(sim.instanceRows.filter { $0.service == .payment }.allSatisfy { $0.state == .stopped })
        #expect(sim.orderService.board.counts[.pendingPayment] == 0, "the nine warm-up orders went through first")
    }
}
