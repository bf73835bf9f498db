/// A group's state, by the names Kafka's coordinator and `kafka-consumer-groups.sh --describe
/// --state` use: the classic protocol's (Empty, PreparingRebalance, CompletingRebalance, Stable)
/// and the consumer protocol's (Empty, Assigning, Reconciling, Stable).
///
/// Kafka has one more, `Dead`, for a group removed after its offsets expire
/// (`offsets.retention.minutes`, 7 days); orderflow never expires offsets, so no group dies.
package enum GroupState: String, Sendable, Codable, CaseIterable {
    /// No members; committed offsets are kept.
    case empty = "Empty"
    /// Classic: a join round; the coordinator waits for every member to rejoin (or for the rebalance timeout).
    case preparingRebalance = "PreparingRebalance"
    /// Classic: every member joined; the leader's assignment is awaited (SyncGroup).
    case completingRebalance = "CompletingRebalance"
    /// Consumer protocol: the group epoch moved and the target assignment is not computed yet.
    /// Kafka computes it in the heartbeat that moved the epoch, and so does orderflow: the state
    /// exists in describe's vocabulary, and a class never sees it last long.
    case assigning = "Assigning"
    /// Consumer protocol: a member's assignment differs from its target; members converge one
    /// heartbeat at a time, each keeping what it keeps.
    case reconciling = "Reconciling"
    case stable = "Stable"

    /// A rebalance under way, in either protocol: what `--describe` warns about.
    package var isRebalancing: Bool {
        switch self {
        case .preparingRebalance, .completingRebalance, .assigning, .reconciling: true
        case .empty, .stable: false
        }
    }
}

/// Kafka's `group.protocol`: the classic protocol (JoinGroup/SyncGroup rounds, client-side
/// assignors; still the client's default in 4.x) or the consumer protocol of KIP-848
/// (generally available since Kafka 4.0: heartbeats carry the assignment, the coordinator
/// computes it, members reconcile one by one).
package enum GroupProtocol: String, Sendable, CaseIterable {
    case classic, consumer
}

/// The consumer protocol's server-side assignors (the broker's `group.consumer.assignors`,
/// `uniform` first and so the default; a client picks one with `group.remote.assignor`).
package enum RemoteAssignorKind: String, Sendable, CaseIterable {
    case uniform, range
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
    /// `group.protocol`; the fields below it only matter under `.consumer`.
    package var groupProtocol: GroupProtocol
    /// `group.remote.assignor`: the coordinator's assignor under the consumer protocol.
    package var remoteAssignor: RemoteAssignorKind
    /// The broker's `group.consumer.heartbeat.interval.ms` (5 s): how often a member heartbeats,
    /// and so how soon it learns of a new target assignment.
    package var heartbeatInterval: VirtualDuration
    /// The broker's `group.consumer.session.timeout.ms` (45 s, and at least
    /// `group.consumer.min.session.timeout.ms`, 45 s): how long a silent member keeps its partitions.
    package var consumerSessionTimeout: VirtualDuration

    package init(
        sessionTimeout: VirtualDuration = .seconds(10), rebalanceTime: VirtualDuration = .seconds(1),
        rebalanceTimeout: VirtualDuration = .minutes(5), assignor: AssignorKind = .range,
        autoOffsetReset: OffsetReset = .latest, groupProtocol: GroupProtocol = .classic,
        remoteAssignor: RemoteAssignorKind = .uniform, heartbeatInterval: VirtualDuration = .seconds(5),
        consumerSessionTimeout: VirtualDuration = .seconds(45)
    ) {
        self.sessionTimeout = sessionTimeout
        self.rebalanceTime = rebalanceTime
        self.rebalanceTimeout = rebalanceTimeout
        self.assignor = assignor
        self.autoOffsetReset = autoOffsetReset
        self.groupProtocol = groupProtocol
        self.remoteAssignor = remoteAssignor
        self.heartbeatInterval = heartbeatInterval
        self.consumerSessionTimeout = consumerSessionTimeout
    }
}

/// How a member introduces itself: Kafka's consumer id, client id and host, and its
/// `group.instance.id` when it is a static member (KIP-345).
package struct MemberIdentity: Hashable, Sendable {
    package var memberId: String
    package var clientId: String
    package var host: String
    package var groupInstanceId: String?

    package init(memberId: String, clientId: String, host: String = "/127.0.0.1", groupInstanceId: String? = nil) {
        self.memberId = memberId
        self.clientId = clientId
        self.host = host
        self.groupInstanceId = groupInstanceId
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
