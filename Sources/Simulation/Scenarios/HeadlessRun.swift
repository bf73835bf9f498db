import Bus

/// What `orderflow simulate` runs: traffic for a while or for a number of orders, the
/// scenario's steps at their times, then a drain.
///
/// The steps run through the same `ScenarioPlayer` the dashboard uses, so a scenario's result
/// does not depend on who advances the clock or in what steps: the dashboard at any speed and
/// this flat-out run produce the same bytes (`OneTruthTests`).
package struct HeadlessRun: Sendable {
    /// Stop the traffic after this many orders were attempted.
    package var orders: Int?
    /// Stop the traffic at this virtual time.
    package var duration: VirtualDuration?
    package var scenario: Scenario?

    package init(orders: Int? = nil, duration: VirtualDuration? = nil, scenario: Scenario? = nil) {
        self.orders = orders
        self.duration = duration
        self.scenario = scenario
    }

    /// Runs to the end and returns whether the consumers drained before the deadline.
    package func run(_ sim: Simulation) -> Bool { run(sim, goOn: { true }) ?? false }

    /// As `run`, asking `goOn()` at every stop (at most ten virtual seconds apart, and at every
    /// step of the drain): false ends the run where it is (Ctrl-C) and the answer is nil.
    package func run(_ sim: Simulation, goOn: () -> Bool) -> Bool? {
        let player = start(sim)
        while !trafficPhaseOver(sim) {
            guard goOn() else { return nil }
            advance(sim, player, to: nextStop(sim))
        }
        var stopped = false
        let drained = finish(sim) {
            stopped = stopped || !goOn()
            return stopped
        }
        return stopped ? nil : drained
    }

    /// Sets the run up and plays the steps due at time zero. Without a scenario the traffic is
    /// turned on (that is what `simulate` is for); with one, the config and the scenario decide,
    /// exactly as in the dashboard.
    package func start(_ sim: Simulation) -> ScenarioPlayer? {
        if let orders { sim.limitTraffic(to: orders) }
        let player = scenario.map { ScenarioPlayer(scenario: $0, guided: false) }
        if let player {
            player.advance(sim, to: sim.now)
        } else {
            sim.perform(.setTraffic(on: sim.trafficRate > 0))
        }
        return player
    }

    /// When the traffic stops by the clock: `--duration`, else the config's `simulate.duration`
    /// unless an order budget ends the run instead.
    package func trafficEnd(_ sim: Simulation) -> VirtualTime? {
        duration.map { .zero + $0 } ?? (orders == nil ? .zero + sim.config.simulateDuration : nil)
    }

    package var scenarioEnd: VirtualTime { .zero + (scenario?.lastStepTime ?? .zero) }

    /// The traffic phase is over once every step has run and the duration has passed or the
    /// order budget is spent (or can no longer be spent: the traffic is off or has no rate).
    package func trafficPhaseOver(_ sim: Simulation) -> Bool {
        // The longest run orderflow takes ends the traffic whatever else is pending.
        if sim.now >= .zero + VirtualDuration.maximum { return true }
        guard sim.now >= scenarioEnd else { return false }
        if let end = trafficEnd(sim), sim.now >= end { return true }
        guard orders != nil else { return false }
        return sim.trafficRemaining == 0 || !sim.trafficOn || sim.trafficRate <= 0
    }

    /// The next virtual time the run stops to look at its state: at most a second on while an
    /// order budget may end the traffic; without one only the clock ends it, so the run stops
    /// only ten virtual seconds apart, for `goOn` (where it stops changes nothing else).
    package func nextStop(_ sim: Simulation) -> VirtualTime {
        var next = sim.now + (orders == nil ? .seconds(10) : .seconds(1))
        // A quiet stretch has nothing to look at: past it in one go (the idle jump makes it cheap).
        if orders == nil, sim.skipsIdleTime {
            next = max(next, sim.quietUntil(atLeast: next) ?? .zero + VirtualDuration.maximum)
        }
        if let end = trafficEnd(sim), sim.now < end { next = min(next, end) }
        if sim.now < scenarioEnd { next = min(next, scenarioEnd) }
        return next
    }

    /// Plays every step and answers the claims they made (`orderflow scenarios check`): the
    /// traffic runs as it would until the last step, and nothing drains.
    package func playSteps(_ sim: Simulation) -> [ClaimCheck] {
        guard let player = start(sim) else { return [] }
        player.advance(sim, to: scenarioEnd)
        return player.checks
    }

    /// Stops the traffic and drains: the same ending whoever ran the traffic phase.
    package func finish(_ sim: Simulation, stop: () -> Bool = { false }) -> Bool {
        sim.perform(.setTraffic(on: false))
        return sim.runUntilDrained(deadline: sim.now + sim.config.drainDeadline, stop: stop)
    }

    private func advance(_ sim: Simulation, _ player: ScenarioPlayer?, to target: VirtualTime) {
        if let player { player.advance(sim, to: target) } else { sim.advance(to: target) }
    }
}
