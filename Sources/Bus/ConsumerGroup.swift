public enum GroupState: String, Sendable, Codable {
    case empty = "Empty"
    case rebalancing = "Rebalancing"
    case stable = "Stable"
}

public enum OffsetReset: String, Sendable, CaseIterable {
    case earliest, latest
}

public struct GroupConfig: Sendable, Equatable {
    /// How long a silent member keeps its partitions. Kafka's default is 45 s; orderflow's
    /// config defaults to 10 s so a class does not wait.
    public var sessionTimeout: VirtualDuration
    /// How long the JoinGroup/SyncGroup round takes once every live member has rejoined.
    public var rebalanceTime: VirtualDuration
    public var assignor: AssignorKind
    public var autoOffsetReset: OffsetReset

    public init(
        sessionTimeout: VirtualDuration = .seconds(10), rebalanceTime: VirtualDuration = .seconds(1),
        assignor: AssignorKind = .range, autoOffsetReset: OffsetReset = .earliest
    ) {
        self.sessionTimeout = sessionTimeout
        self.rebalanceTime = rebalanceTime
        self.assignor = assignor
        self.autoOffsetReset = autoOffsetReset
    }
}

/// How a member introduces itself: Kafka's consumer id, client id and host.
public struct MemberIdentity: Hashable, Sendable {
    public var memberId: String
    public var clientId: String
    public var host: String

    public init(memberId: String, clientId: String, host: String = "/127.0.0.1") {
        self.memberId = memberId
        self.clientId = clientId
        self.host = host
    }
}

public struct PollResult: Sendable {
    public var records: [Record]
    /// Records in this batch that the group had already handed out before: at-least-once at work.
    public var redelivered: Int

    public static let empty = PollResult(records: [], redelivered: 0)
}

public enum CommitError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The member does not own the partition any more (or is dead): Kafka's CommitFailedException.
    case notOwner(memberId: String, partition: TopicPartition)

    public var description: String {
        switch self {
        case .notOwner(let member, let tp): "commit failed: \(member) no longer owns \(tp)"
        }
    }
}

/// One consumer group under the classic protocol: members, generation, assignment, committed
/// offsets and the fetch position of each partition's current owner.
final class ConsumerGroup {
    struct Member {
        var identity: MemberIdentity
        var topics: [String]
        var killedAt: VirtualTime?
        /// Whether the member has polled since the current rebalance began (sent its JoinGroup).
        var rejoined: Bool
        var alive: Bool { killedAt == nil }
    }

    let id: String
    let config: GroupConfig
    private(set) var members: [String: Member] = [:]
    private(set) var generation = 0
    private(set) var state: GroupState = .empty
    private(set) var assignment: [String: [TopicPartition]] = [:]
    private(set) var committed: [TopicPartition: Int64] = [:]
    private(set) var redeliveries = 0
    /// Topics any member ever subscribed to: their partitions stay in `describe` when the group empties.
    private(set) var knownTopics: [String] = []
    private var owner: [TopicPartition: String] = [:]
    private var position: [TopicPartition: Int64] = [:]
    /// The highest offset handed out per partition, to recognise redeliveries.
    private var highestDelivered: [TopicPartition: Int64] = [:]
    private var rebalanceStartedAt: VirtualTime?
    /// Cooperative protocol: partitions taken from their owner in this round, handed out in the next.
    private var revokedThisRound: Set<TopicPartition> = []
    private var fetchCursor = 0

    init(id: String, config: GroupConfig) {
        self.id = id
        self.config = config
    }

    func ownerIdentity(of tp: TopicPartition) -> MemberIdentity? {
        owner[tp].flatMap { members[$0]?.identity }
    }

    // MARK: Membership

    func join(member: MemberIdentity, topics: [String], broker: Broker, now: VirtualTime) {
        members[member.memberId] = Member(identity: member, topics: topics, killedAt: nil, rejoined: false)
        for topic in topics where !knownTopics.contains(topic) { knownTopics.append(topic) }
        startRebalance(at: now)
        // The JoinGroup that started this round counts as the newcomer's rejoin.
        members[member.memberId]!.rejoined = true
        completeRebalanceIfReady(now: now, broker: broker)
    }

    func leave(memberId: String, broker: Broker, now: VirtualTime) {
        guard members.removeValue(forKey: memberId) != nil else { return }
        release(memberId)
        startRebalance(at: now)
        completeRebalanceIfReady(now: now, broker: broker)
    }

    func kill(memberId: String, now: VirtualTime) {
        guard members[memberId]?.alive == true else { return }
        members[memberId]!.killedAt = now
    }

    private func release(_ memberId: String) {
        for tp in assignment[memberId] ?? [] where owner[tp] == memberId {
            owner[tp] = nil
            position[tp] = nil
        }
        assignment[memberId] = nil
    }

    // MARK: Rebalancing

    private var isEager: Bool { config.assignor != .cooperativeSticky }

    private func startRebalance(at time: VirtualTime) {
        if members.isEmpty {
            state = .empty
            assignment = [:]
            owner = [:]
            position = [:]
            rebalanceStartedAt = nil
            return
        }
        state = .rebalancing
        rebalanceStartedAt = time
        for id in members.keys { members[id]!.rejoined = false }
        if isEager {
            // Eager protocol: every member gives up every partition until the new assignment is synced.
            position = [:]
        }
    }

    func advance(to now: VirtualTime, broker: Broker) {
        // Called on every poll: with nobody dead and no round open there is nothing to do.
        guard state == .rebalancing || hasDeadMembers else { return }
        // Evict, in the order their sessions ran out, members that stopped heartbeating.
        let expired = members.values
            .compactMap { m in m.killedAt.map { (time: $0 + config.sessionTimeout, id: m.identity.memberId) } }
            .filter { $0.time <= now }
            .sorted { ($0.time, $0.id) < ($1.time, $1.id) }
        for eviction in expired {
            members[eviction.id] = nil
            release(eviction.id)
            startRebalance(at: eviction.time)
        }
        completeRebalanceIfReady(now: now, broker: broker)
    }

    func nextDeadline() -> VirtualTime? {
        guard state == .rebalancing || hasDeadMembers else { return nil }
        var deadlines = members.values.compactMap { $0.killedAt.map { $0 + config.sessionTimeout } }
        if state == .rebalancing, let start = rebalanceStartedAt, allLiveMembersRejoined, !hasDeadMembers {
            deadlines.append(start + config.rebalanceTime)
        }
        return deadlines.min()
    }

    private var allLiveMembersRejoined: Bool { members.values.allSatisfy { !$0.alive || $0.rejoined } }
    /// A dead member never sends JoinGroup: the round waits for its eviction, as Kafka's does.
    private var hasDeadMembers: Bool { members.values.contains { !$0.alive } }

    private func completeRebalanceIfReady(now: VirtualTime, broker: Broker) {
        guard state == .rebalancing, let start = rebalanceStartedAt,
            now >= start + config.rebalanceTime, allLiveMembersRejoined, !hasDeadMembers
        else { return }
        let subscriptions = members.values.map { AssignorInput.Member(id: $0.identity.memberId, topics: $0.topics) }
        let partitionsByTopic = Dictionary(
            uniqueKeysWithValues: knownTopics.map { ($0, broker.partitionCount(of: $0)) })
        let input = AssignorInput(members: subscriptions, partitionsByTopic: partitionsByTopic, previous: assignment)
        var target = config.assignor.assign(input)
        generation += 1

        if !isEager {
            // Cooperative: a partition still owned by someone else is first revoked, and only
            // handed to its new owner in a follow-up round.
            var revoked: Set<TopicPartition> = []
            for (memberId, partitions) in target {
                let keep = partitions.filter { tp in owner[tp] == nil || owner[tp] == memberId }
                revoked.formUnion(partitions.filter { tp in owner[tp] != nil && owner[tp] != memberId })
                target[memberId] = keep
            }
            install(target)
            revokedThisRound = revoked
            if !revoked.isEmpty {
                startRebalance(at: now)
                state = .rebalancing
                return
            }
        } else {
            install(target)
        }
        state = .stable
        rebalanceStartedAt = nil
    }

    private func install(_ target: [String: [TopicPartition]]) {
        let previousOwner = owner
        assignment = target
        owner = [:]
        for (memberId, partitions) in target {
            for tp in partitions { owner[tp] = memberId }
        }
        for tp in previousOwner.keys where owner[tp] != previousOwner[tp] { position[tp] = nil }
        for tp in position.keys where owner[tp] == nil { position[tp] = nil }
    }

    // MARK: Fetching and committing

    func poll(memberId: String, maxRecords: Int, broker: Broker, now: VirtualTime) -> PollResult {
        guard let member = members[memberId], member.alive else { return .empty }
        if state == .rebalancing {
            // A poll during a rebalance is the member's JoinGroup; the round may complete with it.
            members[memberId]!.rejoined = true
            completeRebalanceIfReady(now: now, broker: broker)
            if isEager { return .empty }
        }
        let owned = (assignment[memberId] ?? []).filter { owner[$0] == memberId && !revokedThisRound.contains($0) }
        guard !owned.isEmpty else { return .empty }

        var records: [Record] = []
        var redelivered = 0
        // Start at a rotating partition so one busy partition cannot starve the others.
        fetchCursor &+= 1
        for i in 0..<owned.count where records.count < maxRecords {
            let tp = owned[(fetchCursor + i) % owned.count]
            let start = resolvedPosition(tp, broker: broker)
            let batch = broker.records(tp, from: start, limit: maxRecords - records.count)
            guard let last = batch.last else { continue }
            let highest = highestDelivered[tp] ?? -1
            redelivered += batch.lazy.filter { $0.offset <= highest }.count
            highestDelivered[tp] = max(highest, last.offset)
            position[tp] = last.offset + 1
            records.append(contentsOf: batch)
        }
        redeliveries += redelivered
        return PollResult(records: records, redelivered: redelivered)
    }

    /// Where the owner reads next: its position, else the committed offset, else
    /// `auto.offset.reset`; an offset that retention has dropped also resets.
    private func resolvedPosition(_ tp: TopicPartition, broker: Broker) -> Int64 {
        let logStart = broker.logStartOffset(tp)
        let logEnd = broker.logEndOffset(tp)
        if let p = position[tp] ?? committed[tp], p >= logStart, p <= logEnd { return p }
        let reset = config.autoOffsetReset == .earliest ? logStart : logEnd
        position[tp] = reset
        return reset
    }

    func commit(memberId: String, _ tp: TopicPartition, offset: Int64) throws(CommitError) {
        guard members[memberId]?.alive == true, owner[tp] == memberId else {
            throw .notOwner(memberId: memberId, partition: tp)
        }
        committed[tp] = offset
    }

    func seek(memberId: String, _ tp: TopicPartition, to offset: Int64) {
        guard owner[tp] == memberId else { return }
        position[tp] = offset
    }
}
