import Testing

@testable import Bus

/// Broker liveness as KRaft's controller runs it (issue 22, item 4 and 5): a crashed broker is
/// fenced only when its session times out, a controlled shutdown moves leadership first, a
/// restarted broker registers, and an unclean election turned on waits for the periodic check.
@Suite struct FencingTests {
    let tp = TopicPartition("t", 0)

    /// Three brokers, one partition on all three (leader 1), Kafka's 9 s session timeout.
    func cluster(minIsr: Int = 2, unclean: Bool = false, elr: Bool = true) -> Cluster {
        Cluster(
            topics: [TopicConfig(name: "t", partitions: 1)], retention: 1000,
            config: ClusterConfig(
                brokers: 3, replicationFactor: 3, minInsyncReplicas: minIsr, uncleanLeaderElection: unclean,
                replicaLagTime: .seconds(30), replicaFetchInterval: .milliseconds(100),
                brokerSessionTimeout: .seconds(9), uncleanElectionInterval: .seconds(10), eligibleLeaderReplicas: elr))
    }

    @discardableResult
    func produce(_ c: Cluster, _ id: String, acks: Acks, at t: Int64, answer: ProduceAnswer? = nil) throws
        -> ProduceOutcome
    {
        try c.produce(
            topic: "t", key: Array(id.utf8), value: [],
            headers: RecordHeaders(eventType: "E", eventId: id, correlationId: id), timestamp: ms(t), acks: acks,
            timeout: .seconds(30), answer: answer)
    }

    /// `broker.session.timeout.ms`: until the controller fences a crashed leader it stays leader
    /// and in the ISR; a send finds no leader that serves. At the timeout it is fenced, leaves the
    /// ISR, and the first in-sync replica leads in a new epoch.
    @Test func aCrashedLeaderLeadsUntilItsSessionTimesOut() throws {
        let c = cluster()
        c.killBroker(1, now: ms(1_000))
        #expect(c.brokerStates.map(\.liveness) == [.unresponsive(fencedAt: ms(10_000)), .running, .running])
        #expect(c.replicaState(tp)?.leader == 1 && c.replicaState(tp)?.isr == [1, 2, 3])
        #expect(throws: BrokerError.noLeader(tp)) { try produce(c, "e1", acks: .none, at: 5_000) }
        #expect(c.nextDeadline() == ms(10_000))
        c.advance(to: ms(10_000))
        #expect(c.brokerStates.first?.liveness == .fenced)
        #expect(c.replicaState(tp)?.leader == 2 && c.replicaState(tp)?.isr == [2, 3])
        #expect(c.replicaState(tp)?.leaderEpoch == 1)
        #expect(try produce(c, "e1", acks: .leader, at: 10_001).metadata.offset == 0)
    }

    /// A crashed follower holds its place in the ISR until fenced: acks=all and the high
    /// watermark wait for it, and move on the moment it is fenced.
    @Test func aCrashedFollowerHoldsAcksAllUntilFenced() throws {
        let c = cluster()
        c.killBroker(3, now: ms(0))
        var answers: [ProduceCompletion] = []
        guard case .pending = try produce(c, "e1", acks: .all, at: 1, answer: { done, _ in answers.append(done) })
        else {
            Issue.record("acks=all waits for broker 3, still in the ISR")
            return
        }
        c.advance(to: ms(8_999))
        #expect(answers.isEmpty && c.highWatermark(tp) == 0 && c.replicaState(tp)?.isr == [1, 2, 3])
        c.advance(to: ms(9_000))
        #expect(c.replicaState(tp)?.isr == [1, 2] && c.highWatermark(tp) == 1)
        #expect(answers.count == 1 && answers.first?.error == nil)
    }

    /// A leader's crash drops the connections of the requests waiting on it: NetworkException,
    /// at once, with the record in the dead leader's log.
    @Test func requestsInFlightToACrashedLeaderFailWithNetworkException() throws {
        let c = cluster()
        var answers: [ProduceCompletion] = []
        try produce(c, "e1", acks: .all, at: 0, answer: { done, _ in answers.append(done) })
        c.killBroker(1, now: ms(50))
        #expect(answers.map(\.error) == [.networkException(tp)])
        #expect(c.producerErrors == ["NetworkException": 1])
    }

    /// A controlled shutdown: the controller moves leadership to the next in-sync replica and
    /// takes the broker out of the ISR before it stops, so nothing waits for a dead broker.
    @Test func aControlledShutdownMovesLeadershipAtOnce() throws {
        let c = cluster()
        try produce(c, "e1", acks: .leader, at: 0)
        c.advance(to: ms(100))
        #expect(c.stopBroker(1, now: ms(200)))
        #expect(c.brokerStates.first?.liveness == .fenced)
        #expect(c.replicaState(tp)?.leader == 2 && c.replicaState(tp)?.isr == [2, 3])
        #expect(c.lostRecords.isEmpty && c.logEndOffset(tp) == 1)
        #expect(!c.stopBroker(1, now: ms(300)), "already stopped")
    }

    /// A broker restarted before its old session expired cannot register
    /// (DuplicateBrokerRegistrationException) until the controller fences the old one; then it
    /// registers and follows.
    @Test func aRestartBeforeTheSessionExpiresRegistersAtTheFencing() throws {
        let c = cluster()
        c.killBroker(3, now: ms(0))
        #expect(c.restartBroker(3, now: ms(2_000)))
        #expect(c.brokerStates.last?.liveness == .restarting(registersAt: ms(9_000)))
        #expect(!c.restartBroker(3, now: ms(2_500)), "already restarting")
        c.advance(to: ms(9_000))
        #expect(c.brokerStates.last?.liveness == .running)
        c.advance(to: ms(9_100))
        #expect(c.replicaState(tp)?.isr == [1, 2, 3])
    }

    /// KIP-966: replicas that leave the ISR below the min ISR become ELR; with the ISR empty, an
    /// unfenced ELR member is elected cleanly. A stopped broker shut down cleanly and keeps its
    /// ELR place; nothing acknowledged is lost.
    @Test func anEligibleLeaderReplicaLeadsCleanlyWhenTheIsrIsEmpty() throws {
        let c = cluster(minIsr: 2)
        try produce(c, "e1", acks: .all, at: 0)
        c.advance(to: ms(100))
        #expect(c.stopBroker(3, now: ms(200)))
        #expect(c.replicaState(tp)?.isr == [1, 2] && c.replicaState(tp)?.elr == [])
        #expect(c.stopBroker(2, now: ms(300)))
        #expect(c.replicaState(tp)?.isr == [1] && c.replicaState(tp)?.elr == [2])
        c.killBroker(1, now: ms(400))
        c.advance(to: ms(9_400))
        #expect(c.replicaState(tp)?.isOffline == true)
        #expect(c.replicaState(tp)?.isr == [] && c.replicaState(tp)?.elr == [1, 2])
        #expect(c.restartBroker(2, now: ms(10_000)))
        #expect(c.replicaState(tp)?.leader == 2 && c.replicaState(tp)?.isr == [2])
        #expect(c.replicaState(tp)?.elr == [1] && c.lostRecords.isEmpty)
    }

    /// The last in-sync replica crashes and returns. With ELR the ISR empties into the ELR and
    /// LastKnownElr remembers the leader; back from an unclean shutdown it leaves the ELR, and
    /// with nothing else eligible it leads again as the last known leader. Without ELR it never
    /// left the ISR. Either way nothing is lost.
    @Test(arguments: [true, false])
    func theLastInSyncReplicaReturningFromACrashLeadsAgain(elr: Bool) throws {
        let c = cluster(minIsr: 1, elr: elr)
        c.stopBroker(2, now: ms(0))
        c.stopBroker(3, now: ms(0))
        try produce(c, "e1", acks: .all, at: 1)
        c.killBroker(1, now: ms(10))
        c.advance(to: ms(9_010))
        #expect(c.replicaState(tp)?.isOffline == true)
        #expect(c.replicaState(tp)?.isr == (elr ? [] : [1]) && c.replicaState(tp)?.elr == (elr ? [1] : []))
        #expect(c.replicaState(tp)?.lastKnownElr == (elr ? [1] : []))
        c.restartBroker(1, now: ms(10_000))
        #expect(c.replicaState(tp)?.leader == 1 && c.replicaState(tp)?.isr == [1])
        #expect(c.replicaState(tp)?.lastKnownElr == [] && c.lostRecords.isEmpty)
    }

    /// ELR guards the last known leader: broker 2 left the ISR cleanly below the min ISR (ELR),
    /// so broker 1, back from a crash, may not lead while 2 is eligible; 2's return elects 2.
    @Test func anEligibleReplicaGoesBeforeTheLastKnownLeader() throws {
        let c = cluster(minIsr: 2)
        c.stopBroker(3, now: ms(0))
        c.stopBroker(2, now: ms(0))
        c.killBroker(1, now: ms(10))
        c.advance(to: ms(9_010))
        #expect(c.replicaState(tp)?.elr == [1, 2] && c.replicaState(tp)?.lastKnownElr == [1])
        c.restartBroker(1, now: ms(10_000))
        #expect(c.replicaState(tp)?.isOffline == true && c.replicaState(tp)?.elr == [2])
        c.restartBroker(2, now: ms(11_000))
        #expect(c.replicaState(tp)?.leader == 2 && c.replicaState(tp)?.isr == [2])
    }

    /// Turned on while a partition is offline, unclean election happens at the controller's next
    /// periodic check (`unclean.leader.election.interval.ms`), which runs on a fixed period.
    @Test func uncleanElectionTurnedOnWaitsForThePeriodicCheck() throws {
        let c = cluster(minIsr: 1, elr: false)
        c.stallBrokers([2, 3], at: 0)
        try produce(c, "e1", acks: .all, at: 1)
        c.advance(to: ms(31_000))
        #expect(c.replicaState(tp)?.isr == [1], "the stalled followers left the ISR")
        c.killBroker(1, now: ms(31_000))
        c.advance(to: ms(40_000))
        #expect(c.replicaState(tp)?.isOffline == true)
        c.setUncleanLeaderElection(true, now: ms(41_000))
        #expect(c.replicaState(tp)?.isOffline == true, "not at once")
        #expect(c.nextDeadline() == ms(50_000))
        c.advance(to: ms(50_000))
        #expect(c.replicaState(tp)?.leader == 2 && c.lostRecords.map(\.eventId) == ["e1"])
    }
}

extension Cluster {
    func stallBrokers(_ ids: [Int], at t: Int64) {
        for id in ids { setFetching(id, false, now: ms(t)) }
    }
}
