/// Brokers dying, stopping, stalling and returning, as KRaft's controller sees them: a crashed
/// broker is fenced only when its session times out; a stopped one hands its leaderships over
/// first (controlled shutdown); one that returns registers and follows its leaders again.
extension Cluster {
    /// Every broker's id and state.
    package var brokerStates: [(id: Int, liveness: BrokerLiveness)] {
        (1...config.brokers).map { ($0, clusterState?.liveness(of: $0) ?? .running) }
    }

    /// The broker's process dies (a crash, `kill -9`). Requests in flight to it fail with
    /// NetworkException; the controller still counts it alive, leader and in-sync, until its
    /// session times out (`brokerSessionTimeout`) and it is fenced. False when it was not running.
    @discardableResult
    package func killBroker(_ id: Int, now: VirtualTime) -> Bool {
        guard let state = clusterState, state.serves(id) else { return false }
        advance(to: now)
        clusterState?.liveness[id - 1] = .unresponsive(fencedAt: now + config.brokerSessionTimeout)
        clusterState?.crashed.insert(id)
        for tp in allPartitions where replicaState(tp)?.leader == id {
            failWaiting(tp, with: .networkException(tp), now: now)
        }
        if config.brokerSessionTimeout == .zero { fence(id, now: now) }
        return true
    }

    /// A controlled shutdown (`controlled.shutdown.enable`, Kafka's default): the controller moves
    /// the broker's leaderships to other in-sync replicas and takes it out of every ISR, then it
    /// stops, fenced at once. False when it was not running.
    @discardableResult
    package func stopBroker(_ id: Int, now: VirtualTime) -> Bool {
        guard let state = clusterState, state.serves(id) else { return false }
        advance(to: now)
        fence(id, now: now)
        return true
    }

    /// The broker's process starts again. A fenced broker registers at once (after a crash, an
    /// unclean shutdown: with ELR it leaves every ISR and ELR, as it may have lost what it never
    /// flushed); one whose old session has not expired registers when the controller fences it.
    /// Its replicas then follow their leaders, after truncating to them. False when it runs.
    @discardableResult
    package func restartBroker(_ id: Int, now: VirtualTime) -> Bool {
        guard let liveness = clusterState?.liveness(of: id) else { return false }
        switch liveness {
        case .running, .restarting: return false
        case .unresponsive(let fencedAt):
            advance(to: now)
            clusterState?.liveness[id - 1] = .restarting(registersAt: fencedAt)
        case .fenced:
            advance(to: now)
            register(id, now: now)
        }
        return true
    }

    /// Stops (`false`) or resumes (`true`) a running broker's replica fetcher. Stopped, its
    /// follower replicas fall behind and leave the ISR after `replicaLagTime` (Kafka's
    /// `Partition.maybeShrinkIsr`); resumed, they catch up and rejoin. False when nothing changed.
    @discardableResult
    package func setFetching(_ id: Int, _ on: Bool, now: VirtualTime) -> Bool {
        guard let state = clusterState, state.serves(id), state.stalled.contains(id) == on else { return false }
        advance(to: now)
        if on { clusterState?.stalled.remove(id) } else { clusterState?.stalled.insert(id) }
        guard on else { return true }
        for tp in allPartitions {
            clusterState?.partitions[tp.topic]?[tp.partition].follow(
                id, now: now, interval: config.replicaFetchInterval)
        }
        return true
    }

    /// Brokers that run with their replica fetcher stopped.
    package var stalledBrokers: Set<Int> { clusterState?.stalled ?? [] }

    /// `unclean.leader.election.enable` changed at run time, as a dynamic topic config. Turned on,
    /// the offline partitions get a leader at the controller's next periodic check
    /// (`uncleanElectionInterval`), not at once: KRaft elects unclean leaders for partitions that
    /// were already offline only then. False when nothing changed.
    @discardableResult
    package func setUncleanLeaderElection(_ on: Bool, now: VirtualTime) -> Bool {
        guard clusterState != nil, config.uncleanLeaderElection != on else { return false }
        advance(to: now)
        config.uncleanLeaderElection = on
        scheduleUncleanCheck(after: now)
        return true
    }

    /// The next periodic unclean election check, while the setting is on and a partition is
    /// offline. The controller's periodic task runs on a fixed period from its start (time 0).
    func scheduleUncleanCheck(after now: VirtualTime) {
        let offline = allPartitions.contains { replicaState($0)?.isOffline == true }
        guard config.uncleanLeaderElection, offline else {
            clusterState?.uncleanCheckAt = nil
            return
        }
        let period = config.uncleanElectionInterval.milliseconds
        clusterState?.uncleanCheckAt = VirtualTime(milliseconds: (now.milliseconds / period + 1) * period)
    }

    /// The controller's work for brokers due at `now`: fencing those whose session expired, and
    /// registering those that restarted meanwhile; then the periodic unclean check.
    func runController(at now: VirtualTime) {
        for id in 1...config.brokers {
            guard let due = clusterState?.liveness(of: id)?.controllerDeadline, due <= now else { continue }
            let restarted = if case .restarting = clusterState?.liveness(of: id) { true } else { false }
            fence(id, now: now)
            if restarted { register(id, now: now) }
        }
        if let check = clusterState?.uncleanCheckAt, check <= now {
            electLeaders(now: now)
            scheduleUncleanCheck(after: now)
        }
    }

    /// The broker is fenced: it leaves every ISR (into the ELR where the ISR falls below the min
    /// ISR) and the partitions it led get new leaders (`ReplicationControlManager.handleBrokerFenced`).
    private func fence(_ id: Int, now: VirtualTime) {
        clusterState?.liveness[id - 1] = .fenced
        for tp in allPartitions { removeFromIsr(id, tp) }
        electLeaders(now: now)
    }

    /// The broker registers and is unfenced; after a crash, with ELR, it first leaves every ISR
    /// and ELR (`handleBrokerUncleanShutdown`). Its partitions without a leader may elect it.
    private func register(_ id: Int, now: VirtualTime) {
        if clusterState?.crashed.remove(id) != nil && config.eligibleLeaderReplicas {
            for tp in allPartitions { removeFromIsr(id, tp, uncleanShutdown: true) }
        }
        clusterState?.liveness[id - 1] = .running
        // A restarted broker's replica fetcher is a new one: whatever stalled the old one is gone.
        clusterState?.stalled.remove(id)
        electLeaders(now: now)
    }

    /// The controller takes `id` out of the ISR of `tp`; records the rest of the ISR had become
    /// readable at once.
    private func removeFromIsr(_ id: Int, _ tp: TopicPartition, uncleanShutdown: Bool = false) {
        guard let before = replicaState(tp)?.highWatermark else { return }
        clusterState?.partitions[tp.topic]?[tp.partition].removeFromIsr(id, uncleanShutdown: uncleanShutdown)
        if let after = replicaState(tp)?.highWatermark, after != before { highWatermarkMoved(tp, to: after) }
    }

    /// Every partition of every topic, in topic order.
    var allPartitions: [TopicPartition] { topics.flatMap { partitions(of: $0.name) } }
}
