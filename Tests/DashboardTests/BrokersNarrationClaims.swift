import Bus
import Events
import Services
import Simulation
import Testing

@testable import Dashboard

/// The brokers lessons' narrated claims (`acks-all-min-isr`, `unclean-election`,
/// `acks-1-failover`), checked by `NarrationClaimsTests` like every other scenario's.
extension NarrationClaimsTests {
    static let brokersClaims: [String: [[Claim]]] = [
        "acks-all-min-isr": [
            [
                (
                    "acks=all, min.insync.replicas 2, three brokers",
                    { _, c in
                        c.simulation.orderProducer.config.acks == .all
                            && c.simulation.cluster.config.minInsyncReplicas == 2
                            && c.simulation.cluster.config.brokers == 3
                    }
                )
            ],
            [
                ("broker 3 crashed, not fenced", { _, c in unfenced(c, 3) }),
                ("still in every ISR", { _, c in isrSizes(c) == [3] }),
                ("still leads partition 2", { _, c in c.simulation.cluster.replicaState(p2)?.leader == 3 }),
            ],
            [
                ("the five orders wait", { s, _ in count(s, .pendingPayment) == 5 }),
                ("broker 3 is dead, not fenced", { _, c in unfenced(c, 3) }),
                ("the send waiting for a leader has no event", { s, _ in s.invariants[.ordersWithoutEvent] == 1 }),
            ],
            [
                ("broker 3 fenced", { _, c in c.simulation.cluster.brokerStates[2].liveness == .fenced }),
                ("two replicas in sync everywhere", { _, c in isrSizes(c) == [2] }),
                ("broker 1 leads partition 2", { _, c in c.simulation.cluster.replicaState(p2)?.leader == 1 }),
                (
                    "the ten orders are settled",
                    { s, _ in count(s, .pendingPayment) == 0 && s.orderCounts.values.reduce(0, +) == 10 }
                ),
                (
                    "under-replicated",
                    { _, c in c.simulation.cluster.clusterMetrics.underReplicatedPartitions == 9 }
                ),
            ],
            [
                ("broker 2 crashed, not fenced", { _, c in unfenced(c, 2) }),
                ("still counted in sync", { _, c in isrSizes(c) == [2] }),
            ],
            [
                ("one replica in sync", { _, c in isrSizes(c) == [1] }),
                (
                    "below min.insync.replicas",
                    { _, c in c.simulation.cluster.clusterMetrics.underMinIsrPartitionCount == 9 }
                ),
                ("sends refused with NotEnoughReplicas", { _, c in notEnoughReplicas(c) > 0 }),
                ("broker 2 is ELR", { _, c in Set(allPartitions(c).map { elr(c, $0) }) == [[2]] }),
            ],
            [
                (
                    "sends refused with NotEnoughReplicas and retried",
                    { _, c in notEnoughReplicas(c) > 0 && c.simulation.orderProducer.stats.retries > 0 }
                ),
                (
                    "the outbox is on, nothing pending yet",
                    { s, _ in s.settings.publish == .outbox && s.outbox.pending == 0 }
                ),
                ("ordersWithoutEvent counts the five", { s, _ in s.invariants[.ordersWithoutEvent] == 5 }),
            ],
            [
                (
                    "best-effort gave up on five events",
                    { _, c in c.simulation.orderService.eventsLostToProducerErrors == 5 }
                ),
                ("the outbox rows wait", { _, c in c.simulation.relay.pending == 5 }),
            ],
            [
                ("broker 2 is back", { _, c in c.simulation.cluster.brokerStates[1].liveness.serves }),
                ("out of the ELR", { _, c in Set(allPartitions(c).map { elr(c, $0) }) == [[]] }),
                ("two in sync again", { _, c in isrSizes(c) == [2] }),
                ("the relay's rows went out", { _, c in c.simulation.relay.pending == 0 }),
            ],
            [
                ("five orders without an event", { _, c in c.simulation.sweeps.last?[.ordersWithoutEvent].count == 5 }),
                ("nothing acknowledged lost", { s, _ in s.acknowledgedRecordsLost == 0 }),
                ("only the best-effort orders wait", { s, _ in count(s, .pendingPayment) == 5 }),
            ],
        ],
        "retry-duplicates": retryDuplicatesClaims,
        "fire-and-forget": fireAndForgetClaims,
        "unclean-election": [
            [
                (
                    "min.insync.replicas 1, unclean election off, the outbox",
                    { s, c in
                        c.simulation.cluster.config.minInsyncReplicas == 1
                            && !c.simulation.cluster.config.uncleanLeaderElection && s.settings.publish == .outbox
                    }
                )
            ],
            [
                ("payment-service is stopped", { s, _ in allStopped(s, .payment) }),
                (
                    "three orders went through",
                    { s, _ in count(s, .pendingPayment) == 0 && s.orderCounts.values.reduce(0, +) == 3 }
                ),
            ],
            [
                (
                    "brokers 2 and 3 stalled, still up",
                    { s, _ in s.brokers.map(\.stalled) == [false, true, true] && s.brokers.allSatisfy(\.up) }
                ),
                ("broker 1 leads partition 0", { _, c in c.simulation.cluster.replicaState(p0)?.leader == 1 }),
            ],
            [
                (
                    "the sends wait, the rows unmarked",
                    { _, c in c.simulation.relay.pending == 8 && c.simulation.orderProducer.inFlight == 8 }
                )
            ],
            [
                ("partition 0's ISR is broker 1 alone", { _, c in c.simulation.cluster.replicaState(p0)?.isr == [1] }),
                ("acknowledged and marked", { _, c in c.simulation.relay.pending == 0 }),
            ],
            [
                ("broker 1 crashed, not fenced", { _, c in unfenced(c, 1) }),
                ("still partition 0's leader", { _, c in c.simulation.cluster.replicaState(p0)?.leader == 1 }),
                ("the others go on", { _, c in c.simulation.cluster.clusterMetrics.offlinePartitionsCount == 0 }),
            ],
            [
                ("broker 1 fenced", { _, c in c.simulation.cluster.brokerStates[0].liveness == .fenced }),
                ("partition 0 offline", { _, c in c.simulation.cluster.replicaState(p0)?.isOffline == true }),
                (
                    "its ISR empty, broker 1 ELR",
                    { _, c in c.simulation.cluster.replicaState(p0)?.isr == [] && elr(c, p0) == [1] }
                ),
                ("the others carry on", { _, c in c.simulation.cluster.clusterMetrics.offlinePartitionsCount < 9 }),
                ("nothing lost yet", { s, _ in s.acknowledgedRecordsLost == 0 }),
            ],
            [
                ("unclean election on", { _, c in c.simulation.cluster.config.uncleanLeaderElection }),
                ("not elected at once", { _, c in c.simulation.cluster.replicaState(p0)?.isOffline == true }),
                ("nothing lost yet", { s, _ in s.acknowledgedRecordsLost == 0 }),
            ],
            [
                ("broker 2 leads partition 0", { _, c in c.simulation.cluster.replicaState(p0)?.leader == 2 }),
                ("acknowledged events gone: three", { s, _ in s.acknowledgedRecordsLost == 3 }),
                (
                    "broker 1's disk still holds them",
                    { _, c in
                        let r = c.simulation.cluster.replicaState(p0)
                        return (r?.endOffsets[1] ?? 0) > (r?.endOffsets[2] ?? 0)
                    }
                ),
            ],
            [
                ("broker 1 is back", { s, _ in s.brokers[0].up }),
                ("as a follower", { _, c in c.simulation.cluster.replicaState(p0)?.leader == 2 }),
                (
                    "truncated to broker 2's log",
                    { _, c in
                        let r = c.simulation.cluster.replicaState(p0)
                        return (r?.endOffsets[1] ?? 0) <= (r?.endOffsets[2] ?? 0)
                    }
                ),
            ],
            [
                (
                    "the sweep's orders without an event are the lost ones",
                    { s, c in
                        let lost = Set(
                            c.simulation.cluster.lostRecords.filter { $0.topicPartition.topic == Topic.orderCreated }
                                .map(\.key))
                        return !lost.isEmpty && Set(c.simulation.sweeps.last?[.ordersWithoutEvent] ?? []) == lost
                            && count(s, .pendingPayment) == lost.count
                    }
                ),
                ("although every row says published", { _, c in c.simulation.relay.pending == 0 }),
            ],
        ],
        "acks-1-failover": [
            [
                (
                    "three brokers, every partition on all three",
                    { _, c in
                        c.simulation.cluster.config.brokers == 3 && c.simulation.cluster.config.replicationFactor == 3
                    }
                )
            ],
            [
                (
                    "the high watermark reached the end of every log",
                    { _, c in
                        let b = c.simulation.cluster
                        return b.topics.flatMap { b.partitions(of: $0.name) }.allSatisfy {
                            b.highWatermark($0) == b.logEndOffset($0)
                        }
                            && b.logEndOffset(TopicPartition(Topic.orderCreated, 0)) > 0
                    }
                )
            ],
            [
                ("broker 1 crashed, not fenced", { _, c in unfenced(c, 1) }),
                ("nothing lost yet", { _, c in c.simulation.cluster.lostRecords.isEmpty }),
            ],
            [
                ("broker 1 still leads partition 0", { _, c in c.simulation.cluster.replicaState(p0)?.leader == 1 }),
                ("still in every ISR", { _, c in isrSizes(c) == [3] }),
                ("nothing new is paid", { s, _ in count(s, .pendingPayment) == 30 }),
            ],
            [
                ("broker 1 fenced", { _, c in c.simulation.cluster.brokerStates[0].liveness == .fenced }),
                ("records only it had are lost", { _, c in !c.simulation.cluster.lostRecords.isEmpty }),
                (
                    "broker 2 leads partition 0",
                    { _, c in c.simulation.cluster.replicaState(TopicPartition(Topic.orderCreated, 0))?.leader == 2 }
                ),
                (
                    "broker 1 left every ISR",
                    { _, c in
                        let b = c.simulation.cluster
                        return b.topics.flatMap { b.partitions(of: $0.name) }.allSatisfy {
                            b.replicaState($0)?.isr.contains(1) == false
                        }
                    }
                ),
                (
                    "those orders wait in PENDING_PAYMENT",
                    { s, c in
                        count(s, .pendingPayment)
                            >= c.simulation.cluster.lostRecords.filter { $0.topicPartition.topic == Topic.orderCreated }
                            .count
                    }
                ),
            ],
            [
                ("broker 1 is back", { _, c in c.simulation.cluster.brokerStates.first?.liveness.serves == true }),
                (
                    "as a follower",
                    { _, c in c.simulation.cluster.replicaState(TopicPartition(Topic.orderCreated, 0))?.leader == 2 }
                ),
            ],
            [
                (
                    "the sweep's orders without an event are the lost records' orders",
                    { _, c in
                        let lost = Set(
                            c.simulation.cluster.lostRecords.filter { $0.topicPartition.topic == Topic.orderCreated }
                                .map(\.key))
                        return !lost.isEmpty && Set(c.simulation.sweeps.last?[.ordersWithoutEvent] ?? []) == lost
                    }
                )
            ],
        ],
    ]

    static let p2 = TopicPartition(Topic.orderCreated, 2)

    /// The broker's process died and the controller has not fenced it yet.
    static func unfenced(_ c: DashboardController, _ id: Int) -> Bool {
        if case .unresponsive = c.simulation.cluster.brokerStates[id - 1].liveness { return true }
        return false
    }

    static func elr(_ c: DashboardController, _ tp: TopicPartition) -> [Int] {
        c.simulation.cluster.replicaState(tp)?.elr ?? []
    }

    static func notEnoughReplicas(_ c: DashboardController) -> Int {
        c.simulation.cluster.producerErrors["NotEnoughReplicas", default: 0]
    }
}
