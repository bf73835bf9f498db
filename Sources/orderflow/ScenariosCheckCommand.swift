import ArgumentParser
import Simulation

/// `orderflow scenarios check`: plays each scenario headless and checks every `expect:` claim
/// at the moment its step ran. Exit 1 names each false claim with the run's value.
struct ScenariosCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Play scenarios headless and check their steps' expect: claims (exit 1 names each false one).",
        discussion:
            "With no NAME, every shipped scenario. A claim is checked right after its step ran, as the class sees it.")

    @OptionGroup var options: RunOptions

    @Argument(help: "Scenario names (see 'orderflow scenarios') or YAML files; none: every shipped scenario.")
    var scenarios: [String] = []

    func validate() throws {
        // Each scenario plays on fresh databases; files from one would block the next.
        if options.dbDir != nil { throw ValidationError("scenarios check runs in memory; drop --db-dir") }
    }

    func run() throws {
        let catalog = ScenarioCatalog()
        let loaded =
            try scenarios.isEmpty ? catalog.all() : scenarios.map { name throws(InputError) in try catalog.load(name) }
        guard !loaded.isEmpty else {
            throw InputError(file: "scenarios", line: nil, key: nil, message: "no scenario files found to check")
        }
        var output: [String] = []
        var falseClaims = 0
        for scenario in loaded {
            let settings = try options.settings(scenario: scenario)
            try scenario.validate(against: settings)
            let sim = try options.makeSimulation(settings, log: nil)
            let checks = HeadlessRun(scenario: scenario).playSteps(sim)
            let failed = checks.filter { $0.actual != nil }
            falseClaims += failed.count
            let steps = Set(checks.map { $0.step.path ?? "" }).count
            if checks.isEmpty {
                output.append("\(scenario.name): no expect: claims to check")
            } else if failed.isEmpty {
                output.append(
                    "\(scenario.name): \(checks.count) claim\(checks.count == 1 ? "" : "s") at \(steps) step\(steps == 1 ? "" : "s") hold"
                )
            } else {
                output.append("\(scenario.name): \(failed.count) of \(checks.count) claims false")
            }
            for check in failed {
                let line = check.claim.line.map { ":\($0)" } ?? ""
                output.append(
                    "  \(scenario.file)\(line): \(check.claim.key): \(check.verdict) (at \(check.at))")
            }
        }
        try writeStandardOutput(output.joined(separator: "\n"))
        if falseClaims > 0 { throw ClaimsFailed(count: falseClaims) }
    }
}

/// Some claim was false: exit 1, the claims already printed.
struct ClaimsFailed: Error, CustomStringConvertible {
    var count: Int
    var description: String { "\(count) claim\(count == 1 ? " is" : "s are") false" }
}
