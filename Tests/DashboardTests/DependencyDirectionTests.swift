import Foundation
import Testing

/// The house's one-way rules, read from the sources as a newcomer would read them: a module that
/// reaches around another, or a type that calls back into one that calls it, fails here.
@Suite struct DependencyDirectionTests {
    static let sources = DocsTruthTests.root.appendingPathComponent("Sources")

    /// Every Swift file of a module, as (file name, text).
    static func files(of module: String) throws -> [(name: String, text: String)] {
        let dir = sources.appendingPathComponent(module)
        guard let walker = FileManager.default.enumerator(atPath: dir.path) else { return [] }
        return try walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.map { path in
            (path, try String(contentsOf: dir.appendingPathComponent(path), encoding: .utf8))
        }
    }

    /// The lines of `module` that use one of `words` as a whole word, outside comments.
    static func uses(_ words: [String], in module: String) throws -> [String] {
        let pattern = try NSRegularExpression(pattern: "\\b(" + words.joined(separator: "|") + ")\\b")
        var found: [String] = []
        for file in try files(of: module) {
            for (n, line) in file.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.components(separatedBy: "//").first ?? ""
                if pattern.firstMatch(in: code, range: NSRange(code.startIndex..., in: code)) != nil {
                    found.append("\(module)/\(file.name):\(n + 1): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        return found
    }

    /// The broker side never calls the client side (the compiler also forbids the import).
    @Test func theBrokerSideKnowsNoClient() throws {
        #expect(try Self.uses(["import KafkaClient", "Producer", "KafkaConsumer"], in: "Bus") == [])
    }

    /// The services reach Kafka through the client only: no cluster, no coordinator.
    @Test func theServicesUseTheClientOnly() throws {
        #expect(try Self.uses(["Cluster", "GroupCoordinator", "ConsumerGroup"], in: "Services") == [])
    }

    /// The dashboard reads values: no live cluster, coordinator or producer behind the snapshot.
    @Test func theDashboardReadsValuesOnly() throws {
        let reachingIn = try Self.uses(
            ["cluster", "coordinator", "orderProducer", "paymentProducer", "provider", "instanceRows"],
            in: "Dashboard"
        ).filter { $0.contains("simulation.") || $0.contains("sim.") }
        #expect(reachingIn == [])
        #expect(try Self.uses(["import KafkaClient", "import GRDB"], in: "Dashboard") == [])
    }

    /// The group coordinator reads the cluster; the cluster never names a group.
    @Test func theClusterNeverCallsTheCoordinator() throws {
        let cluster = try Self.files(of: "Bus").filter { $0.name.hasPrefix("Cluster") }
        #expect(!cluster.isEmpty)
        for file in cluster {
            #expect(!file.text.contains("GroupCoordinator") && !file.text.contains("ConsumerGroup"), "\(file.name)")
        }
    }
}
