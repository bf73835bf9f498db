import ArgumentParser
import Bus
import Dashboard
import Foundation
import Services
import Simulation

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run the order flow without a UI, drain it, and print a summary (or JSON).",
        discussion: "Traffic runs for --duration (or until --orders were placed), the --scenario's steps run at "
            + "their virtual times (all of them, even past --duration), then the run drains: it waits until "
            + "every consumer caught up or the config's simulate.drainDeadline passes. Same config, seed and "
            + "flags give byte-identical output, and the same result as the dashboard playing the scenario.")

    @OptionGroup var options: RunOptions

    @Option(name: .long, help: "How many orders the traffic places before it stops.")
    var orders: Int?

    @Option(name: .long, help: "Virtual duration of the traffic, such as 90s or 20m.")
    var duration: String?

    @Flag(name: .long, help: "Print the report as JSON on stdout.")
    var json = false

    @Option(name: .long, help: "Write every record appended to the bus to this file, as JSON lines.")
    var events: String?

    @Option(name: .long, help: "A scenario's name (see 'orderflow scenarios') or a YAML timeline of actions.")
    var scenario: String?

    @Flag(name: .long, help: "After the drain, run a reconciliation sweep and report it.")
    var reconcile = false

    @Flag(
        name: .long,
        help: "After the drain, sweep, republish the missing OrderCreatedEvents, drain again and sweep again.")
    var repair = false

    @Option(name: .long, help: "At the end, print this order's journey (its id, or the first characters of it).")
    var trace: String?

    @Option(
        name: .long,
        help:
            "With --scenario: write the dashboard's screen at every narrated step into this directory (.txt and .svg).")
    var screens: String?

    @Option(name: .long, help: "The screens' size as COLUMNSxROWS, such as 80x24 (the default) or 120x40.")
    var size = "80x24"

    @Option(
        name: .long, help: "The screens' colours: dark, light or high-contrast (default: $ORDERFLOW_THEME, else dark).")
    var theme: String?

    /// `--size` read: 40 to 400 columns, 12 to 200 rows.
    var screenSize: (width: Int, height: Int)? {
        let parts = size.lowercased().replacingOccurrences(of: "×", with: "x").split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), (40...400).contains(w),
            (12...200).contains(h)
        else { return nil }
        return (w, h)
    }

    func validate() throws {
        if let orders, orders < 0 { throw ValidationError("--orders must be 0 or more, got \(orders)") }
        if let duration, VirtualDuration(parsing: duration) == nil {
            throw ValidationError(
                "--duration expects a virtual duration such as 90s or 20m, at most 720h, got '\(duration.prefix(40))'")
        }
        if screens != nil && scenario == nil { throw ValidationError("--screens needs --scenario NAME") }
        if screens?.isEmpty == true { throw ValidationError("--screens needs a path, got an empty one") }
        if screenSize == nil {
            throw ValidationError(
                "--size expects COLUMNSxROWS from 40x12 to 400x200, such as 80x24, got '\(size.prefix(40))'")
        }
    }

    func run() throws {
        let (loaded, settings) = try options.scenarioAndSettings(scenario)
        if orders != nil && settings.trafficRate <= 0 {
            throw InputError(
                file: options.rate == nil ? options.config ?? "--orders" : "--orders", line: nil,
                key: options.rate == nil && options.config != nil ? "traffic.rate" : nil,
                message: "--orders needs a traffic rate above 0 (--rate)")
        }
        // A run must end: an order budget the rate cannot spend within the longest run is refused up front.
        if let orders, orders > 0, settings.trafficRate > 0 {
            let hours = Double(orders) / settings.trafficRate / 3600
            let limit = VirtualDuration.maximum.seconds / 3600
            if hours > limit {
                throw InputError(
                    file: "--orders", line: nil, key: nil,
                    message: "\(orders) orders at \(settings.trafficRate)/s take "
                        + (hours > 1e6 ? "more than a million" : "about \(Int(hours))")
                        + " virtual hours; a run lasts at most \(Int(limit))h")
            }
        }
        let plan = HeadlessRun(
            orders: orders, duration: duration.flatMap(VirtualDuration.init(parsing:)),
            scenario: loaded)
        try options.checkOutputs(scenario: scenario, events: events)
        let theme = try chosenTheme(theme)
        let deck = try screens.map { dir throws in try writeScreens(loaded, settings, theme: theme, into: dir) }
        let log = try options.openLog()
        let sim = try options.makeSimulation(settings, log: log)
        let eventWriter = try events.map(LineWriter.init(path:))
        if let eventWriter {
            sim.recordObservers.append { eventWriter.write(EventExport.line(for: $0)) }
        }
        let progress = RunProgress()
        let outcome = plan.run(sim) { progress.goOn(sim) }
        progress.finish()
        var drained = outcome ?? false
        var repairSweep: ReconciliationReport?
        if repair && outcome != nil {
            repairSweep = sim.repair()
            drained = sim.runUntilDrained(deadline: sim.now + settings.drainDeadline)
        }
        let finalSweep = reconcile || repair ? sim.reconcile() : nil
        try eventWriter?.close()

        let journey = try trace.map { id throws(InputError) in
            let matches = (try? sim.records.ordersMatching(id, limit: 3)) ?? (ids: [], total: 0)
            if matches.total > 1 {
                // One journey for a prefix several orders share would be a guess.
                let some = matches.ids.map(shortOrderId).joined(separator: ", ")
                throw InputError(
                    file: "--trace", line: nil, key: nil,
                    message:
                        "'\(id.prefix(40))' starts \(matches.total) order ids in this run (\(some)…); give more of the id"
                )
            }
            guard let orderId = matches.ids.first, let journey = sim.journey(of: orderId) else {
                throw InputError(
                    file: "--trace", line: nil, key: nil, message: "no order '\(id.prefix(40))' in this run")
            }
            return journey
        }
        var report = SimulationReport(
            simulation: sim, drained: drained, repair: repairSweep, final: finalSweep, trace: journey)
        if let limit = plan.duration, let last = plan.scenario?.lastStepTime, last > limit {
            report.notes.append(
                "Note: the scenario's last step at \(last) ran past --duration \(limit); every step runs.")
        }
        // A recorded session says where it came from, and still runs.
        report.notes += (loaded?.recordedWith?.notes ?? []).map { "Note: \($0)." }
        if let deck, let screens {
            report.notes.append("Wrote \(deck) narrated steps' screens (.txt and .svg) to \(screens).")
        }
        if outcome == nil { report.interrupted = true }
        try writeStandardOutput(json ? try report.json() : report.text())
        // A database or a log that could not be written is an error, even with a report printed.
        if let failure = sim.storageFailure { throw OutputFailure(description: failure) }
        if let failure = log?.failure { throw OutputFailure(description: failure) }
        if outcome == nil { throw Interrupted() }
    }
}

extension SimulateCommand {
    /// `--screens`: the scenario played guided in a dashboard of `--size`, each narrated step's
    /// screen written as text and SVG (in place: a file there is overwritten, a link followed).
    /// The deck runs on its own in-memory simulation; the report's run is untouched by it.
    func writeScreens(_ scenario: Scenario?, _ settings: OrderflowConfig, theme: Theme, into dir: String) throws
        -> Int
    {
        guard let scenario, let (width, height) = screenSize else { return 0 }
        try checkDirectory(dir, key: "--screens")
        let controller = DashboardController(
            simulation: try Simulation(config: settings), player: ScenarioPlayer(scenario: scenario, guided: true))
        var count = 0
        try SlideDeck.play(controller, width: width, height: height) { stem, grid in
            try TrainerFiles.rewrite(dir + "/" + stem + ".txt", Array(ScreenExport.text(grid).utf8), key: "--screens")
            try TrainerFiles.rewrite(
                dir + "/" + stem + ".svg", Array(ScreenExport.svg(grid, theme: theme, title: stem).utf8),
                key: "--screens")
            count += 1
        }
        return count
    }
}
