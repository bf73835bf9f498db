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
/// stand-in for a Kafka client plus a listener container.
final class ConsumerInstance {
    let service: ServiceName
    /// 1-based, as the client id shows it.
    let index: Int
    var memberId: String
    var state: InstanceState = .stopped
    /// Bumped on every death and restart, so jobs scheduled for an earlier life are ignored.
    var incarnation = 0
    var inFlight: Record?
    /// When the record in flight was taken: the start of its processing.
    var polledAt = VirtualTime.zero
    /// A graceful stop waits for the record in hand.
    var stopRequested = false
    var processed = 0
    var redeliveries = 0
    var poisonRecords = 0
    /// Auto-commit mode: the positions processed but not committed yet.
    var uncommitted: [TopicPartition: Int64] = [:]
    var lastAutoCommit = VirtualTime.zero

    init(service: ServiceName, index: Int, memberId: String) {
        self.service = service
        self.index = index
        self.memberId = memberId
    }

    var clientId: String { "\(service.rawValue)-\(index)" }
    var group: String { service.rawValue }
    var identity: MemberIdentity { MemberIdentity(memberId: memberId, clientId: clientId) }
}
