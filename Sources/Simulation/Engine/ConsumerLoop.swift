import Bus
import Events
import KafkaClient
import Services

/// Each consumer instance's loop on the virtual clock, as a listener container drives its Kafka
/// client (`KafkaConsumer`): start (subscribe), poll up to `max.poll.records`, process the batch
/// record by record, commit as the commit mode says, poll again; and the ways a loop ends: a
/// graceful stop, a death, or the poll interval running out while a batch is in hand.
extension Simulation {
    func indices(of service: ServiceName) -> [Int] {
        instances.indices.filter { instances[$0].service == service }
    }

    func start(_ i: Int) {
        let instance = instances[i]
        instance.started()
        instance.consumer.groupInstanceId = groupInstanceId(of: instance)
        instance.consumer.subscribe(memberId: newMemberId(instance), now: now)
        scheduler.schedule(.poll(instance: i, incarnation: instance.incarnation), at: now)
    }

    private func newMemberId(_ instance: ConsumerInstance) -> String { "\(instance.clientId)-\(random.shortHex())" }

    /// A graceful stop: at once when idle, else after the batch in hand. False when not running.
    @discardableResult
    func requestStop(_ i: Int) -> Bool {
        let instance = instances[i]
        guard instance.isRunning else { return false }
        if instance.inFlight != nil {
            instance.requestStop()
        } else {
            completeStop(i)
        }
        return true
    }

    /// Commits what was processed, then LeaveGroup: a graceful close.
    func completeStop(_ i: Int) {
        let instance = instances[i]
        // The listener's batch commit first; the client's close commits auto-commit's positions.
        commitBatch(instance)
        instance.consumer.close(now: now)
        instance.stopped()
        afterStop(i)
    }

    /// Death without LeaveGroup. With `restartAt` it comes back by itself (a crash); without, it
    /// stays down until started. Returns false when there was nothing to kill.
    @discardableResult
    func kill(_ i: Int, restartAt: VirtualTime?) -> Bool {
        let instance = instances[i]
        switch instance.state {
        case .running:
            instance.consumer.died(now: now)
        case .stopped, .killed, .crashed:
            guard restartAt != nil else { return false }
        }
        instance.died(restartAt: restartAt)
        if let restartAt {
            scheduler.schedule(.restart(instance: i, incarnation: instance.incarnation), at: restartAt)
        }
        return true
    }

    func poll(_ i: Int) {
        let instance = instances[i]
        guard instance.isRunning, instance.inFlight == nil, !instance.stopRequested else { return }
        let result = instance.consumer.poll(maxRecords: maxPollRecords, now: now) { newMemberId(instance) }
        guard !result.records.isEmpty else {
            scheduler.schedule(.poll(instance: i, incarnation: instance.incarnation), at: now + config.pollInterval)
            return
        }
        instance.redeliveries += result.redelivered
        instance.took(result.records, at: now)
        if config.commit == .beforeProcessing {
            // At most once: the positions past the whole batch are committed before a record of it is processed.
            var next: [TopicPartition: Int64] = [:]
            for record in result.records {
                next[record.topicPartition] = max(next[record.topicPartition] ?? 0, record.offset + 1)
            }
            for (tp, offset) in next.sorted(by: { $0.key < $1.key }) { commit(instance, tp, offset) }
        }
        scheduler.schedule(
            .pollIntervalCheck(instance: i, incarnation: instance.incarnation, poll: instance.consumer.polls),
            at: now + config.maxPollInterval)
        scheduleFinish(i)
    }

    /// Processing a record takes its service's time; the payment service waits for the provider.
    private func scheduleFinish(_ i: Int) {
        let instance = instances[i]
        let duration =
            instance.service == .payment
            ? paymentService.processingTime() : config.processingTime(of: instance.service)
        scheduler.schedule(.finish(instance: i, incarnation: instance.incarnation), at: now + duration)
    }

    /// `max.poll.interval.ms` ran out while the batch from poll number `poll` is still in hand:
    /// the client's heartbeat thread sends LeaveGroup and the group rebalances without it. The
    /// listener does not know; it finishes the batch, and its commits then fail.
    func pollIntervalExpired(_ i: Int, poll: Int) {
        let instance = instances[i]
        guard instance.consumer.polls == poll, instance.inFlight != nil, !instance.consumer.leftGroup else { return }
        logger.warning(
            "\(instance.clientId) did not poll within max.poll.interval.ms (\(config.maxPollInterval)): it leaves group \(instance.group)"
        )
        instance.consumer.pollIntervalExpired(now: now)
    }

    func finish(_ i: Int) {
        let instance = instances[i]
        guard let record = instance.inFlight else { return }
        let startedAt = instance.recordStartedAt
        do {
            switch instance.service {
            case .order: try orderService.handle(record, now: now)
            case .payment:
                let incarnation = instance.incarnation
                let answeredNow = try paymentService.handle(
                    record, polledAt: startedAt, now: now, idempotency: settings.idempotency
                ) { [unowned self] error, _ in
                    // The listener waited for its result's send; a death meanwhile ends that wait.
                    guard instances[i].incarnation == incarnation, instances[i].inFlight?.offset == record.offset,
                        instances[i].inFlight?.topicPartition == record.topicPartition
                    else { return }
                    if let error { processingFailed(i, record, error) } else { handled(i, record) }
                }
                guard answeredNow else { return }
            case .notification: try notificationService.handle(record, now: now, idempotency: settings.idempotency)
            }
        } catch let poison as PoisonRecord {
            // Counted, logged and stepped over: one bad record never blocks its partition.
            instance.poisonRecords += 1
            if givesUp(instance, on: record, after: poison) { return deadLetter(i, record, poison) }
            logger.error(
                "\(instance.clientId) skipped a poison record at \(record.topicPartition)@\(record.offset): \(poison)")
            processed(record, by: instance)
            nextRecord(i)
            return
        } catch {
            processingFailed(i, record, error)
            return
        }
        handled(i, record)
    }

    /// The record is processed (for payment-service: its result acknowledged).
    private func handled(_ i: Int, _ record: Record) {
        let instance = instances[i]
        instance.processed += 1
        if instance.service == .payment && killBeforeCommitArmed {
            // Processed, charged and published; the offset commit never happens.
            killBeforeCommitArmed = false
            logger.warning(
                "\(instance.clientId) died after processing \(record.topicPartition)@\(record.offset), before committing it"
            )
            kill(i, restartAt: now + config.paymentRestartAfterCrash)
            return
        }
        processed(record, by: instance)
        nextRecord(i)
    }

    private func processingFailed(_ i: Int, _ record: Record, _ error: any Error) {
        let instance = instances[i]
        if case ProcessingError.database = error {
            storageFailed(instance.service == .payment ? "payments.sqlite" : "notifications.sqlite", error)
        }
        if givesUp(instance, on: record, after: error) { return deadLetter(i, record, error) }
        logger.warning(
            "\(instance.clientId) failed on \(record.topicPartition)@\(record.offset), retrying: \(error)")
        seekBack(i)
    }

    /// As Spring Kafka's DefaultErrorHandler: commit what the batch finished, seek every
    /// partition of the unprocessed rest (the failed record first) back, and read it all again
    /// after a pause.
    func seekBack(_ i: Int) {
        let instance = instances[i]
        commitBatch(instance)
        for (tp, offset) in instance.abandonBatch() {
            instance.consumer.seek(tp, to: offset)
        }
        endBatch(i, nextPollAt: now + config.retryBackoff)
    }

    func nextRecord(_ i: Int) {
        let instance = instances[i]
        instance.finishedRecord(at: now)
        if instance.inFlight != nil {
            scheduleFinish(i)
        } else {
            commitBatch(instance)
            endBatch(i, nextPollAt: now)
        }
    }

    private func endBatch(_ i: Int, nextPollAt: VirtualTime) {
        let instance = instances[i]
        if instance.stopRequested {
            completeStop(i)
        } else {
            scheduler.schedule(.poll(instance: i, incarnation: instance.incarnation), at: nextPollAt)
        }
    }

    func processed(_ record: Record, by instance: ConsumerInstance) {
        instance.done(with: record)
        let next = record.offset + 1
        switch config.commit {
        case .record: commit(instance, record.topicPartition, next)
        case .batch: instance.processedUncommitted(record.topicPartition, next: next)
        case .auto, .beforeProcessing: break
        }
    }

    /// Batch commit (Spring Kafka's AckMode.BATCH): the positions the batch processed, when it
    /// ends or fails. Per-record commits are already done; auto-commit waits for the next poll.
    private func commitBatch(_ instance: ConsumerInstance) {
        guard config.commit == .batch else { return }
        for (tp, offset) in instance.takeUncommitted() { commit(instance, tp, offset) }
    }

    private func commit(_ instance: ConsumerInstance, _ tp: TopicPartition, _ offset: Int64) {
        do {
            try instance.consumer.commit(tp, offset, now: now)
        } catch {
            // The partition moved in a rebalance: its new owner re-reads from the last commit.
            logger.info("\(instance.clientId): \(error)")
        }
    }
}
