import Bus
import Testing

/// The group coordinator always makes progress: whatever members join, rejoin, leave, die or
/// overrun their polls, advancing the clock to a time leaves no deadline at or before it (a
/// deadline that neither fires nor moves is a coordinator that spins or stalls forever).
@Suite struct GroupProgressTests {
    /// SplitMix64: the bus tests depend on Bus alone.
    struct Dice {
        var state: UInt64
        mutating func next(_ range: ClosedRange<Int>) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return range.lowerBound + Int(z % UInt64(range.count))
        }
    }

    /// The reported hang: a member rejoins, then dies while the round still waits for another;
    /// the rebalance timeout falls due first and used to drop nobody and fire again forever.
    @Test func aMemberDeadAfterRejoiningDoesNotHoldTheRoundForever() {
        let cluster = GroupCoordinator(
            cluster: Cluster(topics: [TopicConfig(name: "t", partitions: 3)], retention: 100))
        cluster.ensureGroup(
            "g",
            config: GroupConfig(sessionTimeout: .seconds(10), rebalanceTime: .seconds(1), rebalanceTimeout: .seconds(3))
        )
        cluster.join(group: "g", member: cluster.member("a"), topics: ["t"], now: ms(0))
        cluster.join(group: "g", member: cluster.member("b"), topics: ["t"], now: ms(0))
        cluster.formGroup("g")
        cluster.join(group: "g", member: cluster.member("c"), topics: ["t"], now: ms(1_000))
        _ = cluster.poll(group: "g", memberId: "a", maxRecords: 10, now: ms(1_100))  // a rejoins
        cluster.kill(group: "g", memberId: "a", now: ms(1_200))  // and dies; b never polls
        cluster.advance(to: ms(5_000))  // the rebalance timeout (4 s) drops b; a counts as joined
        #expect(cluster.nextDeadline().map { $0 > ms(5_000) } ?? true)
        #expect(cluster.state(ofGroup: "g") != .preparingRebalance)
        cluster.advance(to: ms(12_000))  // a's session (11.2 s) ends: a new round
        _ = cluster.poll(group: "g", memberId: "c", maxRecords: 10, now: ms(12_000))  // c rejoins, alone
        cluster.advance(to: ms(20_000))
        #expect(cluster.nextDeadline().map { $0 > ms(20_000) } ?? true)
        #expect(cluster.state(ofGroup: "g") == .stable)
        #expect(cluster.assignment(group: "g", memberId: "c").count == 3)
    }

    @Test(arguments: [AssignorKind.range, .cooperativeSticky])
    func everyDeadlineFiresOrMovesUnderRandomKillsRejoinsAndOverruns(assignor: AssignorKind) {
        var states: Set<String> = []
        for seed in UInt64(0)..<300 {
            var dice = Dice(state: seed)
            let cluster = GroupCoordinator(
                cluster: Cluster(topics: [TopicConfig(name: "t", partitions: 4)], retention: 100))
            let config = GroupConfig(
                sessionTimeout: .milliseconds(Int64(dice.next(500...10_000))),
                rebalanceTime: .milliseconds(Int64(dice.next(0...2_000))),
                rebalanceTimeout: .milliseconds(Int64(dice.next(500...12_000))), assignor: assignor)
            cluster.ensureGroup("g", config: config)
            var now = ms(0)
            var alive: [String] = []
            var next = 0
            for step in 0..<120 {
                now = now + .milliseconds(Int64(dice.next(0...3_000)))
                var roll = dice.next(0...9)
                if alive.isEmpty && (2...7).contains(roll) { roll = 0 }
                switch roll {
                case 0, 1:
                    next += 1
                    alive.append("m\(next)")
                    cluster.join(group: "g", member: cluster.member("m\(next)"), topics: ["t"], now: now)
                case 2:
                    // A kill: no LeaveGroup, the coordinator waits for the session timeout.
                    cluster.kill(group: "g", memberId: alive.remove(at: dice.next(0...alive.count - 1)), now: now)
                case 3:
                    // A graceful close, or a poll-interval overrun: LeaveGroup.
                    cluster.leave(group: "g", memberId: alive.remove(at: dice.next(0...alive.count - 1)), now: now)
                case 4...7:
                    // A poll: the member's JoinGroup when a round waits for it.
                    _ = cluster.poll(
                        group: "g", memberId: alive[dice.next(0...alive.count - 1)], maxRecords: 5, now: now)
                default:
                    cluster.advance(to: now)
                }
                if step == 0 { cluster.formGroup("g") }
                cluster.advance(to: now)
                states.insert(cluster.state(ofGroup: "g").rawValue)
                if let deadline = cluster.nextDeadline() {
                    #expect(deadline > now, "seed \(seed), step \(step): a deadline at \(deadline) stays due at \(now)")
                    if deadline <= now { return }
                }
            }
            // With nobody left to wait for, every round ends.
            cluster.advance(to: now + .minutes(10))
            #expect(
                cluster.nextDeadline() == nil || alive.isEmpty == false, "seed \(seed): a deadline with nothing to do")
        }
        // The schedules reached every state of the classic protocol.
        #expect(states.isSuperset(of: ["Empty", "PreparingRebalance", "CompletingRebalance", "Stable"]), "\(states)")
    }
}
