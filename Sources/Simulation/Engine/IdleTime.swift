import Bus

/// Idle virtual time costs next to nothing.
///
/// An idle consumer polls every `pollInterval` and the sampler closes every virtual second: a
/// quiet virtual hour is 36,000 polls per instance and 3,600 invariant checks, all of which
/// change nothing but counters. When nothing else is due for a while — no traffic, no record in
/// hand, no group mid-rebalance, no broker or producer deadline — the clock jumps over them:
/// each idle poll and the sampler move to their last turn before the next thing that is due,
/// with exactly the counters those skipped turns would have left (polls, the fetch cursor,
/// auto-commit's time, the per-second windows). They then run as usual, so every job at an
/// instant runs in the order it would have without the jump, and the run's bytes do not change.
extension Simulation {
    /// Jumps over idle time when the job due next is the sampler and nothing but idle polls and
    /// samples comes before `limit` (the earliest producer or broker deadline, or just past the
    /// target). Returns whether it moved anything.
    func skipIdleTime(before limit: VirtualTime) -> Bool {
        guard case .sample? = scheduler.nextJob, let start = scheduler.nextTime else { return false }
        let sampleEvery = VirtualDuration.seconds(1)
        let (turns, busyAt) = idleTurns(quietAtLeastUntil: start + sampleEvery + sampleEvery)
        let end = min(limit, busyAt ?? limit)
        // Worth it only when at least two samples would be skipped.
        guard end > start + sampleEvery + sampleEvery, config.pollInterval.milliseconds > 0 else { return false }
        var moves: [(key: MoveKey, seq: UInt64, to: VirtualTime)] = []
        for turn in turns {
            // The turns at turn.time, turn.time + period, … before `end`: all but the last are skipped.
            let skipped = (end.milliseconds - 1 - turn.time.milliseconds) / turn.period.milliseconds
            guard skipped > 0 else { continue }
            let last = turn.time + VirtualDuration(milliseconds: (skipped - 1) * turn.period.milliseconds)
            if let i = turn.instance {
                skipPolls(i, count: Int(skipped), first: turn.time, last: last)
            } else {
                skipSamples(Int(skipped))
            }
            let to = last + turn.period
            // Without the jump, that turn would have been scheduled one period before it.
            moves.append((MoveKey(scheduledAt: to - turn.period, current: turn.time, seq: turn.seq), turn.seq, to))
        }
        guard !moves.isEmpty else { return false }
        moves.sort { $0.key < $1.key }
        scheduler.move(moves.map { ($0.seq, $0.to) })
        return true
    }

    /// When something other than an idle poll, a sample or a deadline of the broker or the
    /// producers is next due (nil: never, as things stand). Until then nothing changes but the
    /// counters the idle turns keep (`isDrained`, lag, the databases stay as they are).
    /// Asked often (every drain step): it stops looking at the first job due before `horizon`
    /// that is not idle, and then answers that job's time.
    package func quietUntil(atLeast horizon: VirtualTime) -> VirtualTime? {
        let deadline = nextClientDeadline()
        if let deadline, deadline < horizon { return deadline }
        let busyAt = idleTurns(quietAtLeastUntil: horizon).busyAt
        guard let deadline else { return busyAt }
        return min(busyAt ?? deadline, deadline)
    }

    /// The idle repeating jobs waiting in the scheduler, and the earliest time of any other job;
    /// a job that is not idle and due before `horizon` ends the search (nothing to jump then).
    private func idleTurns(quietAtLeastUntil horizon: VirtualTime) -> (turns: [Turn], busyAt: VirtualTime?) {
        var busyAt: VirtualTime?
        var turns: [Turn] = []
        scheduler.visitPending { time, seq, job in
            switch job {
            case .sample:
                turns.append(Turn(seq: seq, time: time, period: .seconds(1), instance: nil))
            case .poll(let i, let incarnation) where isParked(i, incarnation: incarnation):
                turns.append(Turn(seq: seq, time: time, period: config.pollInterval, instance: i))
            default:
                busyAt = min(busyAt ?? time, time)
                if time < horizon { return false }
            }
            return true
        }
        return (turns, busyAt)
    }

    /// One chain of a repeating idle job: the sampler, or an idle instance's poll.
    private struct Turn {
        var seq: UInt64
        var time: VirtualTime
        var period: VirtualDuration
        var instance: Int?
    }

    /// The order jobs moved to one instant would have had: scheduled earlier runs first; between
    /// two polls scheduled at the same instant, the one whose chain was further ahead (its turn
    /// was already waiting when the other's was scheduled), then the older entry.
    private struct MoveKey: Comparable {
        var scheduledAt: VirtualTime
        var current: VirtualTime
        var seq: UInt64
        static func < (a: MoveKey, b: MoveKey) -> Bool {
            (a.scheduledAt, b.current, a.seq) < (b.scheduledAt, a.current, b.seq)
        }
    }

    /// The instance's next poll would answer empty at once and change nothing but counters.
    private func isParked(_ i: Int, incarnation: Int) -> Bool {
        guard instances.indices.contains(i) else { return false }
        let instance = instances[i]
        guard instance.incarnation == incarnation, instance.isRunning, instance.inFlight == nil,
            !instance.stopRequested, instance.consumer.idlePollWouldBeEmpty
        else { return false }
        // Auto-commit runs inside poll: skipped polls may only commit what is committed already.
        return instance.consumer.positionsCommitted
    }

    /// What `count` empty polls at `first`, `first + pollInterval`, … `last` would have left.
    private func skipPolls(_ i: Int, count: Int, first: VirtualTime, last: VirtualTime) {
        let instance = instances[i]
        var autoCommit = instance.consumer.lastAutoCommit
        if config.commit == .auto {
            // Auto-commit fires at the first poll at least `autoCommitInterval` after the last.
            let period = config.pollInterval.milliseconds
            let interval = config.autoCommitInterval.milliseconds
            func firstTurn(atOrAfter t: Int64) -> Int64 {
                let k = max(0, t - first.milliseconds + period - 1) / period
                return first.milliseconds + k * period
            }
            var turn = firstTurn(atOrAfter: autoCommit.milliseconds + interval)
            while turn <= last.milliseconds {
                autoCommit = VirtualTime(milliseconds: turn)
                turn = firstTurn(atOrAfter: max(turn + 1, turn + interval))
            }
        }
        instance.consumer.skippedIdlePolls(count, last: last, autoCommit: autoCommit)
    }

    /// What `count` quiet samples would have left: the per-second windows (60 wide) filled with
    /// the same values, the ring turned as far. The invariant check waits for the next real
    /// sample: it reads what changed since the last one, and nothing did.
    private func skipSamples(_ count: Int) {
        let window = 60
        let runs = count < 2 * window ? count : window + count % window
        for _ in 0..<runs { sampler.sample(coordinator) }
    }
}
