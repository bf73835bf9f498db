import Bus
import Events
import Foundation
import Services
import Simulation
import Testing

/// Generated hostile input: hundreds of configs and scenarios mutated from the shipped ones by a
/// seeded generator. Each must either load or be refused with one short line naming the file,
/// and a config that loads must run a short simulation to its end.
@Suite struct MutatedInputTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Edits that careless hands and hostile ones make: bytes changed, lines dropped, repeated
    /// or swapped, numbers blown up, values swapped for nonsense.
    static func mutate(_ text: String, _ random: inout SeededRandom) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let nonsense = [
            "99999999999999999999h", "-1", "1e308", "0x1p3", "\u{0}", "\t", "💶", "~", "[]", "{", "NaN",
            "9223372036854775807",
            String(repeating: "x", count: 5000), "payment-service", "0s", "1e-300",
        ]
        for _ in 0..<random.int(in: 1...4) {
            guard !lines.isEmpty else { break }
            let i = random.int(in: 0...lines.count - 1)
            switch random.int(in: 0...5) {
            case 0: lines.remove(at: i)
            case 1: lines.insert(lines[i], at: i)
            case 2: lines.swapAt(i, random.int(in: 0...lines.count - 1))
            case 3:
                if let colon = lines[i].firstIndex(of: ":") {
                    lines[i] = String(lines[i][...colon]) + " " + nonsense[random.int(in: 0...nonsense.count - 1)]
                }
            case 4:
                var scalars = Array(lines[i].unicodeScalars)
                if !scalars.isEmpty {
                    scalars[random.int(in: 0...scalars.count - 1)] = Unicode.Scalar(UInt8(random.int(in: 0...127)))
                    lines[i] = String(String.UnicodeScalarView(scalars))
                }
            default:
                lines[i] = lines[i].replacingOccurrences(of: "1", with: "1000000000")
            }
        }
        return lines.joined(separator: "\n")
    }

    func refusedCleanly(_ error: InputError, file: String) -> Bool {
        let line = error.description
        return line.hasPrefix(file) && !line.contains("\n") && line.count <= 600
    }

    @Test func mutatedConfigsLoadOrAreRefusedInOneLineAndTheLoadedOnesRun() throws {
        let shipped = try String(contentsOf: Self.root.appendingPathComponent("config/orderflow.yaml"), encoding: .utf8)
        var random = SeededRandom(seed: 2026)
        var refused = 0
        var ran = 0
        let count = Int(ProcessInfo.processInfo.environment["ORDERFLOW_MUTATIONS"] ?? "") ?? 300
        for n in 0..<count {
            let text = Self.mutate(shipped, &random)
            do {
                var config = try OrderflowConfig.parse(text, file: "m\(n).yaml")
                // A short headless run of what loaded: it must end by its own rule.
                guard ran < 40 else { continue }
                config.simulateDuration = .seconds(2)
                config.drainDeadline = .seconds(30)
                let sim = try Simulation(config: config)
                _ = HeadlessRun(duration: .seconds(2)).run(sim)
                #expect(sim.now <= .zero + .seconds(40), "mutation \(n) ran past its bound")
                ran += 1
            } catch let error as InputError {
                refused += 1
                #expect(refusedCleanly(error, file: "m\(n).yaml"), "mutation \(n): \(error)")
            }
        }
        #expect(refused > count / 4, "the mutations reach the checks")
        #expect(ran > 5, "and some still load")
    }

    @Test func mutatedScenariosParseOrAreRefusedInOneLine() throws {
        let dir = Self.root.appendingPathComponent("config/scenarios")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }
            .sorted()
        var random = SeededRandom(seed: 11)
        var refused = 0
        for n in 0..<300 {
            let file = files[n % files.count]
            let text = Self.mutate(try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8), &random)
            do {
                let scenario = try Scenario.parse(text, file: "s\(n).yaml", name: "s")
                try scenario.validate(against: OrderflowConfig())
                #expect(scenario.lastStepTime <= VirtualDuration.maximum)
            } catch {
                refused += 1
                #expect(refusedCleanly(error, file: "s\(n).yaml"), "mutation \(n): \(error)")
            }
        }
        #expect(refused > 30)
    }
}
