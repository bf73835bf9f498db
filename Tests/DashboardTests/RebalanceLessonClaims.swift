import Bus
import Events
import Simulation
import Testing

@testable import Dashboard

/// The rebalance lessons' narrated claims: `rolling-deploy`'s four deploys, and the consumer
/// protocol's steps at the end of `poll-storm`.
extension NarrationClaimsTests {
    static func pauses(_ s: Snapshot, _ service: ServiceName) -> [PartitionStatus] {
        group(s, service)?.rowPauses.compactMap { $0?.status } ?? []
    }

    /// Deploy `n` (1-based) is measured: how it ran, its paused partition-seconds as the pane
    /// prints them, its rebalances, and nothing read twice.
    static func deployed(_ n: Int, _ how: String, _ seconds: String, _ rebalances: Int) -> Claim {
        (
            "deploy \(n), \(how): \(seconds) partition-s paused, \(rebalances) rebalances, nothing read twice",
            { s, _ in
                guard let deploys = group(s, .payment)?.deploys, deploys.count == n,
                    let pauses = deploys[n - 1].pauses
                else { return false }
                return deploys[n - 1].how == how && partitionSeconds(pauses.paused) == seconds
                    && pauses.rebalances == rebalances && deploys[n - 1].redeliveries == 0
            }
        )
    }

    static let rollingDeployClaims: [[Claim]] = [
        [
            (
                "three instances, one partition each, eager range",
                { s, c in
                    owners(s, .payment) == ["payment-service-1": 1, "payment-service-2": 1, "payment-service-3": 1]
                        && c.simulation.coordinator.config(ofGroup: "payment-service")?.assignor == .range
                }
            )
        ],
        [("deploy 1 under way, eager range", { s, _ in group(s, .payment)?.deploys.last?.how == "eager range" })],
        [deployed(1, "eager range", "20.8", 6)],
        [
            ("the group rebalances", { s, _ in group(s, .payment)?.state.isRebalancing == true }),
            (
                "with cooperative-sticky",
                { _, c in c.simulation.coordinator.config(ofGroup: "payment-service")?.assignor == .cooperativeSticky }
            ),
        ],
        [deployed(2, "cooperative-sticky", "6.8", 9)],
        [
            (
                "each instance's group.instance.id is its client id",
                { s, _ in
                    let members = group(s, .payment)?.members ?? []
                    return members.count == 3 && members.allSatisfy { $0.groupInstanceId == $0.clientId }
                }
            )
        ],
        [
            ("instance 1 is down", { s, _ in instances(s, .payment).first?.state == .stopped }),
            ("the group is still Stable", { s, _ in group(s, .payment)?.state == .stable }),
            ("one partition is 'away'", { s, _ in pauses(s, .payment) == [.ownerAway] }),
        ],
        [deployed(3, "static range", "9.0", 0)],
        [
            ("the instances are stopped", { s, _ in allStopped(s, .payment) }),
            ("every partition is 'away'", { s, _ in pauses(s, .payment) == [.ownerAway, .ownerAway, .ownerAway] }),
        ],
        [
            ("the group is Reconciling", { s, _ in group(s, .payment)?.state == .reconciling }),
            (
                "instance 1 is back and reads nothing yet; instance 2 reads two",
                { s, _ in
                    instances(s, .payment).first?.state == .running && owners(s, .payment)["payment-service-1"] == nil
                        && owners(s, .payment)["payment-service-2"] == 2
                }
            ),
            ("nobody paused", { s, _ in pauses(s, .payment).isEmpty }),
        ],
        [deployed(4, "consumer uniform", "14.0", 6)],
    ]

    /// `poll-storm`'s last steps, under the consumer protocol.
    static let pollStormConsumerClaims: [[Claim]] = [
        [
            (
                "the consumer protocol",
                { _, c in c.simulation.coordinator.config(ofGroup: "payment-service")?.groupProtocol == .consumer }
            ),
            ("Reconciling", { s, _ in group(s, .payment)?.state == .reconciling }),
            ("instance 1 reads all three", { s, _ in owners(s, .payment) == ["payment-service-1": 3] }),
        ],
        [
            ("60 orders wait", { s, _ in count(s, .pendingPayment) == 60 }),
            ("500 records a poll", { s, _ in s.maxPollRecords == 500 }),
            ("the provider is still ten times slower", { s, _ in s.providerSlowdown == 10 }),
        ],
        [
            (
                "instance 1 left: left 4× in all",
                { s, _ in
                    instances(s, .payment).first?.outOfGroup == true
                        && instances(s, .payment).map(\.pollIntervalExceeded).reduce(0, +) == 4
                }
            ),
            ("instance 2 took all three", { s, _ in owners(s, .payment) == ["payment-service-2": 3] }),
            ("dedup hits", { s, _ in (s.dedupHits[.payment] ?? 0) > 0 }),
        ],
    ]
}
