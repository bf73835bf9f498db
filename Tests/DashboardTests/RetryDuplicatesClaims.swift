import Bus
import Events
import Services
import Simulation
import Testing

@testable import Dashboard

/// `retry-duplicates`'s narrated claims: a retried send appended twice, then dropped by an
/// idempotent producer's broker, then absorbed by the services' idempotency.
extension NarrationClaimsTests {
    /// Records in order.created, over its partitions: one per order unless a retry added a copy.
    static func orderCreatedRecords(_ c: DashboardController) -> Int64 {
        let cluster = c.simulation.cluster
        return cluster.partitions(of: Topic.orderCreated).map { cluster.logEndOffset($0) }.reduce(0, +)
    }
    static func orders(_ s: Snapshot) -> Int64 { Int64(s.orderCounts.values.reduce(0, +)) }
    static func timedOut(_ c: DashboardController) -> Int {
        c.simulation.cluster.producerErrors["RequestTimedOut"] ?? 0
    }

    static let retryDuplicatesClaims: [[Claim]] = [
        [
            (
                "acks=all, idempotence off in the producer and the services",
                { s, c in
                    c.simulation.orderProducer.config.acks == .all && !c.simulation.orderProducer.config.isIdempotent
                        && s.settings.idempotency == .off
                }
            )
        ],
        [
            ("the sends timed out and were retried", { _, c in timedOut(c) >= 3 }),
            ("the leader appended them again", { s, c in orderCreatedRecords(c) > orders(s) }),
        ],
        [
            ("partition 0's ISR is the leader alone", { _, c in c.simulation.cluster.replicaState(p0)?.isr == [1] }),
            ("three orders charged twice", { s, _ in s.invariants[.doubleCharges] == 3 }),
        ],
        [("the producers are idempotent", { _, c in c.simulation.orderProducer.config.isIdempotent })],
        [
            ("timed out and retried again", { _, c in timedOut(c) > 5 }),
            ("no new copy in the log", { s, c in orderCreatedRecords(c) - orders(s) == 5 }),
            ("nothing new charged twice", { s, _ in s.invariants[.doubleCharges] == 3 }),
        ],
        [
            (
                "the producer without idempotence, the services with it",
                { s, c in !c.simulation.orderProducer.config.isIdempotent && s.settings.idempotency == .on }
            )
        ],
        [
            ("copies in the log again", { s, c in orderCreatedRecords(c) - orders(s) > 5 }),
            ("dedup hits", { s, _ in (s.dedupHits[.payment] ?? 0) > 0 }),
            ("no new double charge", { s, _ in s.invariants[.doubleCharges] == 3 }),
            (
                "the sweep lists the duplicated events",
                { _, c in !(c.simulation.sweeps.last?[.duplicateEvents] ?? []).isEmpty }
            ),
        ],
    ]
}
