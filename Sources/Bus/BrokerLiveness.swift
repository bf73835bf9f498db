/// A broker as its own process and the KRaft controller know it. The two differ for a while
/// after a crash: the process is gone, but the controller fences the broker only when its
/// session times out (`broker.session.timeout.ms`), and until then counts it alive.
package enum BrokerLiveness: Hashable, Sendable {
    /// Running and unfenced: it serves its replicas.
    case running
    /// The process died; the controller fences it at `fencedAt` and until then it still leads
    /// its partitions and holds its place in every ISR (sends to it wait, `acks=all` waits for it).
    case unresponsive(fencedAt: VirtualTime)
    /// Restarted before its old session expired: the controller refuses the new registration
    /// (DuplicateBrokerRegistrationException) until it fences the old one at `registersAt`.
    case restarting(registersAt: VirtualTime)
    /// Fenced: out of every ISR, leads nothing, serves nothing.
    case fenced

    /// Serving its replicas: leading, fetching, taking writes.
    package var serves: Bool { self == .running }
    /// The controller counts it alive: it may be elected leader (`isAcceptableLeader`).
    package var isUnfenced: Bool { self != .fenced }
    /// Its process runs (serving or waiting to register).
    package var processRuns: Bool {
        switch self {
        case .running, .restarting: true
        case .unresponsive, .fenced: false
        }
    }

    /// When the controller acts next for this broker: fences it, or lets it register.
    var controllerDeadline: VirtualTime? {
        switch self {
        case .unresponsive(let at), .restarting(let at): at
        case .running, .fenced: nil
        }
    }

    /// Kafka's words for the state, as the report and the screens print them.
    package var name: String {
        switch self {
        case .running: "up"
        case .unresponsive: "unfenced"
        case .restarting: "registering"
        case .fenced: "fenced"
        }
    }
}
