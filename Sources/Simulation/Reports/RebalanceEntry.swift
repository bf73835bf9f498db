import Bus
import Events

/// The report's rebalance part: per group, what its rebalances and absent members cost in
/// paused partition-time (three partitions paused for 2 s are 6000 ms), and every rolling
/// deploy's bill. Absent when no group paused after it formed.
package struct RebalanceEntry: Encodable, Equatable, Sendable {
    package struct GroupPauses: Encodable, Equatable, Sendable {
        package var group: String
        package var protocolName: String
        package var rebalances: Int
        package var rebalancingMs: Int64
        package var ownerAwayMs: Int64
        package var unassignedMs: Int64
        /// Paused by rebalances, per rebalance; nil without one.
        package var rebalancingMsPerRebalance: Int64?

        private enum CodingKeys: String, CodingKey {
            case group, rebalances, rebalancingMs, ownerAwayMs, unassignedMs, rebalancingMsPerRebalance
            case protocolName = "protocol"
        }
    }

    package struct Deploy: Encodable, Equatable, Sendable {
        package var service: String
        package var how: String
        package var startedAtMs: Int64
        /// Nil while the deploy's window is still open.
        package var pausedMs: Int64?
        package var rebalances: Int?
        package var redeliveries: Int?
    }

    package var groups: [GroupPauses]
    package var rollingDeploys: [Deploy]

    init?(_ sim: Simulation) {
        groups = ServiceName.allCases.compactMap { service in
            let id = service.rawValue
            let p = sim.coordinator.pauses(ofGroup: id, now: sim.now)
            guard p.paused > .zero || p.rebalances > 0 else { return nil }
            return GroupPauses(
                group: id, protocolName: sim.coordinator.config(ofGroup: id)?.groupProtocol.rawValue ?? "classic",
                rebalances: p.rebalances, rebalancingMs: p.rebalancing.milliseconds,
                ownerAwayMs: p.ownerAway.milliseconds,
                unassignedMs: p.unassigned.milliseconds,
                rebalancingMsPerRebalance: p.rebalances > 0 ? p.rebalancing.milliseconds / Int64(p.rebalances) : nil)
        }
        rollingDeploys = sim.rollingDeploys.map { d in
            Deploy(
                service: d.service.rawValue, how: d.how, startedAtMs: d.startedAt.milliseconds,
                pausedMs: d.pauses?.paused.milliseconds, rebalances: d.pauses?.rebalances, redeliveries: d.redeliveries)
        }
        if groups.isEmpty && rollingDeploys.isEmpty { return nil }
    }

    /// The text summary's lines.
    var text: [String] {
        func seconds(_ ms: Int64) -> String { "\(ms / 1000).\((ms % 1000) / 100)" }
        let paused = groups.map { g in
            "Paused        \(g.group) (\(g.protocolName)): \(g.rebalances) rebalances, "
                + "\(seconds(g.rebalancingMs)) partition-s by rebalances"
                + (g.rebalancingMsPerRebalance.map { " (\(seconds($0)) each)" } ?? "")
                + ", \(seconds(g.ownerAwayMs)) owner away, \(seconds(g.unassignedMs)) unassigned"
        }
        let deploys = rollingDeploys.enumerated().map { n, d in
            "Deploy \(n + 1)      \(d.service) \(d.how): "
                + (d.pausedMs.map {
                    "\(seconds($0)) partition-s paused, \(d.rebalances ?? 0) rebalances, \(d.redeliveries ?? 0) read twice"
                } ?? "under way")
        }
        return paused + deploys
    }
}
