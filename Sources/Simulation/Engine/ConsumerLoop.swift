import Bus
import Events
import Services

/// Each consumer instance's loop on the virtual clock: start (join), poll one record, finish it
/// after its processing time, commit, and the ways a loop ends: a graceful stop or a death.
extension Simulation {
    func indices(of service: ServiceName) -> [Int] {
        instances.indices.filter { instances[$0].service == service }
    }

    func start(_ i: Int) {
        let instance = instances[i]
        instance.started(memberId: "\(instance.clientId)-\(random.shortHex())", now: now)
        broker.join(group: instance.group, member: instance.identity, topics: instance.service.subscriptions, now: now)
        scheduler.schedule(.poll(instance: i, incarnation: instance.incarnation), at: now)
    }

    /// A graceful stop: at once when idle, else after the record in hand. False when not running.
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
        commitUncommitted(instance)
        broker.leave(group: instance.group, memberId: instance.memberId, now: now)
        instance.stopped()
    }

    /// Death without LeaveGroup. With `restartAt` it comes back by itself (a crash); without, it
    /// stays down until started. Returns false when there was nothing to kill.
    @discardableResult
    func kill(_ i: Int, restartAt: VirtualTime?) -> Bool {
        let instance = instances[i]
        switch instance.state {
        case .running:
            broker.kill(group: instance.group, memberId: instance.memberId, now: now)
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
        if config.commit == .auto && now - instance.lastAutoCommit >= config.autoCommitInterval {
            commitUncommitted(instance)
        }
        // One record per poll: each record is handed to the listener as it is about to be processed.
        let result = broker.poll(group: instance.group, memberId: instance.memberId, maxRecords: 1, now: now)
        guard let record = result.records.first else {
            scheduler.schedule(.poll(instance: i, incarnation: instance.incarnation), at: now + config.pollInterval)
            return
        }
        instance.redeliveries += result.redelivered
        instance.took(record, at: now)
        let duration =
            instance.service == .payment
            ? paymentService.processingTime() : config.processingTime(of: instance.service)
        scheduler.schedule(.finish(instance: i, incarnation: instance.incarnation), at: now + duration)
    }

    func finish(_ i: Int) {
        let instance = instances[i]
        let polledAt = instance.polledAt
        guard let record = instance.finishing() else { return }
        do {
            switch instance.service {
            case .order: try orderService.handle(record, now: now)
            case .payment:
                try paymentService.handle(record, polledAt: polledAt, now: now, idempotency: settings.idempotency)
            case .notification: try notificationService.handle(record, now: now, idempotency: settings.idempotency)
            }
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
        } catch let poison as PoisonRecord {
            // Counted, logged and stepped over: one bad record never blocks its partition.
            instance.poisonRecords += 1
            logger.error(
                "\(instance.clientId) skipped a poison record at \(record.topicPartition)@\(record.offset): \(poison)")
            processed(record, by: instance)
        } catch {
            if case ProcessingError.database = error {
                storageFailed(instance.service == .payment ? "payments.sqlite" : "notifications.sqlite", error)
            }
            logger.warning(
                "\(instance.clientId) failed on \(record.topicPartition)@\(record.offset), retrying: \(error)")
            broker.seek(group: instance.group, memberId: instance.memberId, record.topicPartition, to: record.offset)
            if instance.stopRequested {
                completeStop(i)
                return
            }
            scheduler.schedule(.poll(instance: i, incarnation: instance.incarnation), at: now + config.retryBackoff)
            return
        }
        if instance.stopRequested {
            completeStop(i)
            return
        }
        scheduler.schedule(.poll(instance: i, incarnation: instance.incarnation), at: now)
    }

    private func processed(_ record: Record, by instance: ConsumerInstance) {
        let next = record.offset + 1
        switch config.commit {
        case .perRecord: commit(instance, record.topicPartition, next)
        case .auto: instance.processedUncommitted(record.topicPartition, next: next)
        }
    }

    private func commitUncommitted(_ instance: ConsumerInstance) {
        for (tp, offset) in instance.takeUncommitted(now: now) { commit(instance, tp, offset) }
    }

    private func commit(_ instance: ConsumerInstance, _ tp: TopicPartition, _ offset: Int64) {
        do {
            try broker.commit(group: instance.group, memberId: instance.memberId, tp, offset: offset, now: now)
        } catch {
            // The partition moved in a rebalance: its new owner re-reads from the last commit.
            logger.info("\(instance.clientId): \(error)")
        }
    }
}
