import ArgumentParser
import Dashboard
import Foundation
import Simulation
import TerminalUI

struct OrderflowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orderflow",
        abstract:
            "An order flow on an in-process Kafka-like bus: three services, two topics, and the failures between them.",
        discussion: """
            With no subcommand, orderflow opens the live dashboard (press ? in it for the keys).
            'orderflow --scenario outage-honest --guided' plays a narrated scenario in it.
            'orderflow simulate' runs the same flow headless and prints a summary or a JSON report.
            'orderflow scenarios' lists the narrated scenarios.
            """,
        subcommands: [DashboardCommand.self, SimulateCommand.self, ScenariosCommand.self],
        defaultSubcommand: DashboardCommand.self)
}

struct DashboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract:
            "The live dashboard (the default): panes for orders, topics, consumer groups, services, events and invariants."
    )

    @OptionGroup var options: RunOptions

    @Option(name: .long, help: "Play a narrated scenario: a name from 'orderflow scenarios' or a YAML file.")
    var scenario: String?

    @Flag(name: .long, help: "With --scenario: stop the clock at each narrated step until g.")
    var guided = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Record the session as a scenario file (written when w stops it, and at quit).",
            discussion:
                "Every key that changes the run, at its virtual time, with the config and seed: --scenario FILE replays it. Without --record, w starts a recording and names its file."
        ))
    var record: String?

    func validate() throws {
        if guided && scenario == nil { throw ValidationError("--guided needs --scenario NAME") }
        if record?.isEmpty == true { throw ValidationError("--record needs a path, got an empty one") }
    }

    func run() throws {
        let (loaded, settings) = try options.scenarioAndSettings(scenario)
        let player = loaded.map { ScenarioPlayer(scenario: $0, guided: guided) }
        try options.checkOutputs(scenario: scenario, outputs: [("--record", record)])
        if let record { try TrainerFiles.checkWritable(record, key: "--record") }
        let log = try options.openLog()
        let sim = try options.makeSimulation(settings, log: log)
        // A restart or a step back replays into fresh databases: possible only in memory.
        let options = self.options
        let fresh: (() throws -> Simulation)? =
            options.dbDir == nil ? { try options.makeSimulation(settings, log: log) } : nil
        let controller = DashboardController(simulation: sim, player: player, makeSimulation: fresh)
        let files = TrainerFiles(recordPath: record, directory: FileManager.default.currentDirectoryPath)
        controller.recordingOrigin = RecordingOrigin(dbDir: options.dbDir != nil)
        controller.saveRecording = files.save
        if record != nil { controller.startRecording() }
        try DashboardLoop.run(controller)
        // A recording still running is written now: quitting never loses a session.
        if controller.recordingSince != nil { print("orderflow: " + controller.stopRecording()) }
        // The terminal is restored by now: a storage failure shown on screen is repeated here.
        if let failure = controller.simulation.storageFailure { throw OutputFailure(description: failure) }
        if let failure = log?.failure { throw OutputFailure(description: failure) }
    }
}

struct ScenariosCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenarios",
        abstract: "List the narrated scenarios, or check the claims their steps make.",
        subcommands: [ScenariosListCommand.self, ScenariosCheckCommand.self],
        defaultSubcommand: ScenariosListCommand.self)
}

struct ScenariosListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the narrated scenarios, with one line each (the default).")

    func run() throws {
        let catalog = ScenarioCatalog()
        let scenarios = try catalog.all()
        guard let dir = catalog.directory, !scenarios.isEmpty else {
            throw InputError(
                file: "scenarios", line: nil, key: nil,
                message: "no scenario files found (looked in \(catalog.directories.joined(separator: ", ")))")
        }
        let width = scenarios.map(\.name.count).max() ?? 0
        // Teaching order: each file's `lesson:` first, then by name.
        let ordered = scenarios.sorted { ($0.lesson ?? Int.max, $0.name) < ($1.lesson ?? Int.max, $1.name) }
        print("Scenarios in \(dir) (orderflow --scenario NAME [--guided], orderflow simulate --scenario NAME):")
        for s in ordered {
            print("  " + s.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + s.description)
        }
    }
}

/// A failure that is orderflow's fault, not the input's: exit code 1.
struct InternalFailure: Error {
    var message: String
}
