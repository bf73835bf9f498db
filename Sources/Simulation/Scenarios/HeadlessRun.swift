import Bus

/// What `orderflow simulate` runs: traffic for a while or for a number of orders, the
/// scenario's actions at their times, then a drain.
public struct HeadlessRun: Sendable {
    /// Stop the traffic after this many orders were attempted.
    public var orders: Int?
    /// Stop the traffic at this virtual time.
    public var duration: VirtualDuration?
    public var scenario: Scenario?

    public init(orders: Int? = nil, duration: VirtualDuration? = nil, scenario: Scenario? = nil) {
        self.orders = orders
        self.duration = duration
        self.scenario = scenario
    }

    /// Runs to the end and returns whether the consumers drained before the deadline.
    public func run(_ sim: Simulation) -> Bool {
        for step in scenario?.steps ?? [] {
            if let action = step.action { sim.schedule(action, at: .zero + step.at) }
        }
        let trafficEnd: VirtualTime? =
            duration.map { .zero + $0 } ?? (orders == nil ? .zero + sim.config.simulateDuration : nil)
        let scenarioEnd = VirtualTime.zero + (scenario?.lastStepTime ?? .zero)
        if let orders {
            sim.limitTraffic(to: orders)
        }
        sim.perform(.setTraffic(on: sim.trafficRate > 0))
        // Traffic phase: until the order budget or the duration runs out, and every step has run.
        while true {
            // An order budget with no traffic left to spend it ends the phase too.
            let budgetDone =
                orders != nil && (sim.trafficRemaining == 0 || (sim.trafficRate <= 0 && sim.now >= scenarioEnd))
            let trafficDone = budgetDone || (trafficEnd.map { sim.now >= $0 } ?? false)
            if trafficDone && sim.now >= scenarioEnd { break }
            var next = sim.now + .seconds(1)
            if let trafficEnd, sim.now < trafficEnd { next = min(next, trafficEnd) }
            if sim.now < scenarioEnd { next = min(next, scenarioEnd) }
            sim.advance(to: next)
        }
        sim.perform(.setTraffic(on: false))
        return sim.runUntilDrained(deadline: sim.now + sim.config.drainDeadline)
    }
}
