import Bus
import Events
import Services
import Simulation
import Testing

@testable import Dashboard

/// `divergent-epochs`'s narrated claims: two unclean elections in a row, each broker's own log.
extension NarrationClaimsTests {
    /// Each broker's log end over `order.created`'s partitions, summed: how many events its disk holds.
    static func eventsOn(_ broker: Int, _ c: DashboardController) -> Int64 {
        let cluster = c.simulation.cluster
        return cluster.partitions(of: Topic.orderCreated).compactMap { cluster.replicaState($0)?.endOffsets[broker] }
            .reduce(0, +)
    }
    static func leaders(_ c: DashboardController) -> Set<Int?> {
        Set(allPartitions(c).map { c.simulation.cluster.replicaState($0)?.leader })
    }
    static func lostEvents(_ c: DashboardController) -> Int {
        c.simulation.cluster.lostRecords.filter { $0.topicPartition.topic == Topic.orderCreated }.count
    }
    static func up(_ c: DashboardController) -> [Bool] { c.simulation.cluster.brokerStates.map(\.liveness.serves) }

    static let divergentEpochsClaims: [[Claim]] = [
        [
            (
                "three brokers, acks=all, min.insync.replicas 1, unclean election on",
                { _, c in
                    let config = c.simulation.cluster.config
                    return config.brokers == 3 && config.minInsyncReplicas == 1 && config.uncleanLeaderElection
                        && c.simulation.orderProducer.config.acks == .all
                }
            ),
            ("payment-service paused", { s, _ in allStopped(s, .payment) }),
        ],
        [
            ("three orders on all three brokers", { _, c in (1...3).allSatisfy { eventsOn($0, c) == 3 } }),
            ("brokers 2 and 3 are stopped", { _, c in up(c) == [true, false, false] }),
            ("broker 1 leads every partition, alone in its ISR", { _, c in leaders(c) == [1] && isrSizes(c) == [1] }),
        ],
        [
            ("broker 1 crashed, not fenced", { _, c in unfenced(c, 1) }),
            ("still the leader", { _, c in leaders(c) == [1] }),
        ],
        [
            ("every partition offline", { _, c in up(c) == [false, false, false] && leaders(c) == [nil] }),
            ("broker 1 fenced", { _, c in c.simulation.cluster.brokerStates[0].liveness == .fenced }),
            ("its disk holds four events the others lack", { _, c in eventsOn(1, c) == 7 && eventsOn(2, c) == 3 }),
        ],
        [
            ("broker 2 leads every partition", { _, c in leaders(c) == [2] }),
            ("the four acknowledged events are lost", { _, c in lostEvents(c) == 4 }),
            ("broker 1 is down, its log untouched", { _, c in up(c)[0] == false && eventsOn(1, c) == 7 }),
        ],
        [
            (
                "broker 2 wrote three events at broker 1's offsets",
                { _, c in eventsOn(2, c) == 6 && eventsOn(1, c) == 7 }
            ),
            ("broker 2 is stopped: every partition offline", { _, c in up(c)[1] == false && leaders(c) == [nil] }),
        ],
        [
            ("broker 1 leads every partition", { _, c in leaders(c) == [1] }),
            ("the four events are back", { s, c in eventsOn(1, c) == 7 && s.orderCounts.values.reduce(0, +) == 10 }),
            ("broker 2's three are the acknowledged events lost now", { _, c in lostEvents(c) == 3 }),
        ],
        [
            (
                "brokers 2 and 3 are back, broker 1 still leads",
                { _, c in up(c) == [true, true, true] && leaders(c) == [1] }
            ),
            (
                "broker 2 truncated its own epoch's records and holds broker 1's log",
                { _, c in
                    let cluster = c.simulation.cluster
                    return cluster.partitions(of: Topic.orderCreated).allSatisfy { tp in
                        guard let r = cluster.replicaState(tp) else { return false }
                        return r.endOffsets[2] == r.endOffsets[1]
                    } && eventsOn(2, c) == 7 && lostEvents(c) == 3
                }
            ),
            ("both caught up: back in every ISR", { _, c in isrSizes(c) == [3] }),
        ],
        [
            ("payment-service is back", { s, _ in instances(s, .payment).allSatisfy { $0.state == .running } }),
            (
                "the sweep's orders without an event are broker 2's three",
                { _, c in
                    let lost = Set(
                        c.simulation.cluster.lostRecords.filter { $0.topicPartition.topic == Topic.orderCreated }.map(
                            \.key))
                    return lost.count == 3 && Set(c.simulation.sweeps.last?[.ordersWithoutEvent] ?? []) == lost
                }
            ),
        ],
    ]
}
