/// What a group coordinator asks of a group, whichever protocol it runs: the classic one
/// (`ClassicGroup`) or the consumer protocol of KIP-848 (`ConsumerGroup`). Kafka 4's
/// coordinator has the same two kinds (`ClassicGroup`, `ConsumerGroup`) behind one interface.
///
/// What both share — committed offsets, fetch positions, who may fetch what, the pause ledger —
/// is one `GroupOffsets`; the fetch and commit half is written once (`Group+Fetch.swift`).
protocol Group: AnyObject {
    var id: String { get }
    var config: GroupConfig { get }
    var offsets: GroupOffsets { get }
    var state: GroupState { get }
    /// The classic generation, or the consumer protocol's group epoch.
    var generation: Int { get }
    /// Topics any member ever subscribed to: their partitions stay in `describe` when the group empties.
    var knownTopics: [String] { get }

    func join(member: MemberIdentity, topics: [String], cluster: Cluster, now: VirtualTime)
    /// A graceful close, or the poll interval running out. A static member sends no LeaveGroup:
    /// it is away until its session runs out.
    func leave(memberId: String, cluster: Cluster, now: VirtualTime)
    func kill(memberId: String, cluster: Cluster, now: VirtualTime)
    /// The protocol's half of a poll (a rejoin, a revocation, its acknowledgement); whether the
    /// poll may fetch.
    func beginPoll(memberId: String, cluster: Cluster, now: VirtualTime) -> Bool
    /// Whether the member's next poll does the protocol's work (auto-commit commits before it).
    func mustRejoin(memberId: String) -> Bool
    func isAlive(_ memberId: String) -> Bool
    /// Whether the member's next poll would do nothing for the protocol (the idle-poll shortcut).
    func idlePollIsInert(_ memberId: String) -> Bool
    /// The partitions the member may read now: what it owns less what it is giving up.
    func fetchablePartitions(of memberId: String) -> [TopicPartition]
    func advance(to now: VirtualTime, cluster: Cluster)
    func nextDeadline() -> VirtualTime?
    func formAtOnce(cluster: Cluster, at time: VirtualTime)
    /// Whether each partition of `knownTopics` is being read, and if not, why.
    func partitionStatuses(cluster: Cluster) -> [TopicPartition: PartitionStatus]
    /// `--describe --members`, in the coordinator's order, and who owns what in the offsets view.
    func describeMembers() -> [GroupDescription.Member]
    /// The partitions describe shows as owned by each member (none while a classic group rebalances).
    func describedAssignment() -> [(member: MemberIdentity, partitions: [TopicPartition])]
    var assignmentStrategy: String? { get }
}

/// A group's offsets and fetch state, the same under both protocols.
final class GroupOffsets {
    var committed: [TopicPartition: Int64] = [:]
    var redeliveries = 0
    /// Who may fetch and commit a partition now. Empty for a partition nobody holds.
    var owner: [TopicPartition: String] = [:]
    var position: [TopicPartition: Int64] = [:]
    /// The highest offset handed out per partition, to recognise redeliveries.
    var highestDelivered: [TopicPartition: Int64] = [:]
    var fetchCursor = 0
    /// Bumped whenever owners or positions change other than by a fetch: with the broker's
    /// append count it tells an idle poll that nothing could have become readable since the
    /// member's last empty poll, so it answers at once (the dashboard's idle consumers poll ten
    /// times a virtual second).
    var version = 0
    var emptyPollStamp: [String: (version: Int, appends: Int)] = [:]
    var pauses = PauseLedger()

    func ownedPartitions(of memberId: String, among assigned: [TopicPartition]) -> [TopicPartition] {
        assigned.filter { owner[$0] == memberId }
    }

    /// Ownership of `tp` ends: its position goes with it (a new owner starts from the commit).
    func release(_ tp: TopicPartition) {
        owner[tp] = nil
        position[tp] = nil
    }
}

extension Group {
    /// Records each partition's status after a change: the pause ledger's only input.
    func notePauses(cluster: Cluster, at time: VirtualTime) {
        offsets.pauses.record(partitionStatuses(cluster: cluster), at: time)
    }

    /// Runs, in time order, what `next` says is due by `now`, then records the pauses. Each due
    /// item changes the group so that it is not due again; should one come back unchanged, the
    /// loop stops rather than spin (and `nextDeadline` stays in the past, which the
    /// coordinator-progress test catches).
    func runDue<Due: Equatable>(
        until now: VirtualTime, cluster: Cluster, next: () -> (time: VirtualTime, what: Due)?,
        run: (VirtualTime, Due) -> Void
    ) {
        var last: (time: VirtualTime, what: Due)?
        while let (time, what) = next(), time <= now {
            if let last, last.time == time, last.what == what { return }
            last = (time, what)
            run(time, what)
            notePauses(cluster: cluster, at: time)
        }
    }

    func allPartitions(cluster: Cluster) -> [TopicPartition] {
        knownTopics.flatMap { topic in (0..<cluster.partitionCount(of: topic)).map { TopicPartition(topic, $0) } }
    }
}
