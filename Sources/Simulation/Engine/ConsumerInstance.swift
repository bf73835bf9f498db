import Bus
import Events

/// What a service instance is doing, as the Services pane shows it.
public enum InstanceState: Equatable, Sendable {
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
    private(set) var inFlight: Record?
    /// When the record in flight was taken: the start of its processing.
    private(set) var polledAt = VirtualTime.zero
    /// A graceful stop waits for the record in hand.
    private(set) var stopRequested = false
    var processed = 0
    var redeliveries = 0
    var poisonRecords = 0
    /// Auto-commit mode: the positions processed but not committed yet.
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

    /// A new life under a new member id: nothing in flight, nothing uncommitted.
    func started(memberId: String, now: VirtualTime) {
        incarnation += 1
        self.memberId = memberId
        state = .running
        stopRequested = false
        inFlight = nil
        uncommitted = [:]
        lastAutoCommit = now
    }

    /// Asked to stop while a record is in hand: it stops after finishing that record.
    func requestStop() { stopRequested = true }

    /// Left the group; jobs of this life are void.
    func stopped() {
        state = .stopped
        stopRequested = false
        incarnation += 1
    }

    /// Died: what it held in memory (the record in hand, uncommitted positions) is gone.
    func died(restartAt: VirtualTime?) {
        incarnation += 1
        inFlight = nil
        stopRequested = false
        uncommitted = [:]
        state = restartAt.map { .crashed(restartAt: $0) } ?? .killed
    }

    func took(_ record: Record, at now: VirtualTime) {
        inFlight = record
        polledAt = now
    }

    /// The record in hand, handed back for processing; nothing is in flight after this.
    func finishing() -> Record? {
        defer { inFlight = nil }
        return inFlight
    }

    /// Auto-commit mode: remembers the position to commit at the next auto-commit.
    func processedUncommitted(_ tp: TopicPartition, next: Int64) { uncommitted[tp] = next }

    /// The positions to commit now, in partition order; they count as committed from here on.
    func takeUncommitted(now: VirtualTime) -> [(TopicPartition, Int64)] {
        defer {
            uncommitted = [:]
            lastAutoCommit = now
        }
        return uncommitted.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
