import ArgumentParser
import Bus
import Foundation
import Logging
import Services
import Simulation

/// The options the dashboard and `simulate` share: what world to build and where it writes.
struct RunOptions: ParsableArguments {
    @Option(name: .long, help: "A YAML config file; defaults are those in config/orderflow.yaml.")
    var config: String?

    @Option(name: .long, help: "The RNG seed.")
    var seed: UInt64?

    // Read as text so that every spelling gets the same one-line answer: "-1", "0x1p3", "1e999".
    @Option(
        name: .customLong("rate"), parsing: .unconditional,
        help: "Orders per virtual second (Poisson arrivals), 0 to 100000.")
    var rateText: String?

    /// `--rate` as a plain decimal number, such as 2, 0.5 or 1e3, from 0 to 100000.
    var rate: Double? { rateText.flatMap(Self.decimalRate) }

    static func decimalRate(_ text: String) -> Double? {
        // 2, 0.5, .5, 5. and 1e3 alike: every plain decimal spelling, no sign, hex or words.
        guard text.range(of: #"^([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$"#, options: .regularExpression) != nil,
            let value = Double(text), value.isFinite, value <= 100_000
        else { return nil }
        return value
    }

    @Option(
        name: .long,
        help: "Order design: honest (PENDING_PAYMENT first) or optimistic (CONFIRMED and emailed on creation).")
    var design: OrderDesign?

    @Option(name: .long, help: "How OrderCreatedEvent is published: best-effort (commit, then send) or outbox (relay).")
    var publish: PublishStrategy?

    @Option(name: .long, help: "Idempotency key to the provider and processed-event tables: on or off.")
    var idempotency: Idempotency?

    // Unconditional, so "-1" is a value the range check answers, not a missing one.
    @Option(
        name: .long, parsing: .unconditional,
        help: ArgumentHelp(
            "Brokers in the cluster, 1 to 9 (the config's bus.brokers).",
            discussion:
                "With more than one, a config that keeps one replica per partition gets replication factor min(N, 3) and min.insync.replicas min(2, that): the brokers lesson's cluster."
        ))
    var brokers: Int?

    @Option(name: .long, help: "Write the service databases as SQLite files (WAL mode) into this empty directory.")
    var dbDir: String?

    @Option(name: .long, help: "Append the services' log to this file (nothing is logged otherwise).")
    var logFile: String?

    func validate() throws {
        for (flag, value) in [("--config", config), ("--db-dir", dbDir), ("--log-file", logFile)]
        where value?.isEmpty == true {
            throw ValidationError("\(flag) needs a path, got an empty one")
        }
        if let brokers, !(1...9).contains(brokers) {
            throw ValidationError("--brokers expects a number of brokers from 1 to 9, got \(brokers)")
        }
        if let rateText, rate == nil {
            throw ValidationError(
                "--rate expects a number from 0 to 100000 such as 2 or 0.5, got '\(rateText.prefix(40))'")
        }
    }

    /// The `--scenario` (a name or a file) and the settings it runs with, checked against each other.
    func scenarioAndSettings(_ nameOrPath: String?) throws(InputError) -> (Scenario?, OrderflowConfig) {
        let scenario = try nameOrPath.map { name throws(InputError) in try ScenarioCatalog().load(name) }
        let settings = try settings(scenario: scenario)
        try scenario?.validate(against: settings)
        return (scenario, settings)
    }

    /// The config file (or the defaults), then the scenario's `config:` block, then the flags.
    func settings(scenario: Scenario? = nil) throws(InputError) -> OrderflowConfig {
        var settings = OrderflowConfig()
        if let config { settings = try OrderflowConfig.load(path: config) }
        if let scenario { settings = try scenario.config(over: settings) }
        if let seed { settings.seed = seed }
        if let rate { settings.trafficRate = rate }
        if let design { settings.flow.design = design }
        if let publish { settings.flow.publish = publish }
        if let idempotency { settings.flow.idempotency = idempotency }
        if let brokers { settings.cluster = Self.cluster(settings.cluster, brokers: brokers) }
        return settings
    }

    /// `--brokers N` over the config's cluster: a config with one replica per partition gets the
    /// lesson's replication (RF min(N, 3), min ISR min(2, RF)); a replication factor the config
    /// set is kept, capped at N.
    static func cluster(_ base: ClusterConfig, brokers: Int) -> ClusterConfig {
        let rf = base.replicationFactor == 1 ? min(brokers, 3) : min(base.replicationFactor, brokers)
        let minIsr = base.replicationFactor == 1 && base.minInsyncReplicas == 1 ? min(2, rf) : base.minInsyncReplicas
        var cluster = base
        cluster.brokers = brokers
        cluster.replicationFactor = rf
        cluster.minInsyncReplicas = minIsr
        return cluster
    }

    /// The `--log-file`, opened once for the whole run; nil when nothing is logged.
    /// Refuses outputs that would overwrite an input or each other (`OutputPaths`).
    func checkOutputs(scenario: String?, events: String? = nil, outputs: [(flag: String, path: String?)] = [])
        throws(InputError)
    {
        let scenarioFile = scenario.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
        try OutputPaths.check(
            outputs: [("--events", events), ("--log-file", logFile)] + outputs,
            inputs: [("--config", config), ("--scenario", scenarioFile)])
    }

    func openLog() throws(InputError) -> OutputFile? {
        guard let logFile else { return nil }
        return try OutputFile(path: logFile, key: "--log-file", append: true)
    }

    func makeSimulation(_ settings: OrderflowConfig, log: OutputFile?) throws -> Simulation {
        let location = try databaseLocation()
        let logger = makeLogger(log)
        do {
            return try Simulation(config: settings, databases: location, logger: logger)
        } catch {
            if case .directory(let dir) = location {
                throw InputError(
                    file: dir, line: nil, key: "--db-dir",
                    message: "its databases cannot be created: \(String(describing: error).prefix(200))")
            }
            throw InternalFailure(message: "could not open the databases: \(error)")
        }
    }

    /// In memory, or files in a directory that holds no earlier run: its databases would no
    /// longer match a fresh log, and overwriting them would lose data. The check and the claim
    /// are one step: the first database file is created exclusively, so of two runs started
    /// together into one directory, one gets it and the other is told the directory is taken.
    private func databaseLocation() throws(InputError) -> DatabaseLocation {
        guard let dbDir else { return .inMemory }
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: dbDir, isDirectory: &isDir) {
            guard isDir.boolValue else {
                throw InputError(file: dbDir, line: nil, key: "--db-dir", message: "is not a directory")
            }
        } else {
            do {
                try fm.createDirectory(atPath: dbDir, withIntermediateDirectories: true)
            } catch {
                throw InputError(file: dbDir, line: nil, key: "--db-dir", message: "cannot create the directory")
            }
        }
        for name in DatabaseLocation.fileNames.dropFirst() where fm.fileExists(atPath: dbDir + "/" + name) {
            throw InputError(
                file: dbDir, line: nil, key: "--db-dir",
                message: "already holds \(name) from an earlier run; choose an empty directory")
        }
        let claim = dbDir + "/" + (DatabaseLocation.fileNames.first ?? "orders.sqlite")
        let fd = open(claim, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let code = errno
            throw InputError(
                file: dbDir, line: nil, key: "--db-dir",
                message: code == EEXIST
                    ? "already holds \(DatabaseLocation.fileNames.first ?? "") from an earlier run; choose an empty directory"
                    : "cannot be written: \(OutputFile.reason(code))")
        }
        close(fd)
        return .directory(dbDir)
    }

    private func makeLogger(_ log: OutputFile?) -> Logger {
        guard let log else { return Logger(label: "orderflow", factory: { _ in SwiftLogNoOpLogHandler() }) }
        let handler = FileLogHandler(file: log)
        return Logger(label: "orderflow", factory: { _ in handler })
    }
}

extension OrderDesign: ExpressibleByArgument {}
extension PublishStrategy: ExpressibleByArgument {}
extension Idempotency: ExpressibleByArgument {}
