import ArgumentParser
import Dashboard
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

    @OptionGroup var options: RunOptions

    func run() throws {
        let sim = try options.makeSimulation(try options.settings())
        try DashboardLoop.run(DashboardController(simulation: sim))
    }
}

/// A failure that is orderflow's fault, not the input's: exit code 1.
struct InternalFailure: Error {
    var message: String
}
