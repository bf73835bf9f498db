import Bus
import Events
import Services

/// The traffic generator and order-service's front door: POST /orders and cancel, and the
/// crash that takes the service down between its commit and its publish.
extension Simulation {
    /// Lets the traffic generator place only `count` more orders.
    package func limitTraffic(to count: Int) {
        trafficRemaining = max(0, count)
    }

    /// Poisson arrivals at the current rate; a new generation voids the arrival already scheduled.
    func scheduleNextArrival() {
        trafficGeneration += 1
        guard trafficOn, trafficRate > 0 else { return }
        // A rate so low that the next order would come after the longest run orderflow takes
        // places no order at all (and never overflows the clock).
        let wait = max(1, Int64(clampingMilliseconds: random.exponentialSeconds(rate: trafficRate) * 1000))
        guard wait <= VirtualDuration.maximum.milliseconds else { return }
        scheduler.schedule(.arrival(generation: trafficGeneration), at: now + .milliseconds(wait))
    }

    /// Places one random order through the order service, as a client's POST /orders would;
    /// `amountCents` replaces the drawn amount (drawn all the same, so the stream stays in step).
    @discardableResult
    package func placeOrder(amountCents: Int? = nil) -> PlacedOrder? {
        if orderServiceDownUntil != nil {
            rejectedOrders += 1
            return nil
        }
        let orderId = random.uuid()
        let eventId = random.uuid()
        let customer = "C-" + String(random.int(in: 1...config.customers)).leftPadded(to: 4)
        let drawn = random.int(in: config.amountCentsMin...config.amountCentsMax)
        let amount = amountCents ?? drawn
        let currency = config.currencies[random.int(in: 0...config.currencies.count - 1)]
        let crash = crashArmed
        crashArmed = nil
        do {
            let placed = try orderService.placeOrder(
                orderId: orderId, eventId: eventId, customerId: customer, amountCents: amount,
                currency: currency, now: now, settings: settings, crashBeforePublish: crash != nil)
            if let crash { crashOrderService(downtime: crash) }
            scheduleRelayPass()
            for observer in orderObservers { observer(placed) }
            return placed
        } catch {
            storageFailed("orders.sqlite", error)
            rejectedOrders += 1
            return nil
        }
    }

    /// A customer's cancel through the order service's API.
    func cancelOrder(_ orderId: String) -> ActionOutcome {
        guard orderServiceDownUntil == nil else { return .rejected(.orderServiceDown) }
        if orderService.cancel(orderId, now: now) { return .cancelled([orderId]) }
        let status = (try? orderService.order(orderId))??.status
        return .rejected(.notCancellable(orderId: orderId, status: status))
    }

    /// A customer's cancel; false unless the order was PENDING_PAYMENT and order-service up.
    @discardableResult
    package func cancel(_ orderId: String) -> Bool {
        cancelOrder(orderId) == .cancelled([orderId])
    }

    func crashOrderService(downtime: VirtualDuration) {
        let back = now + downtime
        orderServiceDownUntil = back
        relay.state = .down
        for i in indices(of: .order) { kill(i, restartAt: back) }
        scheduler.schedule(.orderServiceBack, at: back)
    }

    func orderServiceBack() {
        guard let until = orderServiceDownUntil, until <= now else { return }
        orderServiceDownUntil = nil
        relay.state = .running
        scheduleRelayPass()
    }
}
