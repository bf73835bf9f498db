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
            'orderflow scenarios' lists the narrated scenarios; 'orderflow scenarios check' checks their expect: claims.
            --record FILE (or w) records a session as a scenario; s saves the screen; --theme picks the colours.
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

    @Option(name: .long, help: "The colours: dark, light or high-contrast (default: $ORDERFLOW_THEME, else dark).")
    var theme: String?

    @Option(name: .long, help: "Where s saves the screen (a .txt and an .svg); default: the current directory.")
    var screens: String?

    @Option(name: .long, help: "Write the session as an asciinema v2 cast to this file.")
    var cast: String?

    func validate() throws {
        if guided && scenario == nil { throw ValidationError("--guided needs --scenario NAME") }
        for (flag, value) in [("--record", record), ("--screens", screens), ("--cast", cast)]
        where value?.isEmpty == true {
            throw ValidationError("\(flag) needs a path, got an empty one")
        }
    }

    func run() throws {
        let (loaded, settings) = try options.scenarioAndSettings(scenario)
        let player = loaded.map { ScenarioPlayer(scenario: $0, guided: guided) }
        let theme = try chosenTheme(theme)
        try options.checkOutputs(scenario: scenario, outputs: [("--record", record), ("--cast", cast)])
        if let record { try TrainerFiles.checkWritable(record, key: "--record") }
        if let screens { try checkDirectory(screens, key: "--screens") }
        let log = try options.openLog()
        let sim = try options.makeSimulation(settings, log: log)
        // A restart or a step back replays into fresh databases: possible only in memory.
        let options = self.options
        let fresh: (() throws -> Simulation)? =
            options.dbDir == nil ? { try options.makeSimulation(settings, log: log) } : nil
        let controller = DashboardController(simulation: sim, player: player, makeSimulation: fresh)
        let files = TrainerFiles(
            recordPath: record, screenDirectory: screens ?? ".", theme: theme)
        controller.recordingOrigin = RecordingOrigin(dbDir: options.dbDir != nil)
        controller.saveRecording = files.save
        controller.saveScreen = files.saveScreen
        if record != nil { controller.startRecording() }
        let recorder = try cast.map { path throws(InputError) in
            try CastRecorder(
                path: path, theme: ProcessInfo.processInfo.environment["NO_COLOR"]?.isEmpty == false ? nil : theme)
        }
        try DashboardLoop.run(controller, theme: theme, onFrame: recorder?.frame)
        if let failure = recorder?.failure { throw OutputFailure(description: failure) }
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

/// `--theme` over `ORDERFLOW_THEME` over dark; a name neither knows is bad input naming its source.
func chosenTheme(_ flag: String?) throws(InputError) -> Theme {
    switch Theme.choose(flag: flag, environment: ProcessInfo.processInfo.environment) {
    case .success(let theme): return theme
    case .failure(let error):
        throw InputError(
            file: error.source, line: nil, key: nil,
            message:
                "expected one of \(Theme.Name.allCases.map(\.rawValue).joined(separator: ", ")), got '\(error.value.prefix(40))'"
        )
    }
}

/// A directory outputs go into: made when missing; anything else at the path is bad input.
func checkDirectory(_ path: String, key: String) throws(InputError) {
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
        guard isDir.boolValue else { throw InputError(file: path, line: nil, key: key, message: "is not a directory") }
        return
    }
    do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
        throw InputError(file: path, line: nil, key: key, message: "cannot create the directory")
    }
}

/// A failure that is orderflow's fault, not the input's: exit code 1.
struct InternalFailure: Error {
    var message: String
}
