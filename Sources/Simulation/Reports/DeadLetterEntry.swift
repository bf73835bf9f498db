import Bus
import Events

/// The report's dead-letter part, present when `consumers.deadLetter` is on: how the error
/// handler was set, what each service's listener sent to a DLT, and what redrives sent back.
package struct DeadLetterEntry: Encodable, Equatable, Sendable {
    package var retries: Int
    package var retryBackoffMs: Int64
    /// Records acknowledged by a dead-letter topic, per service.
    package var sent: [String: Int]
    /// Records the dead-letter topics hold now, per topic (retention may have dropped older ones).
    package var held: [String: Int64]
    package var redriven: Int

    init?(_ sim: Simulation) {
        guard sim.config.deadLetter else { return nil }
        retries = sim.config.retries
        retryBackoffMs = sim.config.retryBackoff.milliseconds
        sent = Dictionary(
            uniqueKeysWithValues: ServiceName.allCases.map { ($0.rawValue, sim.deadLetters.byService[$0] ?? 0) })
        held = Dictionary(
            uniqueKeysWithValues: sim.config.topics.map { topic in
                let dlt = Topic.deadLetter(of: topic.name)
                return (
                    dlt,
                    sim.cluster.partitions(of: dlt).map {
                        sim.cluster.logEndOffset($0) - sim.cluster.logStartOffset($0)
                    }.reduce(0, +)
                )
            })
        redriven = sim.deadLetters.redriven
    }

    /// The text summary's line.
    var text: String {
        let bySender = sent.filter { $0.value > 0 }.sorted { $0.key > $1.key }.map { "\($0.key) \($0.value)" }
        return "Dead letters  after \(retries) retries \(VirtualDuration(milliseconds: retryBackoffMs)) apart   sent "
            + (bySender.isEmpty ? "0" : bySender.joined(separator: ", ")) + "   redriven \(redriven)"
    }
}
