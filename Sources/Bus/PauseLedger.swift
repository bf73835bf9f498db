/// Whether a partition is being read by its group, and if not, why: what a rebalance costs,
/// partition by partition.
package enum PartitionStatus: String, Sendable, Codable, CaseIterable {
    /// Its owner may fetch it.
    case consuming
    /// Held by a rebalance: an eager round (every partition), a revocation not yet done, or a
    /// partition waiting for the round (or heartbeat) that hands it to its new owner.
    case rebalancing
    /// Assigned to a member that is not there: one that died and whose session has not run out,
    /// or a static member restarting. No rebalance, and no reading either.
    case ownerAway
    /// No member could read it: the group is empty, or has fewer members than it needs.
    case unassigned

    /// Every status but `consuming` is a pause.
    package var isPaused: Bool { self != .consuming }
}

/// A group's partition-time spent paused, by cause, and its rebalances: what a rolling deploy
/// or a storm cost, summed over partitions (three partitions paused for 2 s are 6 s).
package struct PauseTotals: Sendable, Equatable {
    package var rebalancing = VirtualDuration.zero
    package var ownerAway = VirtualDuration.zero
    package var unassigned = VirtualDuration.zero
    /// Rebalances completed after the group first formed: classic generations, or consumer
    /// protocol group epochs.
    package var rebalances = 0

    package init() {}

    package var paused: VirtualDuration { rebalancing + ownerAway + unassigned }

    /// What was added between `earlier` and `self`.
    package func since(_ earlier: PauseTotals) -> PauseTotals {
        var d = PauseTotals()
        d.rebalancing = .milliseconds(rebalancing.milliseconds - earlier.rebalancing.milliseconds)
        d.ownerAway = .milliseconds(ownerAway.milliseconds - earlier.ownerAway.milliseconds)
        d.unassigned = .milliseconds(unassigned.milliseconds - earlier.unassigned.milliseconds)
        d.rebalances = rebalances - earlier.rebalances
        return d
    }

    mutating func add(_ d: VirtualDuration, to status: PartitionStatus) {
        switch status {
        case .consuming: break
        case .rebalancing: rebalancing = rebalancing + d
        case .ownerAway: ownerAway = ownerAway + d
        case .unassigned: unassigned = unassigned + d
        }
    }
}

/// Each partition's status since when, and the pauses closed so far. A status only changes
/// when the group does (a join, a leave, a death, a poll, a heartbeat, something due on the
/// clock), so recording after each change measures exactly, however the clock is advanced.
struct PauseLedger {
    private(set) var current: [TopicPartition: (status: PartitionStatus, since: VirtualTime)] = [:]
    private var closed = PauseTotals()

    mutating func record(_ statuses: [TopicPartition: PartitionStatus], at time: VirtualTime) {
        for (tp, status) in statuses where current[tp]?.status != status {
            if let (old, since) = current[tp] { closed.add(time - since, to: old) }
            current[tp] = (status, time)
        }
    }

    mutating func countRebalance() { closed.rebalances += 1 }

    /// The totals with every open pause counted up to `now`.
    func totals(at now: VirtualTime) -> PauseTotals {
        var t = closed
        for (status, since) in current.values where now > since { t.add(now - since, to: status) }
        return t
    }
}
