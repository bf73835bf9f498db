import ArgumentParser
import Dashboard
import Foundation
import Logging
import Services
import Simulation
import TerminalUI

struct OrderflowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orderflow",
        abstract: "An order flow on an in-process Kafka-like bus: three services, two topics, and the failures between them.",
        discussion: """
            With no subcommand, orderflow opens the live dashboard (press ? in it for the keys).
            'orderflow simulate' runs the same flow headless and prints a summary or a JSON report.
            """,
        subcommands: [DashboardCommand.self, SimulateCommand.self],
        defaultSubcommand: DashboardCommand.self)
}

struct DashboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "The live dashboard (the default): panes for orders, topics, consumer groups, services, events and invariants.")

    @Option(name: .long, help: "A YAML config file; defaults are those in config/orderflow.yaml.")
    var config: String?

    @Option(name: .long, help: "The RNG seed.")
    var seed: UInt64?

    @Option(name: .long, help: "Orders per virtual second at the start.")
    var rate: Double?

    @Option(name: .long, help: "Write the service databases as SQLite files (WAL mode) into this empty directory.")
    var dbDir: String?

    @Option(name: .long, help: "Append the services' log to this file (nothing is logged otherwise).")
    var logFile: String?

    func validate() throws {
        if let rate, !(rate >= 0 && rate.isFinite) { throw ValidationError("--rate must be a number of 0 or more") }
    }

    func run() throws {
        var settings = try loadConfig(config)
        if let seed { settings.seed = seed }
        if let rate { settings.trafficRate = rate }
        let location = try databaseLocation(dbDir)
        let sim: Simulation
        do {
            sim = try Simulation(config: settings, databases: location, logger: try makeLogger(logFile))
        } catch let error as InputError {
            throw error
        } catch {
            throw InternalFailure(message: "could not open the databases: \(error)")
        }
        try DashboardLoop.run(DashboardController(simulation: sim))
    }
}

/// A failure that is orderflow's fault, not the input's: exit code 1.
struct InternalFailure: Error {
    var message: String
}

func loadConfig(_ path: String?) throws(InputError) -> OrderflowConfig {
    try path.map { path throws(InputError) in try OrderflowConfig.load(path: path) } ?? OrderflowConfig()
}

/// In memory, or files in a directory that holds no earlier run: its databases would no longer
/// match a fresh log, and overwriting them would lose data.
func databaseLocation(_ dbDir: String?) throws(InputError) -> DatabaseLocation {
    guard let dbDir else { return .inMemory }
    let fm = FileManager.default
    var isDir: ObjCBool = false
    if fm.fileExists(atPath: dbDir, isDirectory: &isDir) {
        guard isDir.boolValue else { throw InputError(file: dbDir, line: nil, key: "--db-dir", message: "is not a directory") }
        if let existing = DatabaseLocation.fileNames.first(where: { fm.fileExists(atPath: dbDir + "/" + $0) }) {
            throw InputError(file: dbDir, line: nil, key: "--db-dir",
                             message: "already holds \(existing) from an earlier run; choose an empty directory")
        }
    } else {
        do {
            try fm.createDirectory(atPath: dbDir, withIntermediateDirectories: true)
        } catch {
            throw InputError(file: dbDir, line: nil, key: "--db-dir", message: "cannot create the directory")
        }
    }
    return .directory(dbDir)
}

func makeLogger(_ logFile: String?) throws -> Logger {
    guard let logFile else { return Logger(label: "orderflow", factory: { _ in SwiftLogNoOpLogHandler() }) }
    let handler = try FileLogHandler(path: logFile)
    return Logger(label: "orderflow", factory: { _ in handler })
}
