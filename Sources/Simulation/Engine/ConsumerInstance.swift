import Bus
import Events

/// What a service instance is doing, as the Services pane shows it.
package enum InstanceState: Equatable, Sendable {
    case running
    /// Left the group gracefully (a deploy); starts again on request.
    case stopped
    /// Died without a word; its partitions stay assigned until the session timeout.
    case killed
    /// Died with its service and comes back by itself at `restartAt`.
    case crashed(restartAt: VirtualTime)
}

/// One consumer of a service: a group member with a poll loop. It is the simulation's
/// stand-in for a Kafka client plus a listener container, and it owns its life: each start,
/// stop and death resets exactly what a real client would lose.
final class ConsumerInstance {
    let service: ServiceName
    /// 1-based, as the client id shows it.
    let number: Int
    private(set) var memberId = ""
    private(set) var state: InstanceState = .stopped
    /// Bumped on every death and restart, so jobs scheduled for an earlier life are ignored.
    private(set) var incarnation = 0
    /// What the last poll returned and is not finished yet, in order; the first is in hand.
    private(set) var batch: ArraySlice<Record> = []
    /// When the record in hand was taken: the start of its processing.
    private(set) var recordStartedAt = VirtualTime.zero
    /// When the consumer last called poll: `max.poll.interval.ms` counts from here.
    private(set) var lastPollAt = VirtualTime.zero
    /// Counts polls, so a poll-interval check scheduled for one poll ignores later ones.
    private(set) var polls = 0
    /// Its heartbeat thread sent LeaveGroup after the poll interval ran out; the next poll rejoins.
    private(set) var leftGroup = false
    /// A graceful stop waits for the batch in hand.
    private(set) var stopRequested = false
    var processed = 0
    var redeliveries = 0
    var poisonRecords = 0
    /// Times it was taken out of its group for not polling within `max.poll.interval.ms`.
    var pollIntervalExceeded = 0
    /// Commits refused because the partition had moved (Kafka's CommitFailedException).
    var commitFailures = 0
    /// Batch commit: the positions processed in this batch, committed when it ends.
    private(set) var uncommitted: [TopicPartition: Int64] = [:]
    private(set) var lastAutoCommit = VirtualTime.zero

    init(service: ServiceName, number: Int) {
        self.service = service
        self.number = number
    }

    var clientId: String { "\(service.rawValue)-\(number)" }
    var group: String { service.rawValue }
    var identity: MemberIdentity { MemberIdentity(memberId: memberId, clientId: clientId) }
    var isRunning: Bool { state == .running }
    /// Stopped or killed by hand: only a start brings it back.
    var isDown: Bool { state == .stopped || state == .killed }
    var inFlight: Record? { batch.first }

    /// A new life under a new member id: nothing in hand, nothing uncommitted.
    func started(memberId: String, now: VirtualTime) {
        incarnation += 1
        self.memberId = memberId
        state = .running
        stopRequested = false
        leftGroup = false
        batch = []
        uncommitted = [:]
        lastAutoCommit = now
        lastPollAt = now
    }

    /// Back in the group under a new member id after the poll interval ran out, as the Java
    /// client rejoins with a fresh id after its LeaveGroup.
    func rejoined(memberId: String) {
        self.memberId = memberId
        leftGroup = false
    }

    func left() {
        leftGroup = true
        pollIntervalExceeded += 1
    }

    /// Asked to stop while a batch is in hand: it stops after finishing the batch.
    func requestStop() { stopRequested = true }

    /// Left the group; jobs of this life are void.
    func stopped() {
        state = .stopped
        stopRequested = false
        batch = []
        incarnation += 1
    }

    /// Died: what it held in memory (the batch in hand, uncommitted positions) is gone.
    func died(restartAt: VirtualTime?) {
        incarnation += 1
        batch = []
        stopRequested = false
        uncommitted = [:]
        state = restartAt.map { .crashed(restartAt: $0) } ?? .killed
    }

    func polled(at now: VirtualTime) {
        polls += 1
        lastPollAt = now
    }

    /// `count` empty polls skipped over idle time, the last at `last`; auto-commit last ran at `autoCommit`.
    func skippedIdlePolls(_ count: Int, last: VirtualTime, autoCommit: VirtualTime) {
        polls += count
        lastPollAt = last
        lastAutoCommit = autoCommit
    }

    /// How many records the batch in hand started with.
    private(set) var batchSize = 0

    func took(_ records: [Record], at now: VirtualTime) {
        batch = records[...]
        batchSize = records.count
        recordStartedAt = now
    }

    /// The record in hand is done (or given up on); the next one, if any, starts now.
    func finishedRecord(at now: VirtualTime) {
        batch = batch.dropFirst()
        recordStartedAt = now
    }

    /// Processing failed: the rest of the batch (the failed record first) is dropped. Returns,
    /// per partition, the first offset it held: where each must be sought back to be read again.
    func abandonBatch() -> [(TopicPartition, Int64)] {
        var first: [TopicPartition: Int64] = [:]
        for record in batch where first[record.topicPartition] == nil {
            first[record.topicPartition] = record.offset
        }
        batch = []
        return first.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Batch commit: remembers the position to commit when the batch ends.
    func processedUncommitted(_ tp: TopicPartition, next: Int64) { uncommitted[tp] = next }

    /// The positions to commit now, in partition order; they count as committed from here on.
    func takeUncommitted() -> [(TopicPartition, Int64)] {
        defer { uncommitted = [:] }
        return uncommitted.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    func autoCommitted(at now: VirtualTime) { lastAutoCommit = now }
}
