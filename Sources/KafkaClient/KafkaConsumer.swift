import Bus

/// A service instance's Kafka consumer, the client side of a group: it joins, polls (with
/// auto-commit's timing), commits, seeks, closes, and leaves on its own when
/// `max.poll.interval.ms` runs out. The group's side — membership, rebalances, committed
/// offsets — is the broker's `GroupCoordinator`; this class is what `KafkaConsumer` does in
/// the Java client between the listener and the coordinator.
///
/// One object per instance for the whole run: each start is a new client life (`subscribe`),
/// under a new member id, as a restarted process gets one.
package final class KafkaConsumer {
    /// `enable.auto.commit` and `auto.commit.interval.ms`; nil when the listener commits.
    package struct AutoCommit: Sendable {
        package var interval: VirtualDuration
        package init(interval: VirtualDuration) { self.interval = interval }
    }

    package let groupId: String
    package let clientId: String
    package let topics: [String]
    /// `group.instance.id`: a static member (KIP-345) when set.
    package var groupInstanceId: String?
    private let coordinator: GroupCoordinator
    private let autoCommit: AutoCommit?
    package private(set) var memberId = ""
    /// Its heartbeat thread sent LeaveGroup after the poll interval ran out; the next poll rejoins.
    package private(set) var leftGroup = false
    /// When the consumer last called poll: `max.poll.interval.ms` counts from here.
    package private(set) var lastPollAt = VirtualTime.zero
    /// Counts polls, so a poll-interval check scheduled for one poll ignores later ones.
    package private(set) var polls = 0
    package private(set) var lastAutoCommit = VirtualTime.zero
    /// Times it was taken out of its group for not polling within `max.poll.interval.ms`.
    package private(set) var pollIntervalExceeded = 0
    /// Commits refused because the partition had moved (Kafka's CommitFailedException).
    package private(set) var commitFailures = 0

    package init(
        groupId: String, clientId: String, topics: [String], coordinator: GroupCoordinator, autoCommit: AutoCommit?
    ) {
        self.groupId = groupId
        self.clientId = clientId
        self.topics = topics
        self.coordinator = coordinator
        self.autoCommit = autoCommit
    }

    package var identity: MemberIdentity {
        MemberIdentity(memberId: memberId, clientId: clientId, groupInstanceId: groupInstanceId)
    }

    /// A new life: joins the group under `memberId`.
    package func subscribe(memberId: String, now: VirtualTime) {
        self.memberId = memberId
        leftGroup = false
        lastAutoCommit = now
        lastPollAt = now
        coordinator.join(group: groupId, member: identity, topics: topics, now: now)
    }

    /// One poll: after its own LeaveGroup the client joins again under `newMemberId()` (the Java
    /// client forgets its id with its LeaveGroup); auto-commit commits every interval inside
    /// poll, and before rejoining a rebalance (`ConsumerCoordinator.onJoinPrepare`).
    package func poll(maxRecords: Int, now: VirtualTime, newMemberId: () -> String) -> PollResult {
        if leftGroup {
            memberId = newMemberId()
            leftGroup = false
            coordinator.join(group: groupId, member: identity, topics: topics, now: now)
        }
        if let autoCommit {
            let due = now - lastAutoCommit >= autoCommit.interval
            if due || coordinator.mustRejoin(group: groupId, memberId: memberId, now: now) {
                coordinator.commitPositions(group: groupId, memberId: memberId, now: now)
                if due { lastAutoCommit = now }
            }
        }
        let result = coordinator.poll(group: groupId, memberId: memberId, maxRecords: maxRecords, now: now)
        polls += 1
        lastPollAt = now
        return result
    }

    /// Commits `offset` (the next to read) for `tp`. Throws, and counts, when the partition moved
    /// in a rebalance (CommitFailedException): its new owner re-reads from the last commit.
    package func commit(_ tp: TopicPartition, _ offset: Int64, now: VirtualTime) throws(CommitError) {
        do {
            try coordinator.commit(group: groupId, memberId: memberId, tp, offset: offset, now: now)
        } catch {
            commitFailures += 1
            throw error
        }
    }

    /// Moves the fetch position back, so a record whose processing failed is read again.
    package func seek(_ tp: TopicPartition, to offset: Int64) {
        coordinator.seek(group: groupId, memberId: memberId, tp, to: offset)
    }

    /// `KafkaConsumer.close`: auto-commit commits every assigned partition's position, then
    /// LeaveGroup (unless the heartbeat thread already left). A static member sends none: the
    /// coordinator keeps its partitions for it until its session runs out.
    package func close(now: VirtualTime) {
        guard !leftGroup else { return }
        if autoCommit != nil { coordinator.commitPositions(group: groupId, memberId: memberId, now: now) }
        coordinator.leave(group: groupId, memberId: memberId, now: now)
    }

    /// The process died: no LeaveGroup, its session runs out at the coordinator.
    package func died(now: VirtualTime) {
        coordinator.kill(group: groupId, memberId: memberId, now: now)
    }

    /// `max.poll.interval.ms` ran out: the heartbeat thread sends LeaveGroup.
    package func pollIntervalExpired(now: VirtualTime) {
        coordinator.leave(group: groupId, memberId: memberId, now: now)
        leftGroup = true
        pollIntervalExceeded += 1
    }

    /// The partitions it may read now; none while out of the group.
    package var assignment: [TopicPartition] {
        leftGroup ? [] : coordinator.assignment(group: groupId, memberId: memberId)
    }

    // MARK: Idle time (see the simulation's `IdleTime.swift`)

    /// Whether the next poll would answer empty at once and change nothing but the fetch cursor.
    package var idlePollWouldBeEmpty: Bool {
        !leftGroup && coordinator.idlePollWouldBeEmpty(group: groupId, memberId: memberId)
    }

    /// Whether auto-commit would commit nothing new (always so without auto-commit).
    package var positionsCommitted: Bool {
        autoCommit == nil || coordinator.positionsCommitted(group: groupId, memberId: memberId)
    }

    /// `count` empty polls answered at once, the last at `last`; auto-commit last ran at `autoCommit`.
    package func skippedIdlePolls(_ count: Int, last: VirtualTime, autoCommit: VirtualTime) {
        coordinator.answerIdlePolls(group: groupId, memberId: memberId, count: count)
        polls += count
        lastPollAt = last
        lastAutoCommit = autoCommit
    }
}
