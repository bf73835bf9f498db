import Foundation
import Simulation

/// Finds the shipped scenarios by name: in `$ORDERFLOW_SCENARIOS`, in `config/scenarios` under the
/// working directory, or in the `config/scenarios` of the checkout the binary was built in (so
/// `swift run orderflow --scenario outage-312` works from anywhere in the repository).
struct ScenarioCatalog {
    let directories: [String]

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        var dirs: [String] = []
        if let dir = environment["ORDERFLOW_SCENARIOS"], !dir.isEmpty { dirs.append(dir) }
        dirs.append(FileManager.default.currentDirectoryPath + "/config/scenarios")
        // The binary lives in <checkout>/.build/<triple>/<configuration>/orderflow.
        var dir = URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<4 {
            dirs.append(dir.appendingPathComponent("config/scenarios").path)
            dir.deleteLastPathComponent()
        }
        var seen = Set<String>()
        directories = dirs.filter { seen.insert(URL(fileURLWithPath: $0).standardized.path).inserted }
    }

    /// The first directory that holds scenario files.
    var directory: String? {
        directories.first { dir in files(in: dir).isEmpty == false }
    }

    private func files(in dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    /// Every scenario in the catalog's directory, parsed (a broken file is an error naming it).
    func all() throws(InputError) -> [Scenario] {
        guard let dir = directory else { return [] }
        var scenarios: [Scenario] = []
        for file in files(in: dir) { scenarios.append(try Scenario.load(path: dir + "/" + file)) }
        return scenarios
    }

    /// A path to a YAML file, or the name of a shipped scenario.
    func load(_ nameOrPath: String) throws(InputError) -> Scenario {
        if nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml") || nameOrPath.contains("/") {
            return try Scenario.load(path: nameOrPath)
        }
        guard let dir = directory else {
            throw InputError(
                file: "--scenario", line: nil, key: nil,
                message:
                    "no scenario directory found (looked in \(directories.joined(separator: ", "))); set ORDERFLOW_SCENARIOS"
            )
        }
        let path = dir + "/" + nameOrPath + ".yaml"
        // A listed name is loaded even when its file cannot be read, so the error says why.
        guard files(in: dir).contains(nameOrPath + ".yaml") else {
            let names = files(in: dir).map { String($0.dropLast(5)) }
            throw InputError(
                file: "--scenario", line: nil, key: nil,
                message: "no scenario named '\(nameOrPath)'; the scenarios are \(names.joined(separator: ", "))")
        }
        return try Scenario.load(path: path)
    }
}
