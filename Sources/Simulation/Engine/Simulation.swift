import Bus
import Events
import Logging
import Services

/// The whole order flow on one virtual clock: the broker, the three services and their
/// consumers, the outbox relay, the traffic generator and the fault injector.
///
/// Single-threaded and deterministic: the same config, seed and actions at the same virtual
/// times produce the same records, databases and reports.
public final class Simulation {
    public let config: OrderflowConfig
    public let broker: Broker
    public let orderService: OrderService
    public let paymentService: PaymentService
    public let notificationService: NotificationService
    public let relay: OutboxRelay
    public var provider: PaymentProvider { paymentService.provider }
    public private(set) var now = VirtualTime.zero

    /// Design, publish strategy and idempotency as they are now; orders placed earlier keep theirs.
    public private(set) var settings: FlowSettings
    public private(set) var trafficOn: Bool
    public private(set) var trafficRate: Double
    public private(set) var rejectedOrders = 0
    /// The order service is down (after a crash) until then; orders placed meanwhile are rejected.
    public private(set) var orderServiceDownUntil: VirtualTime?
    /// How many more orders the traffic generator may place; nil for no limit.
    public private(set) var trafficRemaining: Int?
    /// The next order placed will be committed and its publish never happen; the service is then down this long.
    public private(set) var crashArmed: VirtualDuration?
    /// The next payment-service instance to finish a record dies before committing it.
    public private(set) var killBeforeCommitArmed = false
    /// The highest total lag each group reached, sampled every virtual second.
    public private(set) var peakLag: [String: Int64] = [:]
    /// Every reconciliation sweep taken so far (the `reconcile` and `repair` actions), oldest first.
    public private(set) var sweeps: [ReconciliationReport] = []

    /// Called with every record the log accepts, in append order (the `--events` export).
    public var recordObservers: [(Record) -> Void] = []

    private enum Job {
        case arrival(generation: Int)
        case poll(instance: Int, incarnation: Int)
        case finish(instance: Int, incarnation: Int)
        case restart(instance: Int, incarnation: Int)
        case orderServiceBack
        case relayPass
        case relayRestart
        case scheduledOrder
        case sample
        case action(SimulationAction)
    }

    private var scheduler = Scheduler<Job>()
    private var instances: [ConsumerInstance] = []
    private var random: SeededRandom
    private var trafficGeneration = 0
    private var relayPassScheduled = false
    /// Event ids for the repair's republished events, apart from the traffic's stream.
    var repairRandom: SeededRandom
    let logger: Logger
    private let invariants: InvariantChecker
    private var appendsThisSecond: [TopicPartition: Int64] = [:]
    private var appendHistory: [TopicPartition: History] = [:]
    private var lagHistory: [String: History] = [:]
    /// Each describe row's lag at the last two per-second samples, to spot growing lag.
    private var rowLag: [RowKey: (previous: Int64?, current: Int64?)] = [:]
    private struct RowKey: Hashable {
        var group: String
        var partition: TopicPartition
    }
    private var recentRecords = RecentFeed<Snapshot.RecordRow>(capacity: 200)

    public init(config: OrderflowConfig, databases: DatabaseLocation = .inMemory,
                logger: Logger = Logger(label: "orderflow", factory: { _ in SwiftLogNoOpLogHandler() })) throws {
        self.config = config
        self.logger = logger
        random = SeededRandom(seed: config.seed, stream: "simulation")
        repairRandom = SeededRandom(seed: config.seed, stream: "reconciliation")
        settings = config.flow
        trafficOn = config.trafficAuto
        trafficRate = config.trafficRate
        broker = Broker(topics: config.topics, retention: config.retention)
        orderService = try OrderService(location: databases, broker: broker, logger: logger)
        let provider = try PaymentProvider(location: databases, seed: config.seed,
                                           latency: config.providerLatencyMin.milliseconds...config.providerLatencyMax.milliseconds,
                                           failureRate: config.providerFailureRate)
        paymentService = try PaymentService(location: databases, broker: broker, provider: provider, seed: config.seed, logger: logger)
        notificationService = try NotificationService(location: databases, logger: logger)
        relay = OutboxRelay(orders: orderService, broker: broker, logger: logger)
        invariants = InvariantChecker(orders: orderService.database, ledger: provider.database,
                                      emails: notificationService.database, stuckAfter: config.stuckPendingAfter)

        for tp in config.topics.flatMap({ t in (0..<t.partitions).map { TopicPartition(t.name, $0) } }) {
            appendHistory[tp] = History(capacity: 60)
        }
        broker.onAppend = { [unowned self] record in self.recordAppended(record) }
        orderService.onOptimisticWrite = { [unowned self] orderId, now in
            self.notificationService.sendFromOrderWrite(orderId: orderId, now: now)
        }
        for service in ServiceName.allCases {
            broker.ensureGroup(service.rawValue, config: config.groupConfig)
            lagHistory[service.rawValue] = History(capacity: 60)
            for i in 1...config.instances(of: service) {
                instances.append(ConsumerInstance(service: service, index: i, memberId: ""))
                start(instances.count - 1)
            }
        }
        scheduler.schedule(.sample, at: now + .seconds(1))
        scheduleNextArrival()
    }

    // MARK: Running the clock

    /// Runs every job due up to `target` and leaves the clock there.
    public func advance(to target: VirtualTime) {
        precondition(target >= now, "the virtual clock only moves forward")
        while true {
            let next: VirtualTime
            switch (scheduler.nextTime, broker.nextDeadline()) {
            case (let job?, let deadline?): next = min(job, deadline)
            case (let job?, nil): next = job
            case (nil, let deadline?): next = deadline
            case (nil, nil): next = target + .milliseconds(1)
            }
            guard next <= target else { break }
            now = max(now, next)
            broker.advance(to: now)
            while let (_, job) = scheduler.popDue(atOrBefore: now) { run(job) }
        }
        now = target
        broker.advance(to: now)
    }

    public func advance(by duration: VirtualDuration) { advance(to: now + duration) }

    /// Applies an action now.
    public func perform(_ action: SimulationAction) {
        switch action {
        case .placeOrders(let n): for _ in 0..<max(0, n) { placeOrder() }
        case .placeOrdersOver(let count, let over):
            for k in 0..<max(0, count) {
                let offset = over.milliseconds * Int64(k) / Int64(max(1, count))
                scheduler.schedule(.scheduledOrder, at: now + .milliseconds(offset))
            }
        case .setDesign(let design): settings.design = design
        case .setPublish(let publish): settings.publish = publish
        case .setIdempotency(let idempotency): settings.idempotency = idempotency
        case .setTraffic(let on):
            trafficOn = on
            scheduleNextArrival()
        case .setTrafficRate(let rate):
            trafficRate = max(0, rate)
            scheduleNextArrival()
        case .stop(let service): for i in indices(of: service) { requestStop(i) }
        case .start(let service):
            for i in indices(of: service) where instances[i].state == .stopped || instances[i].state == .killed { start(i) }
        case .kill(let service, let index):
            for i in indices(of: service) where index == nil || instances[i].index == index { kill(i, restartAt: nil) }
        case .crashOrderServiceMidPublish(let downtime): crashArmed = downtime ?? config.orderServiceCrashDowntime
        case .killPaymentBeforeCommit: killBeforeCommitArmed = true
        case .crashOutboxRelay: relay.crashArmed = true
        case .cancelNewestPending(let n):
            for order in orderService.board.recent.reversed().filter({ $0.status == .pendingPayment }).prefix(max(0, n)) {
                cancel(order.orderId)
            }
        case .reconcile: sweeps.append(reconcile())
        case .repair: sweeps.append(repair())
        case .rejectSends(let n): broker.rejectNextSends(n)
        case .poison(let topic):
            _ = try? broker.send(topic: topic, key: Array("poison".utf8), value: Array("\u{00}not an event".utf8),
                                 headers: RecordHeaders(eventType: "Poison", eventId: random.uuid(), correlationId: "poison"),
                                 timestamp: now)
        }
    }

    /// Schedules an action at a virtual time (a scenario step).
    public func schedule(_ action: SimulationAction, at time: VirtualTime) {
        scheduler.schedule(.action(action), at: max(time, now))
    }

    /// Every consumer has caught up, nothing is in flight, and no restart is pending.
    public var isDrained: Bool {
        guard orderServiceDownUntil == nil, relay.pending == 0 else { return false }
        for instance in instances {
            if instance.inFlight != nil { return false }
            if case .crashed = instance.state { return false }
        }
        for service in ServiceName.allCases {
            if broker.state(ofGroup: service.rawValue) == .rebalancing { return false }
            for row in broker.describe(group: service.rawValue) where row.logEndOffset > 0 && row.lag != 0 { return false }
        }
        return true
    }

    /// Advances in small steps until drained or `deadline`; returns whether it drained.
    @discardableResult
    public func runUntilDrained(deadline: VirtualTime, step: VirtualDuration = .milliseconds(100)) -> Bool {
        while !isDrained {
            guard now < deadline else { return false }
            advance(to: min(deadline, now + step))
        }
        return true
    }

    private func run(_ job: Job) {
        switch job {
        case .arrival(let generation):
            guard generation == trafficGeneration, trafficOn, trafficRate > 0, trafficRemaining != 0 else { return }
            trafficRemaining = trafficRemaining.map { $0 - 1 }
            placeOrder()
            scheduleNextArrival()
        case .poll(let i, let incarnation):
            guard instances[i].incarnation == incarnation else { return }
            poll(i)
        case .finish(let i, let incarnation):
            guard instances[i].incarnation == incarnation else { return }
            finish(i)
        case .restart(let i, let incarnation):
            guard instances[i].incarnation == incarnation else { return }
            start(i)
        case .orderServiceBack:
            if let until = orderServiceDownUntil, until <= now {
                orderServiceDownUntil = nil
                relay.state = .running
                scheduleRelayPass()
            }
        case .relayPass:
            relayPassScheduled = false
            runRelayPass()
        case .relayRestart:
            if case .crashed(let at) = relay.state, at <= now {
                relay.state = .running
                scheduleRelayPass()
            }
        case .scheduledOrder:
            placeOrder()
        case .sample:
            sample()
            scheduler.schedule(.sample, at: now + .seconds(1))
        case .action(let action):
            perform(action)
        }
    }

    // MARK: Traffic and the order service's front door

    /// Lets the traffic generator place only `count` more orders.
    public func limitTraffic(to count: Int) {
        trafficRemaining = max(0, count)
    }

    private func scheduleNextArrival() {
        trafficGeneration += 1
        guard trafficOn, trafficRate > 0 else { return }
        let wait = max(1, Int64((random.exponentialSeconds(rate: trafficRate) * 1000).rounded()))
        scheduler.schedule(.arrival(generation: trafficGeneration), at: now + .milliseconds(wait))
    }

    /// Places one random order through the order service, as a client's POST /orders would.
    @discardableResult
    public func placeOrder() -> PlacedOrder? {
        if orderServiceDownUntil != nil {
            rejectedOrders += 1
            return nil
        }
        let orderId = random.uuid(), eventId = random.uuid()
        let customer = "C-" + String(random.int(in: 1...config.customers)).leftPadded(to: 4)
        let amount = random.int(in: config.amountCentsMin...config.amountCentsMax)
        let currency = config.currencies[random.int(in: 0...config.currencies.count - 1)]
        let crash = crashArmed
        crashArmed = nil
        do {
            let placed = try orderService.placeOrder(orderId: orderId, eventId: eventId, customerId: customer, amountCents: amount,
                                                     currency: currency, now: now, settings: settings,
                                                     crashBeforePublish: crash != nil)
            if let crash { crashOrderService(downtime: crash) }
            scheduleRelayPass()
            return placed
        } catch {
            logger.error("order-service could not commit an order: \(error)")
            rejectedOrders += 1
            return nil
        }
    }

    /// A customer's cancel through the order service's API; false unless the order was PENDING_PAYMENT.
    @discardableResult
    public func cancel(_ orderId: String) -> Bool {
        guard orderServiceDownUntil == nil else { return false }
        return orderService.cancel(orderId, now: now)
    }

    private func crashOrderService(downtime: VirtualDuration) {
        let back = now + downtime
        orderServiceDownUntil = back
        relay.state = .down
        for i in indices(of: .order) { kill(i, restartAt: back) }
        scheduler.schedule(.orderServiceBack, at: back)
    }

    // MARK: The outbox relay

    private func scheduleRelayPass() {
        guard !relayPassScheduled, relay.pending > 0, relay.state == .running else { return }
        relayPassScheduled = true
        scheduler.schedule(.relayPass, at: now + config.outboxRelayInterval)
    }

    private func runRelayPass() {
        do {
            if case .crashed = try relay.runPass(now: now, batch: config.outboxRelayBatch) {
                let back = now + config.outboxRelayRestartDelay
                relay.state = .crashed(restartAt: back)
                scheduler.schedule(.relayRestart, at: back)
                return
            }
        } catch {
            logger.error("outbox relay: \(error)")
        }
        scheduleRelayPass()
    }

    // MARK: Consumer instances

    private func indices(of service: ServiceName) -> [Int] {
        instances.indices.filter { instances[$0].service == service }
    }

    private func start(_ i: Int) {
        let instance = instances[i]
        instance.incarnation += 1
        instance.memberId = "\(instance.clientId)-\(random.shortHex())"
        instance.state = .running
        instance.stopRequested = false
        instance.inFlight = nil
        instance.uncommitted = [:]
        instance.lastAutoCommit = now
        broker.join(group: instance.group, member: instance.identity, topics: instance.service.subscriptions, now: now)
        scheduler.schedule(.poll(instance: i, incarnation: instance.incarnation), at: now)
    }

    private func requestStop(_ i: Int) {
        let instance = instances[i]
        guard instance.state == .running else { return }
        if instance.inFlight != nil {
            instance.stopRequested = true
        } else {
            completeStop(i)
        }
    }

    /// Commits what was processed, then LeaveGroup: a graceful close.
    private func completeStop(_ i: Int) {
        let instance = instances[i]
        commitUncommitted(instance)
        broker.leave(group: instance.group, memberId: instance.memberId, now: now)
        instance.state = .stopped
        instance.stopRequested = false
        instance.incarnation += 1
    }

    private func kill(_ i: Int, restartAt: VirtualTime?) {
        let instance = instances[i]
        switch instance.state {
        case .running:
            broker.kill(group: instance.group, memberId: instance.memberId, now: now)
        case .stopped, .killed, .crashed:
            guard restartAt != nil else { return }
        }
        instance.incarnation += 1
        instance.inFlight = nil
        instance.stopRequested = false
        instance.uncommitted = [:]
        if let restartAt {
            instance.state = .crashed(restartAt: restartAt)
            scheduler.schedule(.restart(instance: i, incarnation: instance.incarnation), at: restartAt)
        } else {
            instance.state = .killed
        }
    }

    private func poll(_ i: Int) {
        let instance = instances[i]
        guard instance.state == .running, instance.inFlight == nil, !instance.stopRequested else { return }
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
        instance.inFlight = record
        instance.polledAt = now
        let duration = instance.service == .payment ? paymentService.processingTime() : config.processingTime(of: instance.service)
        scheduler.schedule(.finish(instance: i, incarnation: instance.incarnation), at: now + duration)
    }

    private func finish(_ i: Int) {
        let instance = instances[i]
        guard let record = instance.inFlight else { return }
        instance.inFlight = nil
        do {
            switch instance.service {
            case .order: try orderService.handle(record, now: now)
            case .payment: try paymentService.handle(record, polledAt: instance.polledAt, now: now, idempotency: settings.idempotency)
            case .notification: try notificationService.handle(record, now: now, idempotency: settings.idempotency)
            }
            instance.processed += 1
            if instance.service == .payment && killBeforeCommitArmed {
                // Processed, charged and published; the offset commit never happens.
                killBeforeCommitArmed = false
                logger.warning("\(instance.clientId) died after processing \(record.topicPartition)@\(record.offset), before committing it")
                kill(i, restartAt: now + config.paymentRestartAfterCrash)
                return
            }
            processed(record, by: instance)
        } catch let poison as PoisonRecord {
            // Counted, logged and stepped over: one bad record never blocks its partition.
            instance.poisonRecords += 1
            logger.error("\(instance.clientId) skipped a poison record at \(record.topicPartition)@\(record.offset): \(poison)")
            processed(record, by: instance)
        } catch {
            logger.warning("\(instance.clientId) failed on \(record.topicPartition)@\(record.offset), retrying: \(error)")
            broker.seek(group: instance.group, memberId: instance.memberId, record.topicPartition, to: record.offset)
            if instance.stopRequested { completeStop(i); return }
            scheduler.schedule(.poll(instance: i, incarnation: instance.incarnation), at: now + config.retryBackoff)
            return
        }
        if instance.stopRequested { completeStop(i); return }
        scheduler.schedule(.poll(instance: i, incarnation: instance.incarnation), at: now)
    }

    private func processed(_ record: Record, by instance: ConsumerInstance) {
        let next = record.offset + 1
        switch config.commit {
        case .perRecord: commit(instance, record.topicPartition, next)
        case .auto: instance.uncommitted[record.topicPartition] = next
        }
    }

    private func commitUncommitted(_ instance: ConsumerInstance) {
        for (tp, offset) in instance.uncommitted.sorted(by: { $0.key < $1.key }) { commit(instance, tp, offset) }
        instance.uncommitted = [:]
        instance.lastAutoCommit = now
    }

    private func commit(_ instance: ConsumerInstance, _ tp: TopicPartition, _ offset: Int64) {
        do {
            try broker.commit(group: instance.group, memberId: instance.memberId, tp, offset: offset, now: now)
        } catch {
            // The partition moved in a rebalance: its new owner re-reads from the last commit.
            logger.info("\(instance.clientId): \(error)")
        }
    }

    // MARK: Observation

    private func recordAppended(_ record: Record) {
        appendsThisSecond[record.topicPartition, default: 0] += 1
        invariants.observe(record)
        recentRecords.append(Snapshot.RecordRow(timestamp: record.timestamp, topic: record.topic, partition: record.partition,
                                                offset: record.offset, key: record.keyString, eventType: record.headers.eventType))
        for observer in recordObservers { observer(record) }
    }

    private func sample() {
        // Invariants are recomputed every virtual second whether or not anyone looks, which also
        // keeps the checker's buffer of freshly announced order ids small.
        _ = checkInvariants()
        for tp in appendHistory.keys.sorted() {
            appendHistory[tp]!.append(appendsThisSecond[tp] ?? 0)
        }
        appendsThisSecond.removeAll(keepingCapacity: true)
        for service in ServiceName.allCases {
            let rows = broker.describe(group: service.rawValue)
            let total = rows.compactMap(\.lag).reduce(0, +)
            lagHistory[service.rawValue]!.append(total)
            peakLag[service.rawValue] = max(peakLag[service.rawValue] ?? 0, total)
            for row in rows {
                let key = RowKey(group: row.group, partition: TopicPartition(row.topic, row.partition))
                rowLag[key] = (rowLag[key]?.current, row.lag)
            }
        }
    }

    /// The invariants as of now, recomputed from the databases and the log.
    public func checkInvariants() -> InvariantCounts {
        do {
            try invariants.check(now: now)
        } catch {
            logger.error("invariant check failed: \(error)")
        }
        return invariants.counts
    }

    /// The orders behind each invariant, as of now.
    public func invariantViolations() -> InvariantViolations {
        _ = checkInvariants()
        return invariants.violations
    }

    public var redeliveries: Int {
        ServiceName.allCases.reduce(0) { $0 + broker.redeliveries(ofGroup: $1.rawValue) }
    }

    public var poisonRecords: Int { instances.reduce(0) { $0 + $1.poisonRecords } }

    public var dedupHits: [ServiceName: Int] {
        [.payment: paymentService.dedupHits, .notification: notificationService.dedupHits]
    }

    /// Lag above what it was a virtual second before, and still at least the last sample.
    private func isGrowing(_ row: GroupDescriptionRow) -> Bool {
        guard let sample = rowLag[RowKey(group: row.group, partition: TopicPartition(row.topic, row.partition))],
              let current = sample.current, let now = row.lag else { return false }
        let previous = sample.previous ?? 0
        return current > previous && now >= current
    }

    /// Every consumer instance as the Services pane shows it.
    public var instanceRows: [Snapshot.InstanceRow] {
        instances.map { i in
            Snapshot.InstanceRow(service: i.service, clientId: i.clientId, memberId: i.memberId, state: i.state,
                                 processed: i.processed, redeliveries: i.redeliveries, poisonRecords: i.poisonRecords,
                                 partitions: i.state == .running ? broker.assignment(group: i.group, memberId: i.memberId) : [])
        }
    }

    public func snapshot(recentOrders: Int = 50, recentRecords recentCount: Int = 50) -> Snapshot {
        let invariantCounts = checkInvariants()
        let partitions = config.topics.flatMap { topic in
            (0..<topic.partitions).map { p in
                let tp = TopicPartition(topic.name, p)
                let history = appendHistory[tp]!
                return Snapshot.PartitionRow(topic: topic.name, partition: p, logStartOffset: broker.logStartOffset(tp),
                                             logEndOffset: broker.logEndOffset(tp), recordsPerSecond: history.last ?? 0,
                                             appendHistory: history.values)
            }
        }
        let groups = ServiceName.allCases.map { service in
            let id = service.rawValue
            let rows = broker.describe(group: id)
            let lags = rows.compactMap(\.lag)
            return Snapshot.GroupRow(group: id, state: broker.state(ofGroup: id), generation: broker.generation(ofGroup: id),
                                     rows: rows, growing: rows.map { isGrowing($0) },
                                     totalLag: lags.isEmpty ? nil : lags.reduce(0, +),
                                     lagHistory: lagHistory[id]!.values)
        }
        let outbox = Snapshot.OutboxRow(pending: relay.pending, oldestPendingSince: relay.oldestPending(), relay: relay.state,
                                        published: relay.published, crashes: relay.crashes, crashArmed: relay.crashArmed)
        return Snapshot(now: now, settings: settings, seed: config.seed, trafficOn: trafficOn, trafficRate: trafficRate,
                        orderCounts: orderService.board.counts, rejectedOrders: rejectedOrders,
                        recentOrders: Array(orderService.board.recent.suffix(recentOrders)), partitions: partitions,
                        groups: groups, instances: instanceRows, recentRecords: self.recentRecords.newest(recentCount),
                        invariants: invariantCounts, emailsSent: notificationService.emailsSent,
                        charges: provider.successfulCharges, redeliveries: redeliveries,
                        orderServiceDownUntil: orderServiceDownUntil, crashArmed: crashArmed != nil,
                        killBeforeCommitArmed: killBeforeCommitArmed, pendingRejections: broker.pendingRejections,
                        outbox: outbox, dedupHits: dedupHits)
    }
}
