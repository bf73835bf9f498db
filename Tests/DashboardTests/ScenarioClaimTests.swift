import Bus
import Foundation
import Simulation
import Testing

@testable import Dashboard

/// `expect:`: the claims a step makes, checked where it ran; every shipped lesson carries its own.
@Suite struct ScenarioClaimTests {
    static func checks(_ scenario: Scenario) throws -> [ClaimCheck] {
        let sim = try Simulation(config: try scenario.config(over: OrderflowConfig()))
        return HeadlessRun(scenario: scenario).playSteps(sim)
    }

    @Test(arguments: OneTruthTests.shipped)
    func everyShippedLessonMakesClaimsAndTheyHold(_ name: String) throws {
        let scenario = try OneTruthTests.scenario(name)
        let checks = try Self.checks(scenario)
        #expect(checks.count >= 3, "\(name) makes claims a trainer can check")
        #expect(Set(checks.map(\.step.path)).count >= 2, "\(name) claims at more than one step")
        for check in checks where check.actual != nil {
            Issue.record("\(name) \(check.claim.key): \(check.verdict)")
        }
    }

    /// A recording writes a lesson step's claims back as YAML: every kind reads back as itself.
    @Test func everyShippedClaimWritesBackAsItself() throws {
        var kinds = Set<String>()
        for name in OneTruthTests.shipped {
            for step in try OneTruthTests.scenario(name).steps where !step.claims.isEmpty {
                let text = (["steps:", "  - at: 1s", "    say: x"] + Claim.yamlLines(step.claims, indent: "    "))
                    .joined(separator: "\n")
                let read = try Scenario.parse(text, file: "w.yaml", name: "w").steps[0].claims
                func spelled(_ claims: [Claim]) -> [String] { claims.map { "\($0.subject) \($0.expected)" }.sorted() }
                #expect(spelled(read) == spelled(step.claims), "\(name) \(step.path ?? "")")
                kinds.formUnion(step.claims.map { "\($0.subject)".prefix { $0 != "(" }.description })
            }
        }
        #expect(kinds == ["anomaly", "orders", "lag", "broker", "leader", "isr", "highWatermark", "producerErrors"])
    }

    static let wrong = """
        name: wrong
        steps:
          - {at: 0s, do: traffic, rate: 2}
          - at: 30s
            say: Nothing has gone wrong yet.
            expect:
              anomalies: {ordersWithoutEvent: ">0", doubleCharges: 0}
              lag: {payment-service: 0}
              orders: {CONFIRMED: ">=10", PENDING_PAYMENT: "<100"}
        """

    @Test func aWrongClaimIsNamedWithTheRunsValue() throws {
        let scenario = try Scenario.parse(Self.wrong, file: "wrong.yaml", name: "wrong")
        let checks = try Self.checks(scenario)
        #expect(checks.count == 5)
        let failed = checks.filter { $0.actual != nil }
        #expect(
            failed.map(\.claim.key) == [
                "steps[1].expect.anomalies.ordersWithoutEvent", "steps[1].expect.lag.payment-service",
            ])
        #expect(failed.map(\.claim.line) == [7, 8])
        #expect(failed[0].verdict == "ordersWithoutEvent > 0 — actually 0")
        // The lag the run had at 30s, against the run itself: the claim reports what the snapshot says.
        let sim = try Simulation(config: OrderflowConfig())
        let player = ScenarioPlayer(scenario: scenario, guided: false)
        player.advance(sim, to: .zero + .seconds(30))
        let lag = try #require(sim.snapshot().groups.first { $0.group == "payment-service" }?.totalLag)
        #expect(lag != 0 && failed[1].verdict == "lag of payment-service is 0 — actually \(lag)")
    }

    @Test func theGuidedDashboardMarksAFalseClaimOnTheStep() throws {
        let scenario = try Scenario.parse(Self.wrong, file: "wrong.yaml", name: "wrong")
        let c = DashboardController(
            simulation: try Simulation(config: OrderflowConfig()),
            player: ScenarioPlayer(scenario: scenario, guided: true))
        PresenterTests.play(c, toStep: 1)
        for (width, height) in [(80, 24), (120, 40)] {
            let lines = c.frame(width: width, height: height, glyphs: .unicode).lines
            // Wrapped at 80 columns, the value stays with "actually".
            #expect(
                lines.contains { $0.contains("✗ FALSE: ordersWithoutEvent > 0 —") }
                    && lines.contains { $0.contains("actually 0") },
                "\(width)×\(height)\n\(lines.joined(separator: "\n"))")
            #expect(lines.contains { $0.contains("Nothing has gone wrong yet.") })
        }
    }

    @Test func aTrueStepShowsNoMark() throws {
        let c = try PresenterTests.controller("outage-312")
        PresenterTests.play(c, toStep: 4)
        #expect(c.player?.progress.current?.falseClaims == [])
        #expect(!c.frame(width: 80, height: 24, glyphs: .unicode).lines.joined().contains("FALSE"))
    }

    @Test(arguments: [
        ("{anomalies: {noSuchThing: 1}}", "steps[0].expect.anomalies.noSuchThing", "unknown anomaly"),
        ("{orders: {SHIPPED: 1}}", "steps[0].expect.orders.SHIPPED", "unknown status"),
        ("{lag: {payment-service: lots}}", "steps[0].expect.lag.payment-service", "expected a number or a comparison"),
        ("{brokers: {2: asleep}}", "steps[0].expect.brokers.2", "expected one of up"),
        ("{partitions: {order.created: {leader: 1}}}", "steps[0].expect.partitions.order.created", "topic-N"),
        ("{partitions: {order.created-0: {isr: [0]}}}", "steps[0].expect.partitions.order.created-0.isr", "1 to 9"),
        ("{wishes: {a: 1}}", "steps[0].expect.wishes", "unknown key"),
        ("{}", "steps[0].expect.anomalies", "at least one claim"),
    ])
    func aBadClaimIsAnInputErrorNamingItsKey(_ claim: String, _ key: String, _ message: String) {
        let text = "steps:\n  - at: 1s\n    say: hi\n    expect: \(claim)\n"
        #expect {
            _ = try Scenario.parse(text, file: "bad.yaml", name: "bad")
        } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.key == key && error.line == 4 && error.message.contains(message)
        }
    }
}
