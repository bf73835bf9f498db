import Testing

@testable import Bus

/// Kafka 4's rules the cluster follows beyond the classic replication ones (issue 22): the
/// effective min ISR, an operator's unclean election, a restart that ends a stall.
extension ReplicationTests {
    /// `min.insync.replicas` above the replica count (3 on replication factor 2) is capped at it,
    /// as Kafka's `Partition.effectiveMinIsr` caps it: acks=all writes while both replicas are in
    /// sync, and is refused only once one leaves.
    @Test func minInsyncReplicasAboveTheReplicaCountIsCappedAtIt() throws {
        let b = GroupCoordinator(
            cluster: Cluster(
                topics: [TopicConfig(name: "t", partitions: 1)], retention: 1000,
                config: ClusterConfig(
                    brokers: 3, replicationFactor: 2, minInsyncReplicas: 3, brokerSessionTimeout: .zero,
                    eligibleLeaderReplicas: false)))
        #expect(b.cluster.config.effectiveMinInsyncReplicas == 2)
        guard case .pending = try produce(b, 1, acks: .all, at: 0) else {
            Issue.record("written, waiting for the follower")
            return
        }
        b.cluster.killBroker(2, now: ms(10))
        #expect(throws: BrokerError.refused(.notEnoughReplicas(tp))) { try produce(b, 2, acks: .all, at: 20) }
        #expect(b.cluster.clusterMetrics.underMinIsrPartitionCount == 1)
    }

    /// An operator's unclean election (`kafka-leader-election.sh --election-type unclean`) elects
    /// whatever `unclean.leader.election.enable` says (`ReplicationControlManager.electLeader`
    /// with ElectionType.UNCLEAN), and only where a partition is offline and a replica is live.
    @Test func anOperatorsUncleanElectionIgnoresTheConfig() throws {
        let b = cluster(unclean: false, minIsr: 1)
        #expect(b.cluster.electUnclean(now: ms(0)).isEmpty, "nothing offline")
        b.cluster.killBroker(2, now: ms(0))
        b.cluster.killBroker(3, now: ms(0))
        try produce(b, 1, acks: .all, at: 1)
        b.cluster.killBroker(1, now: ms(2))
        #expect(b.cluster.electUnclean(now: ms(3)).isEmpty, "no live replica to elect")
        b.cluster.restartBroker(3, now: ms(4))
        #expect(b.cluster.replicaState(tp)?.isOffline == true, "the config still says no")
        #expect(b.cluster.electUnclean(now: ms(5)) == [tp])
        #expect(b.cluster.replicaState(tp)?.leader == 3 && b.cluster.lostRecords.map(\.eventId) == ["e1"])
        #expect(!b.cluster.config.uncleanLeaderElection, "an election, not a config change")
    }

    /// A restart ends a stall: the restarted broker's fetcher is a new one, and it catches up.
    @Test func aRestartEndsAStall() throws {
        let b = cluster()
        b.cluster.setFetching(3, false, now: ms(0))
        b.cluster.killBroker(3, now: ms(1))
        b.cluster.restartBroker(3, now: ms(2))
        #expect(b.cluster.stalledBrokers.isEmpty)
        try produce(b, 1, acks: .leader, at: 3)
        b.advance(to: ms(200))
        #expect(b.cluster.replicaState(tp)?.endOffsets[3] == 1 && b.cluster.replicaState(tp)?.isr == [1, 2, 3])
    }
}
