import Bus
import Events
import KafkaClient
import Logging
import Services

/// The whole order flow on one virtual clock: the cluster and its group coordinator, the three
/// services and their consumers, the outbox relay, the traffic generator and the fault injector.
///
/// Single-threaded and deterministic: the same config, seed and actions at the same virtual
/// times produce the same records, databases and reports. This file holds the clock; the
/// traffic, the consumer loops, the relay loop, actions and sampling live beside it.
package final class Simulation {
    package let config: OrderflowConfig
    package let cluster: Cluster
    package let coordinator: GroupCoordinator
    package let orderService: OrderService
    package let paymentService: PaymentService
    package let notificationService: NotificationService
    package let relay: OutboxRelay
    /// The services' producers: order-service's (its publish and the outbox relay) and
    /// payment-service's. Notification-service only consumes; with dead-letter topics it gets
    /// one for its dead-letter records (order-service's and payment-service's send theirs).
    package let orderProducer: Producer
    package let paymentProducer: Producer
    package let notificationProducer: Producer?
    /// Every producer above, in that order.
    package let producers: [Producer]
    package var provider: PaymentProvider { paymentService.provider }
    package internal(set) var now = VirtualTime.zero

    /// Design, publish strategy and idempotency as they are now; orders placed earlier keep theirs.
    package internal(set) var settings: FlowSettings
    package internal(set) var trafficOn: Bool
    package internal(set) var trafficRate: Double
    /// Orders the API rejected: order-service was down, or its database failed the commit.
    package internal(set) var rejectedOrders = 0
    /// The order service is down (after a crash) until then; orders placed meanwhile are rejected.
    package internal(set) var orderServiceDownUntil: VirtualTime?
    /// How many more orders the traffic generator may place; nil for no limit.
    package internal(set) var trafficRemaining: Int?
    /// The next order placed will be committed and its publish never happen; the service is then down this long.
    package internal(set) var crashArmed: VirtualDuration?
    /// Records a poll returns at most (`max.poll.records`); starts as the config's, a lesson changes it.
    package internal(set) var maxPollRecords: Int
    /// The next payment-service instance to finish a record dies before committing it.
    package internal(set) var killBeforeCommitArmed = false
    /// The first storage failure (a database that could not be written or read), as one line
    /// naming the database: a run that lost a write must say so, never only in the log.
    package internal(set) var storageFailure: String?
    /// Every reconciliation sweep taken so far (the `reconcile` and `repair` actions), oldest first.
    package internal(set) var sweeps: [ReconciliationReport] = []
    /// Records sent to a dead-letter topic and acknowledged, and what a redrive sent back.
    package internal(set) var deadLetters = DeadLetterCounts()
    /// The keys (order ids) of every record dead-lettered so far.
    var deadLetteredKeys: Set<String> = []
    /// Per dead-letter partition, the next offset a redrive sends back.
    var redriveCursors: [TopicPartition: Int64] = [:]
    /// Group settings as lessons change them, and the rolling deploys (`RollingDeploy.swift`).
    var groups = GroupRuntime()

    /// Whether idle stretches are jumped over (`IdleTime.swift`). Only the test that holds the
    /// jump to the bytes of a run without it turns this off.
    package var skipsIdleTime = true
    /// Jobs the clock has run so far: what idle time costs, counted rather than timed.
    package private(set) var jobsRun = 0
    /// Actions performed so far, at once or scheduled: with `now` and `jobsRun`, whether
    /// anything could have changed since a snapshot was taken.
    package internal(set) var actionsPerformed = 0

    /// Called with every record the log accepts, in append order (the `--events` export).
    package var recordObservers: [(Record) -> Void] = []
    /// Called with every order order-service accepted, as its API answered: where the event
    /// went, or that its publish did not happen (what a test injects, it can count here).
    package var orderObservers: [(PlacedOrder) -> Void] = []

    /// Where the databases are, to name them in a storage failure.
    let databases: DatabaseLocation
    var scheduler = Scheduler<Job>()
    var instances: [ConsumerInstance] = []
    var random: SeededRandom
    var trafficGeneration = 0
    var relayPassScheduled = false
    /// Lost records already in the Events pane's feed.
    var lostRecordsNoted = 0
    /// Event ids for the repair's republished events, apart from the traffic's stream.
    var repairRandom: SeededRandom
    let logger: Logger
    let invariants: InvariantChecker
    var sampler: Sampler
    /// One SQLite transaction for many jobs' writes while the clock runs.
    let writeBatch: WriteBatch

    package init(
        config: OrderflowConfig, databases: DatabaseLocation = .inMemory,
        logger: Logger = Logger(label: "orderflow", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws {
        self.config = config
        self.logger = logger
        self.databases = databases
        random = SeededRandom(seed: config.seed, stream: "simulation")
        repairRandom = SeededRandom(seed: config.seed, stream: "reconciliation")
        settings = config.flow
        trafficOn = config.trafficAuto
        trafficRate = config.trafficRate
        maxPollRecords = config.maxPollRecords
        // Older records wait in a temporary file (bounded memory at any speed); without one,
        // for example when no temporary directory is writable, they all stay in memory.
        cluster = Cluster(
            topics: config.clusterTopics, retention: config.retention, spill: try? TemporaryLogSpill(),
            config: config.cluster
        )
        coordinator = GroupCoordinator(cluster: cluster)
        orderProducer = Producer(clientId: "order-service", cluster: cluster, config: config.producer)
        paymentProducer = Producer(clientId: "payment-service", cluster: cluster, config: config.producer)
        notificationProducer =
            config.deadLetter
            ? Producer(clientId: "notification-service", cluster: cluster, config: config.producer) : nil
        producers = [orderProducer, paymentProducer] + (notificationProducer.map { [$0] } ?? [])
        orderService = try OrderService(location: databases, producer: orderProducer, logger: logger)
        let provider = try PaymentProvider(
            location: databases, seed: config.seed,
            latency: config.providerLatencyMin.milliseconds...config.providerLatencyMax.milliseconds,
            failureRate: config.providerFailureRate)
        provider.limitCents = config.providerLimitCents
        paymentService = try PaymentService(
            location: databases, producer: paymentProducer, provider: provider, seed: config.seed, logger: logger)
        notificationService = try NotificationService(location: databases, logger: logger)
        relay = OutboxRelay(outbox: orderService.outbox, producer: orderProducer, logger: logger)
        invariants = InvariantChecker(
            orders: orderService.database, ledger: provider.database,
            emails: notificationService.database, stuckAfter: config.stuckPendingAfter)
        sampler = Sampler(topics: config.clusterTopics)
        writeBatch = WriteBatch(
            writers: [orderService.database, provider.database, paymentService.database, notificationService.database],
            location: databases)

        cluster.onAppend = { [unowned self] record in self.recordAppended(record) }
        cluster.observeTruncations { [unowned self] truncation in
            self.invariants.forget(truncation.removed)
            self.noteLostRecords()
        }
        for producer in producers {
            producer.onError = { [unowned self] e in
                self.sampler.clusterEvent(
                    .init(
                        time: e.time, topic: e.topic, partition: e.partition, key: e.key,
                        what: (e.gaveUp ? "FAILED " : "retry ") + e.error, final: e.gaveUp))
            }
        }
        relay.onStorageFailure = { [unowned self] error in self.storageFailed("orders.sqlite", error) }
        orderService.onOptimisticWrite = { [unowned self] orderId, now in
            self.notificationService.sendFromOrderWrite(orderId: orderId, now: now)
        }
        let autoCommit = config.commit == .auto ? KafkaConsumer.AutoCommit(interval: config.autoCommitInterval) : nil
        for service in ServiceName.allCases {
            coordinator.ensureGroup(service.rawValue, config: config.groupConfig)
            for number in 1...config.instances(of: service) {
                instances.append(
                    ConsumerInstance(service: service, number: number, coordinator: coordinator, autoCommit: autoCommit)
                )
                start(instances.count - 1)
            }
            // The services were deployed before the class watches: the clock starts on Stable
            // groups, so their first join round is no lesson's business (and `latest` skips nothing).
            coordinator.formGroup(service.rawValue)
        }
        scheduler.schedule(.sample, at: now + .seconds(1))
        scheduleNextArrival()
    }

    // MARK: Running the clock

    /// Runs every job due up to `target` and leaves the clock there. A target in the past is
    /// taken as now: the clock only moves forward.
    package func advance(to target: VirtualTime) {
        let target = max(target, now)
        batchWrites(true)
        defer {
            batchWrites(false)
            if storageFailure == nil, let failure = cluster.storageFailure { storageFailure = failure }
        }
        while true {
            let next: VirtualTime
            let deadline = nextClientDeadline()
            switch (scheduler.nextTime, deadline) {
            case (let job?, let deadline?): next = min(job, deadline)
            case (let job?, nil): next = job
            case (nil, let deadline?): next = deadline
            case (nil, nil): next = target + .milliseconds(1)
            }
            guard next <= target else { break }
            let horizon = min(deadline ?? target + .milliseconds(1), target + .milliseconds(1))
            if skipsIdleTime, skipIdleTime(before: horizon) { continue }
            now = max(now, next)
            advanceClients()
            while let (_, job) = scheduler.popDue(atOrBefore: now) {
                jobsRun += 1
                run(job)
                batchWrites(nil)
            }
        }
        now = target
        advanceClients()
    }

    /// The broker side's deadlines (replication, group timeouts) and the producers' (retries,
    /// delivery timeouts): what runs on the clock besides the scheduler's jobs.
    func nextClientDeadline() -> VirtualTime? {
        // Every step of the clock asks: plain comparisons, nothing allocated.
        var next = cluster.nextDeadline()
        func consider(_ time: VirtualTime?) {
            guard let time else { return }
            if next.map({ time < $0 }) ?? true { next = time }
        }
        consider(coordinator.nextDeadline())
        for producer in producers where producer.inFlight > 0 { consider(producer.nextDeadline()) }
        return next
    }

    private func advanceClients() {
        coordinator.advance(to: now)
        for producer in producers { producer.advance(to: now) }
    }

    package func advance(by duration: VirtualDuration) { advance(to: now + duration) }

    /// Opens (`true`), counts a job in (`nil`) or commits (`false`) the shared write transaction.
    /// A failure there is a storage failure like any other write's.
    private func batchWrites(_ open: Bool?) {
        do {
            switch open {
            case true?: try writeBatch.begin()
            case nil: try writeBatch.jobDone()
            case false?: try writeBatch.commit()
            }
        } catch {
            storageFailed("databases", error)
        }
    }

    /// Records the first storage failure, naming the database (a file under `--db-dir`).
    func storageFailed(_ database: String, _ error: any Error) {
        logger.error("\(database): \(error)")
        guard storageFailure == nil else { return }
        let name: String
        switch databases {
        case .inMemory: name = "\(database) (in memory)"
        case .directory(let dir): name = dir + "/" + database
        }
        // GRDB appends the whole statement; the reason is what comes before it.
        let reason = String(describing: error).components(separatedBy: " - while executing").first ?? ""
        storageFailure = "\(name): \(reason.split(separator: "\n").first ?? "")"
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
        case .pollIntervalCheck(let i, let incarnation, let poll):
            guard instances[i].incarnation == incarnation else { return }
            pollIntervalExpired(i, poll: poll)
        case .restart(let i, let incarnation):
            guard instances[i].incarnation == incarnation else { return }
            start(i)
        case .orderServiceBack:
            orderServiceBack()
        case .relayPass:
            relayPassScheduled = false
            runRelayPass()
        case .relayRestart:
            relayRestarted()
        case .scheduledOrder:
            placeOrder()
        case .sample:
            sample()
            scheduler.schedule(.sample, at: now + .seconds(1))
        case .action(let action):
            perform(action)
        case .deployStop(let i, let downtime):
            deployStop(i, downtime: downtime)
        case .deployEnds(let index):
            deployEnded(index)
        case .regroupCheck(let service):
            regroupIfReady(service)
        }
    }
}
