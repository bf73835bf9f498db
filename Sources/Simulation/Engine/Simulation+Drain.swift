import Bus
import Events

/// When a run is done: every consumer caught up, nothing in flight, no restart pending; and
/// running the clock until then, or until a deadline.
extension Simulation {
    /// Every consumer has caught up, nothing is in flight, and no restart is pending.
    package var isDrained: Bool {
        guard orderServiceDownUntil == nil, relay.pending == 0, !cluster.isReplicating,
            producers.allSatisfy({ $0.inFlight == 0 })
        else { return false }
        for instance in instances {
            if instance.inFlight != nil { return false }
            if case .crashed = instance.state { return false }
        }
        for service in ServiceName.allCases {
            if coordinator.state(ofGroup: service.rawValue).isRebalancing { return false }
            for row in coordinator.partitionLags(group: service.rawValue) where row.logEndOffset > 0 && row.lag != 0 {
                return false
            }
        }
        return true
    }

    /// Advances in small steps until drained, `deadline` or `stop()`; returns whether it drained.
    @discardableResult
    package func runUntilDrained(
        deadline: VirtualTime, step: VirtualDuration = .milliseconds(100), stop: () -> Bool = { false }
    ) -> Bool {
        let start = now
        while !isDrained {
            guard now < deadline, !stop() else { return false }
            var next = now + step
            // Nothing changes before the next job that is not idle: jump to the last step before
            // it (the same steps, so the run ends at the same instant).
            if skipsIdleTime, step.milliseconds > 0, let quiet = quietUntil(atLeast: next + step) ?? Optional(deadline),
                quiet > next
            {
                let steps = (quiet.milliseconds - 1 - start.milliseconds) / step.milliseconds
                next = max(next, start + VirtualDuration(milliseconds: steps * step.milliseconds))
            }
            advance(to: min(deadline, next))
        }
        return true
    }
}
