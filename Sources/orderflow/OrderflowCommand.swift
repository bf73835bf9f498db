import ArgumentParser

struct OrderflowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orderflow",
        abstract: "An order flow on an in-process Kafka-like bus: three services, two topics, and the failures between them.",
        discussion: """
            Until the dashboard lands, running orderflow with no subcommand prints this help.
            'orderflow simulate' runs the flow headless and prints a summary or a JSON report.
            """,
        subcommands: [SimulateCommand.self])

    func run() throws {
        print(Self.helpMessage())
    }
}

/// A failure that is orderflow's fault, not the input's: exit code 1.
struct InternalFailure: Error {
    var message: String
}
