import Bus

/// Where a narrated scenario stands, as the Narration pane shows it.
package struct ScenarioProgress: Sendable, Equatable {
    package var name: String
    package var description: String
    package var guided: Bool
    /// How many steps narrate ("Step 2 of 5" counts only those).
    package var narratedSteps: Int
    package struct Narration: Sendable, Equatable {
        /// 1-based, among the narrated steps.
        package var number: Int
        package var text: String
        /// The service the step is about, shown first by the panes.
        package var focus: String?
        /// The step's `expect:` claims that were false when it ran, each with the run's value.
        package var falseClaims: [String] = []

        package init(number: Int, text: String, focus: String? = nil, falseClaims: [String] = []) {
            self.number = number
            self.text = text
            self.focus = focus
            self.falseClaims = falseClaims
        }
    }

    /// The narrated step that ran last; nil before the first.
    package var current: Narration?
    /// When the next narrated step runs (the next one the class reads); nil once none is left.
    package var nextStepAt: VirtualTime?
    /// Guided mode is holding the clock at the current step until the trainer goes on.
    package var waiting: Bool

    package init(
        name: String, description: String, guided: Bool, narratedSteps: Int, current: Narration? = nil,
        nextStepAt: VirtualTime? = nil, waiting: Bool
    ) {
        self.name = name
        self.description = description
        self.guided = guided
        self.narratedSteps = narratedSteps
        self.current = current
        self.nextStepAt = nextStepAt
        self.waiting = waiting
    }
}

/// One `expect:` claim, checked when its step ran.
package struct ClaimCheck: Sendable, Equatable {
    package var step: Scenario.Step
    package var at: VirtualTime
    package var claim: Claim
    /// The run's value when the claim is false; nil when it holds.
    package var actual: String?

    /// `lag of payment-service is 0 — actually 2`: the claim and what the run had.
    package var verdict: String { claim.text + (actual.map { " — actually \($0)" } ?? "") }
}

/// Plays a scenario on a simulation whose clock someone else drives (the dashboard): the steps
/// run as the clock passes them, and in guided mode the clock stops at each narrated step until
/// `proceed()`.
package final class ScenarioPlayer {
    package let scenario: Scenario
    /// A guided run holds the clock at each narrated step; a replay plays guided whatever the run was.
    package var guided: Bool
    private var next = 0
    private var narrated = 0
    private var current: ScenarioProgress.Narration?
    package private(set) var waiting = false
    /// Every claim checked so far, in the order the steps ran.
    package private(set) var checks: [ClaimCheck] = []

    package init(scenario: Scenario, guided: Bool) {
        self.scenario = scenario
        self.guided = guided
    }

    /// How many steps have run; with `narratedRun`, where a recorded key press happened.
    package var stepsRun: Int { next }
    /// How many narrated steps have run.
    package var narratedRun: Int { narrated }
    /// When the next step is due; nil once every step has run.
    package var nextStepAt: VirtualTime? { next < scenario.steps.count ? .zero + scenario.steps[next].at : nil }

    /// When the next narrated step is due; nil when none is left.
    package var nextNarratedAt: VirtualTime? {
        scenario.steps[next...].first { $0.narration != nil }.map { .zero + $0.at }
    }

    /// Holds the clock here until `proceed()`, as a guided run does at a narrated step.
    package func hold() { waiting = true }

    package var progress: ScenarioProgress {
        ScenarioProgress(
            name: scenario.name, description: scenario.description, guided: guided,
            narratedSteps: scenario.narratedSteps, current: current,
            nextStepAt: nextNarratedAt, waiting: waiting)
    }

    /// Moves the clock to `target`, running every step due on the way; in guided mode it stops
    /// early, at the first narrated step, and waits.
    package func advance(_ sim: Simulation, to target: VirtualTime) {
        while !waiting, next < scenario.steps.count {
            let step = scenario.steps[next]
            let due = VirtualTime.zero + step.at
            guard due <= target else { break }
            if due > sim.now { sim.advance(to: due) }
            next += 1
            if let action = step.action { sim.perform(action) }
            var falseClaims: [String] = []
            if !step.claims.isEmpty {
                // The claims are about this instant: after the step's action, before anything else runs.
                let snapshot = sim.snapshot()
                for claim in step.claims {
                    let check = ClaimCheck(step: step, at: sim.now, claim: claim, actual: claim.failure(in: snapshot))
                    checks.append(check)
                    if check.actual != nil { falseClaims.append(check.verdict) }
                }
            }
            if let text = step.narration {
                narrated += 1
                current = ScenarioProgress.Narration(
                    number: narrated, text: text, focus: step.focus, falseClaims: falseClaims)
                if guided { waiting = true }
            }
        }
        if !waiting && target > sim.now { sim.advance(to: target) }
    }

    /// Guided mode: lets the clock run on to the next narrated step.
    package func proceed() {
        waiting = false
    }
}
