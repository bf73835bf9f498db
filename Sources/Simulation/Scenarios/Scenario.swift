import Bus
import Events
import Foundation
import Services
import Yams

/// A timeline of actions at virtual times, read from YAML:
///
///     - {at: 30s, do: stop, service: payment-service}
///     - {at: 20m30s, do: start, service: payment-service, say: "The deploy is over."}
///
/// or a mapping with `name`, `description` and `steps` holding such a list. A step's `say` is
/// what the Narration pane shows when it runs; a step may only narrate, with no `do`.
package struct Scenario: Sendable, Equatable {
    package struct Step: Sendable, Equatable {
        package var at: VirtualDuration
        package var action: SimulationAction?
        package var narration: String?
        /// What the narrated step is about: a service (and so its group), shown first.
        package var focus: String?
        /// Where the step is in its file, for errors found once the config is known.
        package var line: Int?
        /// Its path in the file, such as `steps[3]`.
        package var path: String?
        /// What the step claims about the run once it has run (`expect:`).
        package var claims: [Claim] = []

        package init(
            at: VirtualDuration, action: SimulationAction? = nil, narration: String? = nil, focus: String? = nil,
            line: Int? = nil
        ) {
            self.at = at
            self.action = action
            self.narration = narration
            self.focus = focus
            self.line = line
        }
    }

    package var name: String
    package var description: String
    /// The file it came from, for errors found once the config is known.
    package var file = ""
    /// Where the scenario stands in the teaching order `orderflow scenarios` lists.
    package var lesson: Int?
    /// The dashboard's speed when the scenario starts, as a multiplier (nil: `max`); unset keeps 1×.
    package var speed: Double??
    /// In time order; steps at the same time keep their file order.
    package var steps: [Step]
    /// The file's text when it has a `config:` block: settings the lesson needs (Kafka's
    /// `auto.offset.reset` left at latest would skip a backlog, say), applied over the run's
    /// config file and under its flags. Kept as text and read again, so errors keep their lines.
    var configSource: String?
    /// The `recorded:` block of a session recorded live (`Recording`).
    package var recordedWith: RecordingOrigin?

    package var lastStepTime: VirtualDuration { steps.map(\.at).max() ?? .zero }

    /// The steps that narrate: a guided run pauses at each, and "Step 2 of 5" counts them.
    package var narratedSteps: Int { steps.filter { $0.narration != nil }.count }

    package static func load(path: String) throws(InputError) -> Scenario {
        let text = try readInputFile(path)
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return try parse(text, file: path, name: name)
    }

    package static func parse(_ text: String, file: String, name: String) throws(InputError) -> Scenario {
        let root = try composeYAML(text, file: file)
        var scenario = Scenario(name: name, description: "", steps: [])
        scenario.file = file
        let list: Node
        switch root {
        case .none:
            throw InputError(file: file, line: nil, key: nil, message: "the scenario is empty")
        case .some(.sequence):
            list = root!
        case .some(let node):
            let top = try YAMLMapping(node, file: file, path: "")
            scenario.name = try top.string("name") ?? name
            scenario.description = try top.string("description") ?? ""
            scenario.lesson = try top.int("lesson", in: 1...999)
            if let speed = try top.string("speed") {
                guard let parsed = Self.speeds[speed.replacingOccurrences(of: "×", with: "x")] else {
                    throw top.error(
                        "speed", "expected one of 1x, 2x, 5x, 10x, 50x, 100x, max, got '\(speed.prefix(40))'")
                }
                scenario.speed = .some(parsed)
            }
            if let recorded = try top.mapping("recorded") {
                // Shown on screen: a file's text, so kept short and printable.
                let version = (try recorded.string("orderflow") ?? "unknown").prefix(40).filter {
                    !$0.isNewline && $0.isASCII && $0 >= " "
                }
                scenario.recordedWith = RecordingOrigin(
                    version: String(version), dbDir: try recorded.bool("dbDir") ?? false,
                    scenario: try recorded.string("scenario"))
                try recorded.finish()
            }
            if let block = top.node("config") {
                // Checked now, against the defaults, so a bad key fails when the scenario loads.
                var scratch = OrderflowConfig()
                try OrderflowConfig.apply(YAMLMapping(block, file: file, path: "config"), to: &scratch)
                scenario.configSource = text
            }
            guard let steps = top.node("steps") else {
                throw top.error("steps", "missing: a scenario needs a list of steps")
            }
            list = steps
            try top.finish()
        }
        guard case .sequence(let items) = list else {
            throw InputError(file: file, line: list.mark?.line, key: "steps", message: "expected a list of steps")
        }
        for (i, item) in items.enumerated() {
            scenario.steps.append(try step(item, file: file, path: "steps[\(i)]"))
        }
        // A stable sort: same-time steps keep their order in the file.
        scenario.steps = scenario.steps.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
            .map(\.element)
        return scenario
    }

    /// The run's config with the scenario's `config:` block applied over it.
    package func config(over base: OrderflowConfig) throws(InputError) -> OrderflowConfig {
        guard let configSource, let root = try YAMLMapping.document(configSource, file: file),
            let block = root.node("config")
        else { return base }
        var c = base
        try OrderflowConfig.apply(YAMLMapping(block, file: file, path: "config"), to: &c)
        return c
    }

    /// Checks what the file alone cannot: a step that names an instance or a broker the config
    /// does not run, or a broker fault where no partition has a second replica (the lesson would
    /// run without its failover, silently).
    package func validate(against config: OrderflowConfig) throws(InputError) {
        for step in steps {
            if let id = step.action?.brokerId, id > config.cluster.brokers { throw noBroker(id, step, config) }
            if step.action?.brokerId != nil, config.cluster.isSingleReplica {
                let c = config.cluster
                throw InputError(
                    file: file, line: step.line, key: (step.path.map { $0 + "." } ?? "") + "do",
                    message:
                        "a broker fault needs replicated partitions; the config runs \(c.brokers) broker\(c.brokers == 1 ? "" : "s") with replication factor \(c.replicationFactor) (bus.brokers, bus.replicationFactor; --brokers 3 runs the brokers lesson's cluster)"
                )
            }
            guard case .kill(let service, let number?) = step.action else { continue }
            let count = config.instances(of: service)
            guard number <= count else {
                throw InputError(
                    file: file, line: step.line, key: (step.path.map { $0 + "." } ?? "") + "instance",
                    message:
                        "\(service.rawValue) runs \(count) instance\(count == 1 ? "" : "s") in this config; there is no instance \(number)"
                )
            }
        }
    }

    private func noBroker(_ id: Int, _ step: Step, _ config: OrderflowConfig) -> InputError {
        let n = config.cluster.brokers
        return InputError(
            file: file, line: step.line, key: (step.path.map { $0 + "." } ?? "") + "broker",
            message: "the config runs \(n) broker\(n == 1 ? "" : "s") (bus.brokers); there is no broker \(id)")
    }
}
