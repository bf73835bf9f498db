import ArgumentParser
import Foundation
import Simulation
import TerminalUI

// Exit codes: 0 success, 2 bad input (flags, config, scenario) with one line, 1 internal failure.
// A reader that went away (a FIFO, `| head`) is a failed write with a message, not a silent SIGPIPE death.
signal(SIGPIPE, SIG_IGN)
do {
    // `orderflow help NAME` for a name that is no subcommand is bad input, not help.
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.first == "help", arguments.count > 1,
        !OrderflowCommand.configuration.subcommands.contains(where: { $0.configuration.commandName == arguments[1] })
    {
        throw InputError(
            file: "help", line: nil, key: nil,
            message: "no subcommand '\(arguments[1].prefix(40))'; the subcommands are dashboard, simulate, scenarios")
    }
    var command = try OrderflowCommand.parseAsRoot()
    try command.run()
} catch let error as InputError {
    FileHandle.standardError.write(Data("orderflow: \(error)\n".utf8))
    exit(2)
} catch let error as TerminalUnavailable {
    FileHandle.standardError.write(Data("orderflow: \(error)\n".utf8))
    exit(2)
} catch let error as OutputFailure {
    FileHandle.standardError.write(Data("orderflow: \(error)\n".utf8))
    exit(1)
} catch let error as ClaimsFailed {
    FileHandle.standardError.write(Data("orderflow: \(error)\n".utf8))
    exit(1)
} catch let error as Interrupted {
    FileHandle.standardError.write(Data("orderflow: \(error)\n".utf8))
    exit(130)
} catch let error as InternalFailure {
    FileHandle.standardError.write(Data("orderflow: internal failure: \(error.message)\n".utf8))
    exit(1)
} catch {
    let code = OrderflowCommand.exitCode(for: error)
    if code == .success {
        print(OrderflowCommand.fullMessage(for: error))
        exit(0)
    }
    let message = OrderflowCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "bad arguments"
    FileHandle.standardError.write(Data("orderflow: \(message) (see 'orderflow --help')\n".utf8))
    exit(2)
}
