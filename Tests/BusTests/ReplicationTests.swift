import Testing

@testable import Bus

/// Kafka's replication rules as the bus reproduces them; each test names the rule (and the Kafka
/// source or test it follows) it checks. `../shared/notes/kafka-replication.md` lists them.
@Suite struct ReplicationTests {
    let tp = TopicPartition("t", 0)

    /// Three brokers, one partition replicated on all three (leader 1), `min.insync.replicas` 2. A
    /// killed broker is fenced at once and ELR is off, so each test checks its one rule; the
    /// session timeout and ELR have tests of their own (`ReplicationTests+Fencing.swift`).
    func cluster(unclean: Bool = false, minIsr: Int = 2) -> GroupCoordinator {
        GroupCoordinator(
            cluster: Cluster(
                topics: [TopicConfig(name: "t", partitions: 1)], retention: 1000,
                config: ClusterConfig(
                    brokers: 3, replicationFactor: 3, minInsyncReplicas: minIsr, uncleanLeaderElection: unclean,
                    replicaLagTime: .seconds(10), replicaFetchInterval: .milliseconds(100),
                    brokerSessionTimeout: .zero, eligibleLeaderReplicas: false)))
    }

    @discardableResult
    func produce(
        _ b: GroupCoordinator, _ n: Int, acks: Acks, at t: Int64, timeout: VirtualDuration? = nil,
        answer: ProduceAnswer? = nil
    ) throws -> ProduceOutcome {
        try b.cluster.produce(
            topic: "t", key: Array("k\(n)".utf8), value: Array("v\(n)".utf8),
            headers: RecordHeaders(eventType: "E", eventId: "e\(n)", correlationId: "k\(n)"), timestamp: ms(t),
            acks: acks, timeout: timeout, answer: answer)
    }

    /// The layout in the doc comment of Kafka's `StripedReplicaPlacer` (formerly
    /// `AdminUtils.assignReplicasToBrokers`): 5 brokers, 10 partitions, RF 3, start index 0
    /// (Kafka's brokers 0–4 are orderflow's 1–5).
    @Test func replicaPlacementFollowsKafkasStripedPlacer() {
        let config = ClusterConfig(brokers: 5, replicationFactor: 3)
        let expected: [[Int]] = [
            [0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 0], [4, 0, 1],
            [0, 2, 3], [1, 3, 4], [2, 4, 0], [3, 0, 1], [4, 1, 2],
        ]
        #expect((0..<10).map { config.replicas(ofPartition: $0) } == expected.map { $0.map { $0 + 1 } })
        #expect(ClusterConfig(brokers: 1, replicationFactor: 3).replicationFactor == 1, "capped at the brokers")
    }

    @Test func oneReplicaKeepsTheHighWatermarkAtTheLogEnd() throws {
        let b = GroupCoordinator(cluster: Cluster(topics: [TopicConfig(name: "t", partitions: 1)], retention: 10))
        try produce(b, 1, acks: .all, at: 0)
        #expect(b.cluster.highWatermark(tp) == 1 && b.cluster.logEndOffset(tp) == 1)
        #expect(b.cluster.replicaState(tp) == nil)
    }

    /// Retention never moves the log start past the high watermark: Kafka's
    /// `UnifiedLog.maybeIncrementLogStartOffset` refuses an offset above it, so size-based
    /// retention cannot delete what consumers may not read yet. (A retention of 5 under three
    /// brokers used to trap here, reading from below the log start.)
    @Test func retentionNeverPassesTheHighWatermark() throws {
        let b = GroupCoordinator(
            cluster: Cluster(
                topics: [TopicConfig(name: "t", partitions: 1)], retention: 5,
                config: ClusterConfig(
                    brokers: 3, replicationFactor: 3, minInsyncReplicas: 2, replicaLagTime: .seconds(10),
                    replicaFetchInterval: .milliseconds(100))))
        b.ensureGroup("g", config: GroupConfig(rebalanceTime: .zero, autoOffsetReset: .earliest))
        b.join(group: "g", member: b.member("m"), topics: ["t"], now: ms(0))
        for n in 0..<20 { try produce(b, n, acks: .leader, at: 1) }
        #expect(b.cluster.logEndOffset(tp) == 20 && b.cluster.highWatermark(tp) == 0)
        #expect(b.cluster.logStartOffset(tp) == 0, "nothing readable yet, so nothing retained away")
        #expect(b.pollAll("g", "m", at: ms(2)).records.isEmpty)
        b.advance(to: ms(101))
        #expect(
            b.cluster.highWatermark(tp) == 20 && b.cluster.logStartOffset(tp) == 15,
            "retention catches up with the high watermark")
        #expect(b.pollAll("g", "m", at: ms(102)).records.map(\.offset) == Array(15..<20))
    }

    /// Consumers read below the high watermark only; `--describe`'s LOG-END-OFFSET is the high
    /// watermark (`Partition.fetchOffsetForTimestamp`: READ_UNCOMMITTED answers with it).
    @Test func consumersReadOnlyBelowTheHighWatermark() throws {
        let b = cluster()
        b.ensureGroup("g", config: GroupConfig(rebalanceTime: .zero, autoOffsetReset: .earliest))
        b.join(group: "g", member: b.member("m"), topics: ["t"], now: ms(0))
        try produce(b, 1, acks: .leader, at: 1)
        #expect(b.cluster.logEndOffset(tp) == 1 && b.cluster.highWatermark(tp) == 0)
        #expect(b.pollAll("g", "m", at: ms(2)).records.isEmpty, "not yet on the followers")
        b.advance(to: ms(101))
        #expect(b.cluster.highWatermark(tp) == 1)
        #expect(b.pollAll("g", "m", at: ms(102)).records.map(\.offset) == [0])
        #expect(b.partitionLags(group: "g").first?.logEndOffset == 1)
    }

    /// `acks=all` is answered when every in-sync replica has the record (`DelayedProduce`).
    @Test func acksAllIsAnsweredWhenEveryInSyncReplicaHasTheRecord() throws {
        let b = cluster()
        var answers: [ProduceCompletion] = []
        guard
            case .pending(let id, let metadata) = try produce(
                b, 1, acks: .all, at: 0, answer: { answer, _ in answers.append(answer) })
        else {
            Issue.record("acks=all waits for the followers")
            return
        }
        #expect(metadata.offset == 0 && answers.isEmpty)
        b.advance(to: ms(100))
        #expect(answers == [ProduceCompletion(id: id, metadata: metadata, error: nil)])
    }

    /// `Partition.appendRecordsToLeader`: with fewer in-sync replicas than the minimum, acks=all is
    /// refused with NotEnoughReplicas and nothing is appended; acks=1 still writes.
    @Test func notEnoughReplicasRefusesBeforeTheAppend() throws {
        let b = cluster()
        b.cluster.killBroker(2, now: ms(0))
        b.cluster.killBroker(3, now: ms(0))
        #expect(b.cluster.replicaState(tp)?.isr == [1], "the controller took the dead followers out of the ISR")
        #expect(b.cluster.clusterMetrics.isrShrinks == 0, "IsrShrinksPerSec counts the leader's lag checks only")
        #expect(throws: BrokerError.refused(.notEnoughReplicas(tp))) { try produce(b, 1, acks: .all, at: 10_002) }
        #expect(b.cluster.logEndOffset(tp) == 0)
        try produce(b, 2, acks: .leader, at: 10_003)
        #expect(b.cluster.logEndOffset(tp) == 1 && b.cluster.producerErrors["NotEnoughReplicas"] == 1)
        #expect(
            b.cluster.clusterMetrics.underMinIsrPartitionCount == 1
                && b.cluster.clusterMetrics.underReplicatedPartitions == 1)
    }

    /// Strict min ISR (KAFKA-15583, Kafka 3.7 and later; Kafka's
    /// `PartitionTest.testHighWatermarkAdvanceShouldNotAdvanceWhenUnderMinISR`): the ISR shrinks
    /// below the minimum while an acks=all send waits, and the high watermark stays where it was —
    /// the record is in the leader's log but nobody may read it. The send is not answered
    /// NotEnoughReplicasAfterAppend (what Kafka up to 3.6 answered) but waits for the ISR, and times
    /// out with REQUEST_TIMED_OUT after its request timeout; once the ISR recovers the high
    /// watermark moves on.
    @Test func underMinIsrTheHighWatermarkWaitsAndTheSendTimesOut() throws {
        let b = cluster()
        var answers: [ProduceCompletion] = []
        try produce(b, 1, acks: .all, at: 1, timeout: .seconds(1)) { answer, _ in answers.append(answer) }
        b.cluster.killBroker(2, now: ms(2))
        b.cluster.killBroker(3, now: ms(3))
        b.advance(to: ms(500))
        #expect(answers.isEmpty, "waiting for the ISR, not answered")
        #expect(b.cluster.logEndOffset(tp) == 1 && b.cluster.highWatermark(tp) == 0, "in the log, not readable")
        #expect(b.cluster.replicaState(tp)?.isr == [1] && b.cluster.replicaState(tp)?.isUnderMinIsr == true)
        b.advance(to: ms(1_001))
        #expect(answers.map(\.error) == [.requestTimedOut(tp)])
        #expect(b.cluster.producerErrors["NotEnoughReplicasAfterAppend"] == nil)
        b.cluster.restartBroker(2, now: ms(1_100))
        b.advance(to: ms(1_300))
        #expect(b.cluster.replicaState(tp)?.isr == [1, 2] && b.cluster.highWatermark(tp) == 1, "the ISR recovered")
    }

    /// A follower out of the ISR rejoins once it caught up (`Partition.maybeExpandIsr`).
    @Test func aReturningFollowerRejoinsTheIsrWhenCaughtUp() throws {
        let b = cluster()
        b.cluster.killBroker(3, now: ms(0))
        b.advance(to: ms(10_001))
        try produce(b, 1, acks: .all, at: 10_002)
        #expect(b.cluster.replicaState(tp)?.isr == [1, 2])
        b.cluster.restartBroker(3, now: ms(10_500))
        b.advance(to: ms(10_600))
        #expect(b.cluster.replicaState(tp)?.isr == [1, 2, 3])
        #expect(b.cluster.replicaState(tp)?.endOffsets[3] == 1)
        #expect(b.cluster.clusterMetrics.isrExpands == 1 && b.cluster.clusterMetrics.underReplicatedPartitions == 0)
    }

    /// The controller elects the first live in-sync replica in assignment order; the epoch grows.
    @Test func failoverElectsTheFirstLiveInSyncReplica() throws {
        let b = cluster()
        try produce(b, 1, acks: .all, at: 0)
        b.advance(to: ms(100))
        b.cluster.killBroker(1, now: ms(200))
        #expect(b.cluster.replicaState(tp)?.leader == 2 && b.cluster.replicaState(tp)?.leaderEpoch == 1)
        #expect(b.cluster.replicaState(tp)?.isr == [2, 3])
        #expect(b.cluster.lostRecords.isEmpty, "every in-sync replica had the record")
    }

    /// acks=1 answers after the leader's append: if the leader dies before its followers fetched,
    /// the new leader's log is shorter and the acknowledged record is gone.
    @Test func acksOneLosesWhatTheFollowersHadNotFetched() throws {
        let b = cluster()
        try produce(b, 1, acks: .leader, at: 0)
        b.advance(to: ms(100))
        try produce(b, 2, acks: .leader, at: 150)
        b.cluster.killBroker(1, now: ms(160))
        #expect(b.cluster.replicaState(tp)?.leader == 2)
        #expect(b.cluster.logEndOffset(tp) == 1)
        #expect(b.cluster.lostRecords.map(\.eventId) == ["e2"])
        try produce(b, 3, acks: .leader, at: 170)
        #expect(b.cluster.record(tp, at: 1)?.headers.eventId == "e3", "the offset is written again by the new leader")
    }

    /// No live in-sync replica and unclean election off: the partition is offline and a send
    /// finds no leader (the producer keeps it: `ProducerTests`);
    /// an out-of-sync replica's return changes nothing; the in-sync one's return brings it back
    /// with nothing lost.
    @Test func withoutUncleanElectionThePartitionWaitsOfflineForAnInSyncReplica() throws {
        let b = cluster(minIsr: 1)
        b.cluster.killBroker(2, now: ms(0))
        b.cluster.killBroker(3, now: ms(0))
        b.advance(to: ms(10_001))
        try produce(b, 1, acks: .all, at: 10_002)
        b.cluster.killBroker(1, now: ms(10_003))
        #expect(b.cluster.replicaState(tp)?.isOffline == true && b.cluster.clusterMetrics.offlinePartitionsCount == 1)
        #expect(throws: BrokerError.noLeader(tp)) { try produce(b, 2, acks: .leader, at: 10_004) }
        b.cluster.restartBroker(2, now: ms(10_005))
        #expect(b.cluster.replicaState(tp)?.isOffline == true)
        b.cluster.restartBroker(1, now: ms(10_006))
        #expect(b.cluster.replicaState(tp)?.leader == 1 && b.cluster.lostRecords.isEmpty)
        #expect(b.cluster.logEndOffset(tp) == 1)
    }

    /// Unclean election on: an out-of-sync replica leads, the acknowledged records it never had
    /// are lost, and the old leader truncates to it when it returns (KIP-101).
    @Test func uncleanElectionLosesAcknowledgedRecordsAndTruncatesTheOldLeader() throws {
        let b = cluster(unclean: true, minIsr: 1)
        b.cluster.killBroker(2, now: ms(0))
        b.cluster.killBroker(3, now: ms(0))
        b.advance(to: ms(10_001))
        try produce(b, 1, acks: .all, at: 10_002)
        try produce(b, 2, acks: .all, at: 10_003)
        b.cluster.killBroker(1, now: ms(10_004))
        #expect(b.cluster.replicaState(tp)?.isOffline == true, "no live replica at all")
        b.cluster.restartBroker(2, now: ms(10_005))
        #expect(b.cluster.replicaState(tp)?.leader == 2 && b.cluster.replicaState(tp)?.isr == [2])
        #expect(b.cluster.lostRecords.map(\.eventId) == ["e1", "e2"])
        #expect(b.cluster.logEndOffset(tp) == 0 && b.cluster.highWatermark(tp) == 0)
        try produce(b, 3, acks: .all, at: 10_006)
        b.cluster.restartBroker(1, now: ms(10_007))
        b.advance(to: ms(10_200))
        #expect(b.cluster.replicaState(tp)?.endOffsets[1] == 1, "the old leader truncated to the new leader's log")
        #expect(b.cluster.replicaState(tp)?.isr == [1, 2])
        #expect(b.cluster.record(tp, at: 0)?.headers.eventId == "e3")
    }

    /// One consumer of the partition, joined and stable, reading from the start.
    func consumer(_ b: GroupCoordinator) -> String {
        b.ensureGroup("g", config: GroupConfig(rebalanceTime: .zero, autoOffsetReset: .earliest))
        b.join(group: "g", member: MemberIdentity(memberId: "m", clientId: "c"), topics: ["t"], now: ms(0))
        b.formGroup("g")
        return "m"
    }

    /// KIP-320: a consumer whose position is past the end a new leader cut the log back to
    /// moves back to that end, and reads the records later written at the reused offsets.
    @Test func aConsumerPastATruncationReadsWhatIsWrittenAtTheReusedOffsets() throws {
        let b = cluster(unclean: true, minIsr: 1)
        let member = consumer(b)
        b.cluster.killBroker(2, now: ms(0))
        b.cluster.killBroker(3, now: ms(0))
        try produce(b, 1, acks: .all, at: 1)
        try produce(b, 2, acks: .all, at: 2)
        #expect(b.poll(group: "g", memberId: member, maxRecords: 10, now: ms(3)).records.map(\.offset) == [0, 1])
        b.cluster.killBroker(1, now: ms(4))
        b.cluster.restartBroker(2, now: ms(5))
        #expect(b.cluster.logEndOffset(tp) == 0, "broker 2 never had them")
        try produce(b, 3, acks: .leader, at: 6)
        try produce(b, 4, acks: .leader, at: 7)
        let read = b.poll(group: "g", memberId: member, maxRecords: 10, now: ms(8)).records
        #expect(read.map(\.headers.eventId) == ["e3", "e4"], "not skipped although their offsets were read before")
    }

    /// The high watermark moves when the controller takes a dead follower out of the ISR; a
    /// consumer that found nothing readable before must see what now is.
    @Test func recordsReadableAfterAFollowerDiesReachAnIdleConsumer() throws {
        // min.insync.replicas 1: with 2, a lone leader would hold the high watermark (strict min ISR).
        let b = cluster(minIsr: 1)
        let member = consumer(b)
        try produce(b, 1, acks: .leader, at: 1)
        b.cluster.killBroker(3, now: ms(2))
        b.advance(to: ms(50))
        #expect(b.poll(group: "g", memberId: member, maxRecords: 10, now: ms(50)).records.isEmpty, "not fetched yet")
        b.cluster.killBroker(2, now: ms(60))
        #expect(b.cluster.highWatermark(tp) == 1)
        #expect(b.poll(group: "g", memberId: member, maxRecords: 10, now: ms(61)).records.count == 1)
    }

    /// A follower that returned while its partition was offline fetches once a leader is elected.
    @Test func aFollowerBackWhileOfflineFetchesOnceALeaderIsElected() throws {
        let b = cluster(minIsr: 1)
        b.cluster.killBroker(2, now: ms(0))
        b.cluster.killBroker(3, now: ms(0))
        try produce(b, 1, acks: .all, at: 1)
        b.cluster.killBroker(1, now: ms(2))
        b.cluster.restartBroker(3, now: ms(3))
        #expect(b.cluster.replicaState(tp)?.isOffline == true, "broker 3 is out of sync: no clean leader")
        b.cluster.restartBroker(1, now: ms(4))
        b.advance(to: ms(200))
        #expect(b.cluster.replicaState(tp)?.isr == [1, 3], "broker 3 fetched from the new leader and rejoined")
    }

    /// A live follower that stops fetching stays in the ISR while it is at the leader's log end
    /// (Kafka's `PartitionTest.testShouldNotShrinkIsrIfFollowerCaughtUpToLogEnd`), and leaves it
    /// once it is behind and has not caught up for replica.lag.time.max.ms
    /// (`testMaybeShrinkIsr`); fetching again, it catches up and rejoins.
    @Test func aStalledFollowerLeavesTheIsrAfterTheLagTimeAndRejoinsWhenItFetchesAgain() throws {
        let b = cluster()
        try produce(b, 1, acks: .leader, at: 0)
        b.advance(to: ms(200))
        b.cluster.setFetching(3, false, now: ms(200))
        b.advance(to: ms(20_000))
        #expect(b.cluster.replicaState(tp)?.isr == [1, 2, 3], "at the leader's end: caught up without fetching")
        // It last fetched at 200 ms: behind now, it has not caught up for longer than 10 s.
        try produce(b, 2, acks: .leader, at: 20_000)
        b.advance(to: ms(20_000))
        #expect(b.cluster.replicaState(tp)?.isr == [1, 2], "not caught up since its last fetch, 19.8 s ago")
        #expect(b.cluster.clusterMetrics.isrShrinks == 1 && b.cluster.brokerStates[2].liveness.serves)
        b.cluster.setFetching(3, true, now: ms(21_000))
        b.advance(to: ms(21_200))
        #expect(b.cluster.replicaState(tp)?.isr == [1, 2, 3] && b.cluster.clusterMetrics.isrExpands == 1)
    }
}
