/// A classic consumer group's state, by the names Kafka's coordinator and
/// `kafka-consumer-groups.sh --describe --state` use.
///
/// Kafka has a fifth state, `Dead`, for a group removed after its offsets expire
/// (`offsets.retention.minutes`, 7 days); orderflow never expires offsets, so no group dies.
package enum GroupState: String, Sendable, Codable, CaseIterable {
    /// No members; committed offsets are kept.
    case empty = "Empty"
    /// A join round: the coordinator waits for every member to rejoin (or for the rebalance timeout).
    case preparingRebalance = "PreparingRebalance"
    /// Every member joined; the leader's assignment is awaited (SyncGroup).
    case completingRebalance = "CompletingRebalance"
    case stable = "Stable"

    /// Either half of a rebalance: what `--describe` warns about.
    package var isRebalancing: Bool { self == .preparingRebalance || self == .completingRebalance }
}

package enum OffsetReset: String, Sendable, CaseIterable {
    case earliest, latest
}

package struct GroupConfig: Sendable, Equatable {
    /// How long a silent member keeps its partitions. Kafka's default is 45 s; orderflow's
    /// config defaults to 10 s so a class does not wait.
    package var sessionTimeout: VirtualDuration
    /// How long the leader's assignment takes (SyncGroup) once every live member has rejoined.
    package var rebalanceTime: VirtualDuration
    /// How long a join round waits for members to rejoin before it drops the ones that did not:
    /// Kafka's rebalance timeout, which the Java consumer sets to its `max.poll.interval.ms`.
    package var rebalanceTimeout: VirtualDuration
    package var assignor: AssignorKind
    /// Kafka's default is `latest`.
    package var autoOffsetReset: OffsetReset

    package init(
        sessionTimeout: VirtualDuration = .seconds(10), rebalanceTime: VirtualDuration = .seconds(1),
        rebalanceTimeout: VirtualDuration = .minutes(5), assignor: AssignorKind = .range,
        autoOffsetReset: OffsetReset = .latest
    ) {
        self.sessionTimeout = sessionTimeout
        self.rebalanceTime = rebalanceTime
        self.rebalanceTimeout = rebalanceTimeout
        self.assignor = assignor
        self.autoOffsetReset = autoOffsetReset
    }
}

/// How a member introduces itself: Kafka's consumer id, client id and host.
package struct MemberIdentity: Hashable, Sendable {
    package var memberId: String
    package var clientId: String
    package var host: String

    package init(memberId: String, clientId: String, host: String = "/127.0.0.1") {
        self.memberId = memberId
        self.clientId = clientId
        self.host = host
    }
}

package struct PollResult: Sendable {
    package var records: [Record]
    /// Records in this batch that the group had already handed out before: at-least-once at work.
    package var redelivered: Int

    package static let empty = PollResult(records: [], redelivered: 0)
}

package enum CommitError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The member does not own the partition any more (or is dead): Kafka's CommitFailedException.
    case notOwner(memberId: String, partition: TopicPartition)

    package var description: String {
        switch self {
        case .notOwner(let member, let tp): "commit failed: \(member) no longer owns \(tp)"
        }
    }
}
