import Bus
import Events
import Services

/// What the simulation lets observers see: the records and databases behind the sweep and the
/// journey, the invariants, running counts, and the snapshot a dashboard frame renders.
extension Simulation {
    /// The log and the databases, read-only, for the sweep and the journey.
    package var records: FlowRecords {
        FlowRecords(
            log: cluster, orders: orderService.database, payments: paymentService.database,
            ledger: provider.database, emails: notificationService.database)
    }

    /// A full reconciliation sweep as of now. A database that cannot be read is logged and
    /// yields an empty report; tests that must not miss it call `ReconciliationReport.sweep`.
    package func reconcile() -> ReconciliationReport {
        do {
            return try ReconciliationReport.sweep(records, at: now)
        } catch {
            logger.error("reconciliation could not read a database: \(error)")
            return ReconciliationReport(at: now, ordersChecked: 0)
        }
    }

    /// One order's journey as of now, or nil when there is no such order.
    package func journey(of orderId: String) -> OrderJourney? {
        do {
            return try OrderJourney.trace(orderId, in: records)
        } catch {
            logger.error("could not trace \(orderId): \(error)")
            return nil
        }
    }

    /// The order whose id is `idOrPrefix`, or starts with it.
    package func findOrder(_ idOrPrefix: String) -> String? {
        (try? records.findOrder(idOrPrefix)) ?? nil
    }

    /// The record at `offset` of `tp`, if the log still holds it (the record overlay's, a value).
    package func record(_ tp: TopicPartition, at offset: Int64) -> Record? {
        cluster.record(tp, at: offset)
    }

    /// The acknowledged records the last truncation removed, into the Events pane's feed.
    func noteLostRecords() {
        let lost = cluster.lossHistory
        for record in lost.dropFirst(lostRecordsNoted) {
            sampler.clusterEvent(
                .init(
                    time: now, topic: record.topicPartition.topic, partition: record.topicPartition.partition,
                    offset: record.offset, key: record.key, what: "LOST (acked)", final: true))
        }
        lostRecordsNoted = lost.count
    }

    func recordAppended(_ record: Record) {
        sampler.recordAppended(record)
        invariants.observe(record)
        for observer in recordObservers { observer(record) }
    }

    func sample() {
        // Invariants are recomputed every virtual second whether or not anyone looks, which also
        // keeps the checker's buffer of freshly announced order ids small.
        _ = checkInvariants()
        sampler.sample(coordinator)
    }

    /// The invariants as of now, recomputed from the databases and the log.
    package func checkInvariants() -> InvariantCounts {
        do {
            try invariants.check(now: now)
        } catch {
            storageFailed("a database the invariant check reads", error)
        }
        return invariants.counts
    }

    /// The invariants as of now; a database that cannot be read is an error, never a zero.
    package func checkInvariantsStrictly() throws -> InvariantCounts {
        try invariants.check(now: now)
        return invariants.counts
    }

    /// The orders behind each invariant, as of now.
    package func invariantViolations() -> InvariantViolations {
        _ = checkInvariants()
        return invariants.violations
    }

    /// The highest total lag each group reached, sampled every virtual second.
    package var peakLag: [String: Int64] { sampler.peakLag }

    package var redeliveries: Int {
        ServiceName.allCases.reduce(0) { $0 + coordinator.redeliveries(ofGroup: $1.rawValue) }
    }

    package var poisonRecords: Int { instances.reduce(0) { $0 + $1.poisonRecords } }
    /// Times a consumer left its group because a batch outlasted `max.poll.interval.ms`.
    package var pollIntervalExceeded: Int { instances.reduce(0) { $0 + $1.consumer.pollIntervalExceeded } }
    /// Commits refused because the partition had moved (Kafka's CommitFailedException).
    package var commitFailures: Int { instances.reduce(0) { $0 + $1.consumer.commitFailures } }

    package var dedupHits: [ServiceName: Int] {
        [.payment: paymentService.dedupHits, .notification: notificationService.dedupHits]
    }

    /// Every consumer instance as the Services pane shows it.
    package var instanceRows: [Snapshot.InstanceRow] {
        instances.map { i in
            var row = Snapshot.InstanceRow(
                service: i.service, number: i.number, clientId: i.clientId, memberId: i.consumer.memberId,
                state: i.state,
                processed: i.processed, redeliveries: i.redeliveries, poisonRecords: i.poisonRecords,
                partitions: i.isRunning ? i.consumer.assignment : [],
                batch: i.inFlight == nil ? nil : .init(done: i.batchSize - i.batch.count, of: i.batchSize),
                outOfGroup: i.consumer.leftGroup,
                pollIntervalExceeded: i.consumer.pollIntervalExceeded)
            // The record the error handler is retrying: in hand, or sought back to and waiting for the next poll.
            if let failing = i.failingRecord {
                row.failures = failing.count
                row.failing = failing.at
            }
            return row
        }
    }

    package func snapshot(recentOrders: Int = 50, recentRecords recentCount: Int = 50) -> Snapshot {
        let invariantCounts = checkInvariants()
        let partitions = config.clusterTopics.flatMap { topic in
            (0..<topic.partitions).map { p in
                let tp = TopicPartition(topic.name, p)
                let history = sampler.appendHistory[tp] ?? History(capacity: 1)
                var row = Snapshot.PartitionRow(
                    topic: topic.name, partition: p, logStartOffset: cluster.logStartOffset(tp),
                    logEndOffset: cluster.logEndOffset(tp), recordsPerSecond: history.last ?? 0,
                    appendHistory: history.values)
                row.replication = cluster.replicaState(tp).map {
                    .init(
                        leader: $0.leader, isr: $0.isr, replicas: $0.replicas, highWatermark: $0.highWatermark,
                        endOffsets: $0.endOffsets, elr: $0.elr)
                }
                return row
            }
        }
        let groups = ServiceName.allCases.map { service in
            let id = service.rawValue
            let description = coordinator.describe(group: id)
            let rows = description.rows
            // Every subscribed partition's lag, read once for the total and the lag in time.
            let lags = coordinator.partitionLags(group: id)
            var row = Snapshot.GroupRow(
                group: id, state: description.state, generation: coordinator.generation(ofGroup: id),
                rows: rows, growing: rows.map { sampler.isGrowing($0) }, totalLag: totalLag(of: lags),
                lagHistory: sampler.lagHistory[id]?.values ?? [], notice: description.notice,
                members: description.members, assignmentStrategy: description.assignmentStrategy)
            row.timeLag = timeLag(group: lags)
            row.rowTimeLags = rows.map(timeLag)
            row.rowPauses = rowPauses(group: id, rows: rows)
            row.pauses = coordinator.pauses(ofGroup: id, now: now)
            row.deploys = rollingDeploys.filter { $0.service == service }
            return row
        }
        let outbox = Snapshot.OutboxRow(
            pending: relay.pending, oldestPendingSince: relay.oldestPending(), relay: relay.state,
            published: relay.published, crashes: relay.crashes, crashArmed: relay.crashArmed,
            retries: relay.blockedPasses)
        var snapshot = Snapshot(
            now: now, settings: settings, seed: config.seed, trafficOn: trafficOn, trafficRate: trafficRate,
            orderCounts: orderService.board.counts, rejectedOrders: rejectedOrders,
            recentOrders: Array(orderService.board.recent.suffix(recentOrders)), partitions: partitions,
            groups: groups, instances: instanceRows, recentRecords: sampler.recentRecords.newest(recentCount),
            invariants: invariantCounts, emailsSent: notificationService.emailsSent,
            charges: provider.successfulCharges, redeliveries: redeliveries,
            orderServiceDownUntil: orderServiceDownUntil, crashArmed: crashArmed != nil,
            killBeforeCommitArmed: killBeforeCommitArmed, pendingRejections: cluster.pendingRejections,
            rejectedSends: cluster.rejectedSends,
            outbox: outbox, dedupHits: dedupHits, storageFailure: storageFailure)
        snapshot.providerSlowdown = provider.slowdown
        if config.deadLetter {
            snapshot.deadLetter = Snapshot.DeadLetterRow(
                retries: config.retries, sent: deadLetters.byService, ordersWaiting: deadLetteredOrdersWaiting(),
                redriven: deadLetters.redriven)
        }
        snapshot.maxPollRecords = maxPollRecords
        snapshot.commit = config.commit
        if !cluster.config.isSingleReplica {
            let stalled = cluster.stalledBrokers
            snapshot.brokers = cluster.brokerStates.map {
                Snapshot.BrokerRow(id: $0.id, liveness: $0.liveness, stalled: stalled.contains($0.id))
            }
            snapshot.acknowledgedRecordsLost = cluster.lostRecords.count
            snapshot.cluster = Snapshot.ClusterRow(
                acks: orderProducer.config.acks, uncleanLeaderElection: cluster.config.uncleanLeaderElection,
                metrics: cluster.clusterMetrics,
                retrying: producers.map(\.retrying).reduce(0, +),
                gaveUp: producers.map { $0.stats.failed.values.reduce(0, +) }.reduce(0, +),
                errors: cluster.producerErrors)
            snapshot.cluster?.waitingForLeader = producers.map(\.waitingForLeader).reduce(0, +)
            snapshot.cluster?.idempotentProducers = orderProducer.config.isIdempotent
            snapshot.clusterEvents = sampler.clusterEvents.newest(recentCount)
        }
        return snapshot
    }
}
