import Bus
import Events
import Services
import Simulation
import Testing

@testable import Dashboard

/// The delivery lessons' narrated claims. `retry-duplicates`: a retried send appended twice, then dropped by an
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

/// `fire-and-forget`'s narrated claims: one crash under each acks.
extension NarrationClaimsTests {
    static func liveness(_ c: DashboardController, _ broker: Int) -> BrokerLiveness {
        c.simulation.cluster.brokerStates[broker - 1].liveness
    }

    static let fireAndForgetClaims: [[Claim]] = [
        [("acks=0", { _, c in c.simulation.orderProducer.config.acks == .none })],
        [
            (
                "broker 1 fenced, broker 2 leads partition 0",
                { _, c in liveness(c, 1) == .fenced && c.simulation.cluster.replicaState(p0)?.leader == 2 }
            ),
            ("events gone", { s, _ in s.invariants[.ordersWithoutEvent] > 0 }),
            (
                "no error anywhere, nothing acknowledged lost",
                { s, c in c.simulation.cluster.producerErrors.isEmpty && s.acknowledgedRecordsLost == 0 }
            ),
        ],
        [
            ("acks=1", { _, c in c.simulation.orderProducer.config.acks == .leader }),
            ("broker 1 back", { _, c in liveness(c, 1).serves }),
        ],
        [
            ("broker 2 fenced", { _, c in liveness(c, 2) == .fenced }),
            ("acknowledged events lost", { s, _ in s.acknowledgedRecordsLost > 0 }),
        ],
        [("acks=all", { _, c in c.simulation.orderProducer.config.acks == .all })],
        [
            ("broker 3 fenced", { _, c in liveness(c, 3) == .fenced }),
            (
                "sends failed with NetworkException",
                { _, c in (c.simulation.cluster.producerErrors["NetworkException"] ?? 0) > 0 }
            ),
            (
                "nothing more lost",
                { s, _ in s.invariants[.ordersWithoutEvent] == 19 && s.acknowledgedRecordsLost == 13 }
            ),
        ],
        [
            (
                "the orders without an event are the first two rounds'",
                { _, c in c.simulation.sweeps.last?[.ordersWithoutEvent].count == 19 }
            ),
            ("only the acks=1 round's were acknowledged", { s, _ in s.acknowledgedRecordsLost == 13 }),
        ],
    ]
}

/// `at-most-once`'s narrated claims: a commit before processing, a death mid-batch.
extension NarrationClaimsTests {
    static let atMostOnceClaims: [[Claim]] = [
        [("commits before processing", { _, c in c.simulation.config.commit == .beforeProcessing })],
        [
            ("the provider is ten times slower", { s, _ in s.providerSlowdown == 10 }),
            ("lag 0", { s, _ in lag(s, .payment) == 0 }),
            ("the orders wait", { s, _ in count(s, .pendingPayment) > 6 }),
        ],
        [
            ("instance 2 is dead", { s, _ in instances(s, .payment).last?.state == .killed }),
            ("Stable, lag 0", { s, _ in group(s, .payment)?.state == .stable && lag(s, .payment) == 0 }),
            ("orders nobody will charge", { s, _ in count(s, .pendingPayment) == 4 }),
        ],
        [
            ("the sweep: stuckPending", { s, _ in s.invariants[.stuckPending] == 4 }),
            ("nothing read twice", { s, _ in s.redeliveries == 0 && s.invariants[.doubleCharges] == 0 }),
        ],
    ]

    /// Records an order.created dead-letter partition holds, over all three.
    static func deadLetterRecords(_ c: DashboardController) -> Int64 {
        let cluster = c.simulation.cluster
        return cluster.partitions(of: Topic.deadLetter(of: Topic.orderCreated)).map { cluster.logEndOffset($0) }
            .reduce(0, +)
    }
    static func paymentFailures(_ s: Snapshot) -> Int {
        s.instances.filter { $0.service == .payment }.map(\.failures).max() ?? 0
    }

    static let deadLetterClaims: [[Claim]] = [
        [
            (
                "dead-letter topics, 9 retries 1s apart, a 500.00 limit",
                { _, c in
                    let config = c.simulation.config
                    return config.deadLetter && config.retries == 9 && config.retryBackoff == .seconds(1)
                        && c.simulation.provider.limitCents == 50_000
                }
            )
        ],
        [
            ("the 750.00 order failed five times so far", { s, _ in paymentFailures(s) == 5 }),
            ("nothing dead-lettered yet", { _, c in deadLetterRecords(c) == 0 }),
            ("its partition waits, lag 1", { s, _ in s.groups.first { $0.group == "payment-service" }?.totalLag == 1 }),
        ],
        [
            ("one record in order.created.DLT", { _, c in deadLetterRecords(c) == 1 }),
            ("no retry going on", { s, _ in paymentFailures(s) == 0 }),
            ("one order waits, dead-lettered", { s, _ in s.deadLetter?.ordersWaiting == 1 }),
            ("it is PENDING_PAYMENT", { s, _ in s.orderCounts[.pendingPayment] == 1 }),
        ],
        [
            ("the poison record went straight to the DLT", { _, c in deadLetterRecords(c) == 2 }),
            ("payment-service sent 2", { s, _ in s.deadLetter?.sent[.payment] == 2 }),
        ],
        [
            (
                "the sweep lists one order as dead-lettered",
                { _, c in c.simulation.sweeps.last?[.deadLettered].count == 1 }
            ),
            (
                "and nothing else",
                { _, c in c.simulation.sweeps.last?.classes.filter { !$0.orders.isEmpty }.count == 1 }
            ),
        ],
        [("the provider's limit is 1,000.00", { _, c in c.simulation.provider.limitCents == 100_000 })],
        [
            ("two records redriven", { s, _ in s.deadLetter?.redriven == 2 }),
            (
                "payment-service has them to read",
                { s, _ in s.groups.first { $0.group == "payment-service" }?.totalLag == 2 }
            ),
        ],
        [
            ("nothing pending", { s, _ in s.orderCounts[.pendingPayment] == 0 && s.deadLetter?.ordersWaiting == 0 }),
            (
                "the poison record is back in the DLT",
                { s, c in deadLetterRecords(c) == 3 && s.deadLetter?.sent[.payment] == 3 }
            ),
            ("no order charged twice", { s, _ in s.invariants[.doubleCharges] == 0 }),
        ],
    ]
}
