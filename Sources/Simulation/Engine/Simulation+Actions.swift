import Bus
import Events
import Services

/// The fault injector and the lesson switches: every `SimulationAction` applied now or at a
/// scheduled virtual time, each answering with an `ActionOutcome`.
extension Simulation {
    /// Applies an action now and says what it did.
    @discardableResult
    package func perform(_ action: SimulationAction) -> ActionOutcome {
        actionsPerformed += 1
        switch action {
        case .placeOrders(let n):
            var accepted: [PlacedOrder] = []
            var rejected = 0
            for _ in 0..<max(0, n) {
                if let placed = placeOrder() { accepted.append(placed) } else { rejected += 1 }
            }
            return .placed(accepted: accepted, rejected: rejected)
        case .placeOrdersOfAmount(let n, let cents):
            var accepted: [PlacedOrder] = []
            var rejected = 0
            for _ in 0..<max(0, n) {
                if let placed = placeOrder(amountCents: cents) { accepted.append(placed) } else { rejected += 1 }
            }
            return .placed(accepted: accepted, rejected: rejected)
        case .placeOrdersOver(let count, let over):
            for k in 0..<max(0, count) {
                let offset = over.milliseconds.multipliedReportingOverflow(by: Int64(k))
                let at = offset.overflow ? over.milliseconds : offset.partialValue / Int64(max(1, count))
                scheduler.schedule(.scheduledOrder, at: now + .milliseconds(at))
            }
            return .scheduled(orders: max(0, count))
        case .setDesign(let design):
            settings.design = design
            return .changed
        case .setPublish(let publish):
            settings.publish = publish
            return .changed
        case .setIdempotency(let idempotency):
            settings.idempotency = idempotency
            return .changed
        case .setTraffic(let on):
            // Turning on what is on changes nothing: the next arrival keeps its time and the
            // random stream is not drawn again.
            guard on != trafficOn else { return .changed }
            trafficOn = on
            scheduleNextArrival()
            return .changed
        case .setTrafficRate(let rate):
            trafficRate = max(0, rate)
            scheduleNextArrival()
            return .changed
        case .stop(let service):
            return .instances(indices(of: service).filter { requestStop($0) }.map { instances[$0].clientId })
        case .start(let service):
            let down = indices(of: service).filter { instances[$0].isDown }
            for i in down { start(i) }
            return .instances(down.map { instances[$0].clientId })
        case .rollingDeploy(let service, let downtime, let every):
            return rollingDeploy(service, downtime: downtime, every: every)
        case .regroup(let service, let change):
            return regroup(service, change)
        case .kill(let service, let number):
            let killed = indices(of: service).filter { number == nil || instances[$0].number == number }
                .filter { kill($0, restartAt: nil) }
            return .instances(killed.map { instances[$0].clientId })
        case .crashMidPublish(let downtime):
            crashArmed = downtime ?? config.orderServiceCrashDowntime
            return .armed(inUse: true)
        case .killPaymentBeforeCommit:
            killBeforeCommitArmed = true
            return .armed(inUse: true)
        case .killBroker(let id):
            return .brokers(cluster.killBroker(id, now: now) ? [id] : [])
        case .stopBroker(let id):
            return .brokers(cluster.stopBroker(id, now: now) ? [id] : [])
        case .restartBroker(let id):
            return .brokers(cluster.restartBroker(id, now: now) ? [id] : [])
        case .stallBroker(let id):
            return .brokers(cluster.setFetching(id, false, now: now) ? [id] : [])
        case .resumeBroker(let id):
            return .brokers(cluster.setFetching(id, true, now: now) ? [id] : [])
        case .setAcks(let acks):
            for producer in producers { producer.config.acks = acks }
            return .changed
        case .setProducerIdempotence(let on):
            for producer in producers { producer.config.enableIdempotence = on }
            return .changed
        case .setUncleanLeaderElection(let on):
            guard !cluster.config.isSingleReplica else { return .brokers([]) }
            cluster.setUncleanLeaderElection(on, now: now)
            return .changed
        case .electUnclean:
            return .elected(cluster.electUnclean(now: now))
        case .setProviderLimit(let cents):
            provider.limitCents = cents.map { max(1, $0) }
            return .changed
        case .redrive:
            return redrive()
        case .slowProvider(let factor):
            provider.slowdown = max(1, factor)
            return .changed
        case .setMaxPollRecords(let n):
            maxPollRecords = min(max(1, n), 100_000)
            return .changed
        case .crashOutboxRelay:
            relay.crashArmed = true
            return .armed(inUse: settings.publish == .outbox || relay.pending > 0)
        case .cancel(let orderId):
            return cancelOrder(orderId)
        case .cancelNewestPending(let n):
            let newest = orderService.board.recent.reversed().filter { $0.status == .pendingPayment }.prefix(max(0, n))
            var cancelled: [String] = []
            for order in newest {
                switch cancelOrder(order.orderId) {
                case .cancelled(let ids): cancelled += ids
                case .rejected(.orderServiceDown): return .rejected(.orderServiceDown)
                default: continue
                }
            }
            return .cancelled(cancelled)
        case .reconcile:
            let sweep = reconcile()
            sweeps.append(sweep)
            return .swept(sweep)
        case .repair:
            let sweep = repair()
            sweeps.append(sweep)
            return .swept(sweep)
        case .rejectSends(let n):
            cluster.rejectNextSends(n)
            return .rejectingSends(cluster.pendingRejections)
        case .poison(let topic):
            let outcome = try? cluster.produce(
                topic: topic, key: Array("poison".utf8), value: Array("\u{00}not an event".utf8),
                headers: RecordHeaders(eventType: "Poison", eventId: random.uuid(), correlationId: "poison"),
                timestamp: now, acks: .leader)
            return .appended(outcome?.metadata)
        }
    }

    /// Schedules an action at a virtual time (a scenario step).
    package func schedule(_ action: SimulationAction, at time: VirtualTime) {
        scheduler.schedule(.action(action), at: max(time, now))
    }
}
