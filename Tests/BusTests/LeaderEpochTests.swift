import Testing

@testable import Bus

/// Each replica's own log and its leader-epoch cache: where a follower cuts its log (KIP-101,
/// KIP-279), and what a dead broker keeps until it follows again.
@Suite struct LeaderEpochTests {
    func cache(_ entries: (epoch: Int, start: Int64)...) -> LeaderEpochCache {
        LeaderEpochCache(entries: entries.map { LeaderEpochCache.Entry(epoch: $0.epoch, start: $0.start) })
    }

    /// Kafka's `AbstractFetcherThreadTest.testTruncation`: the replica's records at offsets 0, 1, 2
    /// were written in epochs 0, 2, 4 and the leader's in 1, 3, 5. No epoch is shared, so round
    /// after round the follower asks with an older epoch and cuts back, until it has nothing the
    /// leader wrote differently: it truncates to 0 and then fetches the leader's log whole.
    @Test func truncationWhenNoEpochIsShared() {
        let cut = LeaderEpochCache.divergence(
            follower: cache((0, 0), (2, 1), (4, 2)), followerEnd: 3, leader: cache((1, 0), (3, 1), (5, 2)),
            leaderEnd: 3)
        #expect(cut == 0)
    }

    /// Both wrote epoch 0; the follower's epoch 1 (an unclean leader's, offsets 1…) is one the
    /// new leader never had: the follower keeps offset 0 and cuts the rest.
    @Test func aFollowerCutsWhereItsEpochAndTheLeadersPart() {
        let cut = LeaderEpochCache.divergence(
            follower: cache((0, 0), (1, 1)), followerEnd: 2, leader: cache((0, 0), (2, 2)), leaderEnd: 2)
        #expect(cut == 1)
    }

    /// The same epochs on both sides: nothing diverges; a follower ahead in the leader's own epoch
    /// (the leader's last records, which a new leader lacks) cuts to the leader's end of it.
    @Test func theSameHistoryCutsOnlyWhatTheLeaderLacks() {
        let shared = cache((0, 0), (1, 4))
        #expect(LeaderEpochCache.divergence(follower: shared, followerEnd: 6, leader: shared, leaderEnd: 9) == 6)
        #expect(
            LeaderEpochCache.divergence(
                follower: cache((0, 0), (1, 4)), followerEnd: 9, leader: cache((0, 0), (1, 4), (2, 6)), leaderEnd: 8)
                == 6)
    }

    let tp = TopicPartition("t", 0)

    /// Three brokers, one partition led by broker 1, min ISR 1, unclean election on; a killed
    /// broker is fenced at once and ELR is off (see `ReplicationTests.cluster`).
    func cluster() -> Cluster {
        Cluster(
            topics: [TopicConfig(name: "t", partitions: 1)], retention: 1000,
            config: ClusterConfig(
                brokers: 3, replicationFactor: 3, minInsyncReplicas: 1, uncleanLeaderElection: true,
                replicaLagTime: .seconds(10), replicaFetchInterval: .milliseconds(100),
                brokerSessionTimeout: .zero, eligibleLeaderReplicas: false))
    }

    func produce(_ c: Cluster, _ id: String, at t: Int64) throws {
        try c.produce(
            topic: "t", key: Array(id.utf8), value: [],
            headers: RecordHeaders(eventType: "E", eventId: id, correlationId: id), timestamp: ms(t), acks: .leader)
    }

    func eventIds(_ c: Cluster) -> [String] {
        c.records(tp, from: 0, limit: 100).map(\.headers.eventId)
    }

    /// A dead leader keeps its own log: its end stays where it was until it returns and follows
    /// the leader elected meanwhile, and only then cuts what that leader never had.
    @Test func aDeadBrokerKeepsItsLogUntilItFollows() throws {
        let c = cluster()
        try produce(c, "e1", at: 0)
        c.advance(to: ms(100))
        try produce(c, "e2", at: 150)
        c.killBroker(1, now: ms(160))
        #expect(c.replicaState(tp)?.leader == 2 && eventIds(c) == ["e1"])
        #expect(c.replicaState(tp)?.endOffsets[1] == 2, "broker 1's disk still has e2")
        c.restartBroker(1, now: ms(200))
        #expect(c.replicaState(tp)?.endOffsets[1] == 1, "following broker 2, it cut e2")
    }

    /// Two unclean elections in a row. Broker 1 wrote e2 alone and died; broker 2 led with epoch 1
    /// and wrote e3 at the same offset, then died too. Broker 1 returns and, unclean election on,
    /// leads with its own log: e2 is back and e3 is the acknowledged record lost — where one
    /// shared log had lost both. Broker 2 returns and cuts e3 (its epoch 1 is not the leader's).
    @Test func twoUncleanElectionsKeepWhatTheReturningLeaderHad() throws {
        let c = cluster()
        try produce(c, "e1", at: 0)
        c.advance(to: ms(100))
        c.killBroker(2, now: ms(110))
        c.killBroker(3, now: ms(120))
        try produce(c, "e2", at: 130)
        c.killBroker(1, now: ms(140))
        c.restartBroker(2, now: ms(150))
        #expect(c.replicaState(tp)?.leader == 2 && eventIds(c) == ["e1"])
        #expect(c.lostRecords.map(\.eventId) == ["e2"])
        try produce(c, "e3", at: 160)
        #expect(eventIds(c) == ["e1", "e3"])
        c.killBroker(2, now: ms(170))
        c.restartBroker(1, now: ms(180))
        #expect(c.replicaState(tp)?.leader == 1 && c.replicaState(tp)?.leaderEpoch == 2)
        #expect(eventIds(c) == ["e1", "e2"], "broker 1's own log, e2 at offset 1")
        #expect(c.lostRecords.map(\.eventId) == ["e3"], "e2 came back; e3 is what is lost now")
        #expect(c.isAcknowledged(tp, offset: 1))
        c.restartBroker(2, now: ms(190))
        c.advance(to: ms(400))
        #expect(c.replicaState(tp)?.endOffsets[2] == 2 && c.replicaState(tp)?.isr == [1, 2])
        #expect(eventIds(c) == ["e1", "e2"])
    }
}
