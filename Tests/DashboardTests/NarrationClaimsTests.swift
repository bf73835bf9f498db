import Bus
import Events
import Services
import Simulation
import Testing

@testable import Dashboard

/// Narration matches the screen: at every narrated step of every shipped scenario, played
/// guided as a trainer would, what the text claims is checked against the snapshot the class
/// sees at that moment.
@Suite struct NarrationClaimsTests {
    typealias Claim = (what: String, holds: @Sendable (Snapshot, DashboardController) -> Bool)

    static func group(_ s: Snapshot, _ service: ServiceName) -> Snapshot.GroupRow? {
        s.groups.first { $0.group == service.rawValue }
    }
    static func lag(_ s: Snapshot, _ service: ServiceName) -> Int64? { group(s, service)?.totalLag }
    static func count(_ s: Snapshot, _ status: OrderStatus) -> Int { s.orderCounts[status] ?? 0 }
    static func instances(_ s: Snapshot, _ service: ServiceName) -> [Snapshot.InstanceRow] {
        s.instances.filter { $0.service == service }
    }
    static func allStopped(_ s: Snapshot, _ service: ServiceName) -> Bool {
        instances(s, service).allSatisfy { $0.state == .stopped }
    }
    static func lagsKnown(_ s: Snapshot) -> Bool {
        s.groups.allSatisfy { g in g.rows.filter { $0.topic == Topic.orderCreated }.allSatisfy { $0.lag != nil } }
    }
    static func owners(_ s: Snapshot, _ service: ServiceName) -> [String: Int] {
        var owned: [String: Int] = [:]
        for row in group(s, service)?.rows ?? [] where row.topic == Topic.orderCreated {
            if let id = row.clientId { owned[id, default: 0] += 1 }
        }
        return owned
    }

    static let p0 = TopicPartition(Topic.orderCreated, 0)
    static func allPartitions(_ c: DashboardController) -> [TopicPartition] {
        c.simulation.cluster.topics.flatMap { c.simulation.cluster.partitions(of: $0.name) }
    }
    /// The distinct ISR sizes over every partition.
    static func isrSizes(_ c: DashboardController) -> Set<Int> {
        Set(allPartitions(c).compactMap { c.simulation.cluster.replicaState($0)?.isr.count })
    }

    /// The claims of each narrated step, in order, by scenario.
    /// The claims of every shipped scenario: these and the brokers lessons' (`brokersClaims`,
    /// `divergentEpochsClaims`).
    static let claims = lessonClaims.merging(brokersClaims) { mine, _ in mine }
        .merging([
            "divergent-epochs": divergentEpochsClaims, "at-most-once": atMostOnceClaims,
            "dead-letter": deadLetterClaims, "rolling-deploy": rollingDeployClaims,
        ]) { mine, _ in mine }
        .merging(["poll-storm": (lessonClaims["poll-storm"] ?? []) + pollStormConsumerClaims]) { _, longer in longer }

    static let lessonClaims: [String: [[Claim]]] = [
        "happy-path": [
            [("traffic on at 2/s", { s, _ in s.trafficOn && s.trafficRate == 2 })],
            [
                ("every lag near zero", { s, _ in s.groups.allSatisfy { ($0.totalLag ?? 0) <= 5 } }),
                (
                    "order.created's three log ends climb together",
                    { s, _ in
                        let ends = s.partitions.filter { $0.topic == "order.created" }.map(\.logEndOffset)
                        return ends.count == 3 && ends.allSatisfy { $0 > 10 }
                            && (ends.max() ?? 0) - (ends.min() ?? 0) <= 10
                    }
                ),
            ],
            [("the traffic stopped", { s, _ in !s.trafficOn })],
            [
                ("every lag is 0", { s, _ in s.groups.allSatisfy { $0.totalLag == 0 } }),
                ("no order left PENDING_PAYMENT", { s, _ in count(s, .pendingPayment) == 0 }),
                ("the sweep finds nothing", { _, c in c.simulation.sweeps.last?.isClean == true }),
            ],
        ],
        "outage-312": outageClaims(optimistic: true),
        "outage-honest": outageClaims(optimistic: false),
        "outage-outbox": [
            [("publish is outbox", { s, _ in s.settings.publish == .outbox })],
            [("nine orders, in the outbox", { s, _ in count(s, .pendingPayment) == 9 && s.outbox.pending == 9 })],
            [("payment-service stopped", { s, _ in allStopped(s, .payment) })],
            [
                ("order-service is down", { s, _ in s.orderServiceDownUntil != nil }),
                ("its row is pending in the outbox", { s, _ in s.outbox.pending == 1 }),
            ],
            [
                ("three sends rejected, three retries", { s, _ in s.rejectedSends == 3 && s.outbox.retries == 3 }),
                ("no event missing", { s, _ in s.invariants[.ordersWithoutEvent] == 0 && s.outbox.pending == 0 }),
            ],
            [
                ("every deploy order PENDING_PAYMENT", { s, _ in count(s, .pendingPayment) == 312 }),
                ("each has its event", { s, _ in s.invariants[.ordersWithoutEvent] == 0 && lag(s, .payment) == 312 }),
            ],
            [("payment-service back", { s, _ in instances(s, .payment).allSatisfy { $0.state == .running } })],
            [
                ("zero losses, nothing stuck", { s, _ in s.invariants.total == 0 }),
                ("the sweep is clean", { _, c in c.simulation.sweeps.last?.isClean == true }),
            ],
        ],
        "redelivery": [
            [("idempotency off", { s, _ in s.settings.idempotency == .off })],
            [
                (
                    "the six orders reach every partition of order.created",
                    { s, _ in s.partitions.filter { $0.topic == Topic.orderCreated }.allSatisfy { $0.logEndOffset > 0 }
                    }
                )
            ],
            [("the kill is armed", { s, _ in s.killBeforeCommitArmed })],
            [
                (
                    "the batch's records charged and emailed twice",
                    { s, _ in s.invariants[.doubleCharges] == 2 && s.invariants[.duplicateEmails] == 2 }
                ),
                ("the sweep lists them", { _, c in c.simulation.sweeps.last?[.doubleCharges].count == 2 }),
            ],
            [("idempotency on", { s, _ in s.settings.idempotency == .on })],
            [("the kill is armed again", { s, _ in s.killBeforeCommitArmed })],
            [
                ("a dedup hit", { s, _ in (s.dedupHits[.payment] ?? 0) > 0 }),
                (
                    "no new duplicate",
                    { s, _ in s.invariants[.doubleCharges] == 2 && s.invariants[.duplicateEmails] == 2 }
                ),
            ],
        ],
        "poll-storm": [
            [
                ("idempotency off", { s, _ in s.settings.idempotency == .off }),
                ("500 records a poll", { s, _ in s.maxPollRecords == 500 }),
            ],
            [
                (
                    "the six orders reach every partition of order.created",
                    { s, _ in s.partitions.filter { $0.topic == Topic.orderCreated }.allSatisfy { $0.logEndOffset > 0 }
                    }
                )
            ],
            [("the provider is ten times slower", { s, _ in s.providerSlowdown == 10 })],
            [
                (
                    "an instance left the group with its batch in hand",
                    { s, _ in s.instances.contains { $0.outOfGroup && $0.batch != nil } }
                ),
                ("its records are read again", { s, _ in s.redeliveries > 0 }),
                ("some are charged twice", { s, _ in s.invariants[.doubleCharges] > 0 }),
            ],
            [("the sweep lists doubleCharges", { _, c in (c.simulation.sweeps.last?[.doubleCharges].count ?? 0) > 0 })],
            [("idempotency on", { s, _ in s.settings.idempotency == .on })],
            [("ten records a poll", { s, _ in s.maxPollRecords == 10 })],
            [
                ("every order settled", { s, _ in count(s, .pendingPayment) == 0 }),
                ("the group is Stable", { s, _ in group(s, .payment)?.state == .stable }),
                ("nobody is out of the group", { s, _ in !s.instances.contains { $0.outOfGroup } }),
                ("dedup hits", { s, _ in (s.dedupHits[.payment] ?? 0) > 0 }),
            ],
        ],
        "rebalance": [
            [
                ("Stable", { s, _ in group(s, .payment)?.state == .stable }),
                (
                    "instance 1 reads two partitions, instance 2 one",
                    { s, _ in
                        owners(s, .payment) == ["payment-service-1": 2, "payment-service-2": 1]
                    }
                ),
            ],
            [
                ("instance 2 is dead", { s, _ in instances(s, .payment).last?.state == .killed }),
                ("its partition still assigned to it", { s, _ in owners(s, .payment)["payment-service-2"] == 1 }),
                (
                    "and its lag grows",
                    { s, _ in group(s, .payment)?.rows.first { $0.partition == 2 }?.lag ?? 0 > 0 }
                ),
            ],
            [
                (
                    "Stable again, instance 1 owns all three",
                    { s, _ in
                        group(s, .payment)?.state == .stable && owners(s, .payment) == ["payment-service-1": 3]
                    }
                ),
                ("there is lag to work off", { s, _ in (lag(s, .payment) ?? 0) > 0 }),
            ],
            [
                ("the lag is back to 0", { s, _ in lag(s, .payment) == 0 }),
                ("nothing lost, nothing read twice", { s, _ in s.invariants.total == 0 && s.redeliveries == 0 }),
            ],
        ],
    ]

    static func outageClaims(optimistic: Bool) -> [[Claim]] {
        let design: [Claim] = [("the design", { s, _ in s.settings.design == (optimistic ? .optimistic : .honest) })]
        let steps: [[Claim]] = [
            [
                ("nine orders arrive", { s, _ in s.orderCounts.values.reduce(0, +) == 9 }),
                ("lags show '-' until the first commits", { s, _ in !lagsKnown(s) }),
            ],
            design,
            [("payment-service stopped", { s, _ in allStopped(s, .payment) })],
            [
                (
                    "orders wait or are CONFIRMED",
                    { s, _ in
                        optimistic
                            ? count(s, .pendingPayment) == 0 && count(s, .confirmed) > 9 : count(s, .pendingPayment) > 0
                    }
                ),
                ("payment-service lag climbs", { s, _ in (lag(s, .payment) ?? 0) > 0 }),
                (
                    "the invariants say so",
                    { s, _ in
                        optimistic
                            ? s.invariants[.confirmedWithoutCharge] > 0 && s.invariants[.emailsWithoutCharge] > 0
                            : s.invariants[.confirmedWithoutCharge] == 0 && s.emailsSent == 9 - 1
                    }
                ),
            ],
            [("one event lost", { s, _ in s.invariants[.ordersWithoutEvent] == 1 })],
            [
                (
                    "three sends rejected, four events lost",
                    { s, _ in s.rejectedSends == 3 && s.invariants[.ordersWithoutEvent] == 4 }
                )
            ],
            [
                ("end of the deploy: lag at its peak", { s, _ in lag(s, .payment) == 308 }),
                (
                    "the sweep",
                    { s, c in
                        let sweep = c.simulation.sweeps.last
                        return optimistic
                            ? sweep?[.confirmedWithoutCharge].count == 312 && sweep?[.emailsWithoutCharge].count == 312
                            : sweep?[.confirmedWithoutCharge].isEmpty == true && s.invariants[.stuckPending] > 0
                    }
                ),
            ],
            [("payment-service back", { s, _ in instances(s, .payment).allSatisfy { $0.state == .running } })],
            [
                ("drained", { s, _ in lag(s, .payment) == 0 }),
                (
                    "only the lost publishes remain",
                    { s, _ in
                        optimistic
                            ? s.invariants[.confirmedWithoutCharge] == 4 && s.invariants[.ordersWithoutEvent] == 4
                            : count(s, .pendingPayment) == 4 && s.invariants[.stuckPending] == 4
                    }
                ),
            ],
        ]
        // outage-honest narrates its design first; outage-312 narrates it second.
        return optimistic ? steps : [design, steps[0], steps[2]] + steps[3...]
    }

    @Test(arguments: OneTruthTests.shipped)
    func everyNarratedStepIsTrueOnScreen(name: String) throws {
        let claims = try #require(Self.claims[name], "\(name) has claims")
        let c = try PresenterTests.controller(name)
        #expect(c.player?.scenario.narratedSteps == claims.count, "\(name): one claim list per narrated step")
        for (i, stepClaims) in claims.enumerated() {
            PresenterTests.play(c, toStep: i + 1)
            let snapshot = c.simulation.snapshot()
            for claim in stepClaims {
                #expect(claim.holds(snapshot, c), "\(name) step \(i + 1) at \(snapshot.now): \(claim.what)")
            }
        }
    }
}
