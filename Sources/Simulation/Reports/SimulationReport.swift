import Bus
import Events
import Foundation
import Services

/// The headless run's result. Its JSON key names are a contract other tools read.
package struct SimulationReport: Encodable, Sendable {
    package struct TopicEntry: Encodable, Sendable {
        package struct PartitionEntry: Encodable, Sendable {
            package var partition: Int
            package var logStartOffset: Int64
            package var logEndOffset: Int64
        }
        package var name: String
        package var partitions: [PartitionEntry]
    }

    /// One `kafka-consumer-groups.sh --describe` row; unknowns are JSON null, never 0.
    package struct GroupEntry: Encodable, Sendable {
        package var group: String
        package var topic: String
        package var partition: Int
        package var currentOffset: Int64?
        package var logEndOffset: Int64
        package var lag: Int64?
        package var consumerId: String?
        /// Lag in time (orderflow's, after Kafka's columns): how long the oldest record not yet
        /// committed has waited, in virtual milliseconds, and when the lag is consumed at the
        /// rate of the last seconds (`catchingUp` says why `catchUpMs` is null: stalled is ∞).
        package var timeLag: TimeLagEntry?

        enum CodingKeys: String, CodingKey {
            case group, topic, partition, currentOffset, logEndOffset, lag, consumerId, timeLag
        }

        package func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(group, forKey: .group)
            try c.encode(topic, forKey: .topic)
            try c.encode(partition, forKey: .partition)
            try c.encode(currentOffset, forKey: .currentOffset)
            try c.encode(logEndOffset, forKey: .logEndOffset)
            try c.encode(lag, forKey: .lag)
            try c.encode(consumerId, forKey: .consumerId)
            try c.encode(timeLag, forKey: .timeLag)
        }
    }

    /// `--describe --state` and `--describe --members` for one group.
    package struct GroupSummary: Encodable, Sendable {
        package struct MemberEntry: Encodable, Sendable {
            package var consumerId: String
            package var host: String
            package var clientId: String
            package var partitions: Int
        }
        package var group: String
        package var coordinator: String
        /// Null for an empty group, as Kafka prints `-`.
        package var assignmentStrategy: String?
        package var state: String
        package var members: [MemberEntry]
        /// The group's lag in time: its oldest waiting record, its whole lag at its whole rate.
        package var timeLag: TimeLagEntry?

        enum CodingKeys: String, CodingKey {
            case group, coordinator, assignmentStrategy, state, members, timeLag
        }

        package func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(group, forKey: .group)
            try c.encode(coordinator, forKey: .coordinator)
            try c.encode(assignmentStrategy, forKey: .assignmentStrategy)
            try c.encode(state, forKey: .state)
            try c.encode(members, forKey: .members)
            try c.encode(timeLag, forKey: .timeLag)
        }
    }

    package struct OutboxEntry: Encodable, Sendable {
        package var pending: Int
        package var published: Int
        package var relayCrashes: Int
    }

    /// The sweeps a scenario's `reconcile`/`repair` steps took, and the one `--reconcile` takes
    /// after the drain (or after the repair `--repair` ran).
    package struct ReconciliationEntry: Encodable, Sendable {
        package var steps: [ReconciliationReport]
        package var final: ReconciliationReport?
        package var repair: ReconciliationReport?
    }

    package var seed: UInt64
    package var flow: FlowSettings
    package var virtualSeconds: Double
    /// Whether every consumer caught up before the drain deadline.
    package var drained: Bool
    package var orders: [String: Int]
    package var rejectedOrders: Int
    package var topics: [TopicEntry]
    /// The offsets view of `--describe`, group after group, by Kafka's rules: a group that is not
    /// Stable shows no owners, an empty or rebalancing one only its committed partitions.
    package var groups: [GroupEntry]
    package var groupStates: [String: String]
    package var groupSummaries: [GroupSummary]
    package var emailsSent: Int
    package var charges: Int
    package var redeliveries: Int
    package var poisonRecords: Int
    /// Times a consumer left its group because a batch outlasted `max.poll.interval.ms`.
    package var pollIntervalExceeded: Int
    /// Commits refused because the partition had moved: Kafka's CommitFailedException.
    package var commitFailures: Int
    /// When the consumers commit (`consumers.commit`): batch, record, auto or before-processing.
    package var commit: String
    package var ignoredTransitions: Int
    package var invariants: InvariantCounts
    package var dedupHits: [String: Int]
    /// Provider calls answered from an earlier charge with the same idempotency key.
    package var idempotentReplays: Int
    package var outbox: OutboxEntry
    /// The dead-letter topics' part; absent when `consumers.deadLetter` is off.
    package var deadLetter: DeadLetterEntry?
    /// Paused partition-time per group and the rolling deploys; absent when nothing paused.
    package var rebalances: RebalanceEntry?
    /// The highest total lag of each group, sampled every virtual second.
    package var peakLag: [String: Int64]
    package var reconciliation: ReconciliationEntry?
    /// `simulate --trace`: one order's journey.
    package var trace: OrderJourney?
    /// Brokers, replicas and what replication lost; absent with one replica per partition.
    package var cluster: ClusterReport?
    /// Lines the text summary adds under its first line: what the run decided on the user's behalf.
    package var notes: [String] = []
    /// True when Ctrl-C ended the run early: the report is of what ran so far. Absent otherwise.
    package var interrupted: Bool?
    /// The full descriptions (with HOST and CLIENT-ID) behind `groups`, for the text summary.
    private var descriptions: [GroupDescription]
    /// Per description, per row: its lag in time, for the text summary's extra columns.
    private var timeLags: [[TimeLag?]] = []

    private enum CodingKeys: String, CodingKey {
        case seed, virtualSeconds, drained, orders, rejectedOrders, topics, groups, groupStates, groupSummaries
        case emailsSent, charges, redeliveries, poisonRecords, pollIntervalExceeded, commitFailures, commit
        case ignoredTransitions, invariants, flow, dedupHits, idempotentReplays, outbox, deadLetter, rebalances
        case peakLag, reconciliation, trace, cluster, interrupted
    }

    package init(
        simulation sim: Simulation, drained: Bool, repair: ReconciliationReport? = nil,
        final: ReconciliationReport? = nil,
        trace: OrderJourney? = nil
    ) {
        self.trace = trace
        let invariants = sim.checkInvariants()
        seed = sim.config.seed
        flow = sim.settings
        virtualSeconds = sim.now.seconds
        self.drained = drained
        orders = Dictionary(
            uniqueKeysWithValues: OrderStatus.allCases.map { ($0.rawValue, sim.orderService.board.counts[$0] ?? 0) })
        rejectedOrders = sim.rejectedOrders
        topics = sim.cluster.topics.map { topic in
            TopicEntry(
                name: topic.name,
                partitions: sim.cluster.partitions(of: topic.name).map { tp in
                    .init(
                        partition: tp.partition, logStartOffset: sim.cluster.logStartOffset(tp),
                        logEndOffset: sim.cluster.logEndOffset(tp))
                })
        }
        descriptions = ServiceName.allCases.map { sim.coordinator.describe(group: $0.rawValue) }
        timeLags = descriptions.map { $0.rows.map(sim.timeLag) }
        groups = zip(descriptions.flatMap(\.rows), timeLags.joined()).map { r, time in
            GroupEntry(
                group: r.group, topic: r.topic, partition: r.partition, currentOffset: r.currentOffset,
                logEndOffset: r.logEndOffset, lag: r.lag, consumerId: r.consumerId, timeLag: time.map(TimeLagEntry.init)
            )
        }
        groupStates = Dictionary(
            uniqueKeysWithValues: ServiceName.allCases.map {
                ($0.rawValue, sim.coordinator.state(ofGroup: $0.rawValue).rawValue)
            })
        groupSummaries = descriptions.map { d in
            GroupSummary(
                group: d.group, coordinator: d.coordinator, assignmentStrategy: d.assignmentStrategy,
                state: d.state.rawValue,
                members: d.members.map {
                    .init(consumerId: $0.consumerId, host: $0.host, clientId: $0.clientId, partitions: $0.partitions)
                }, timeLag: sim.timeLag(group: sim.coordinator.partitionLags(group: d.group)).map(TimeLagEntry.init))
        }
        emailsSent = sim.notificationService.emailsSent
        charges = sim.provider.successfulCharges
        redeliveries = sim.redeliveries
        poisonRecords = sim.poisonRecords
        pollIntervalExceeded = sim.pollIntervalExceeded
        commitFailures = sim.commitFailures
        commit = sim.config.commit.rawValue
        ignoredTransitions = sim.orderService.ignoredTransitions
        self.invariants = invariants
        dedupHits = Dictionary(uniqueKeysWithValues: sim.dedupHits.map { ($0.key.rawValue, $0.value) })
        idempotentReplays = sim.provider.idempotentReplays
        outbox = OutboxEntry(
            pending: sim.relay.pending, published: sim.relay.published, relayCrashes: sim.relay.crashes)
        peakLag = sim.peakLag
        deadLetter = DeadLetterEntry(sim)
        rebalances = RebalanceEntry(sim)
        cluster = ClusterReport(sim)
        if !sim.sweeps.isEmpty || final != nil || repair != nil {
            reconciliation = ReconciliationEntry(steps: sim.sweeps, final: final, repair: repair)
        }
    }

    /// Pretty, sorted-key JSON: byte-identical for identical runs.
    package func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The human summary `orderflow simulate` prints.
    package func text() -> String {
        var lines: [String] = []
        let seconds = String(format: "%.1f", virtualSeconds)
        lines.append(
            "orderflow simulate: seed \(seed), \(seconds) virtual seconds, "
                + (interrupted == true
                    ? "INTERRUPTED: what ran so far" : drained ? "drained" : "NOT drained by the deadline"))
        lines += notes
        lines.append("")
        lines.append(
            "Orders     "
                + OrderStatus.allCases.map { "\($0.rawValue) \(orders[$0.rawValue] ?? 0)" }.joined(separator: "   ")
                + "   API rejected \(rejectedOrders)")
        lines.append(
            "Effects    emails sent \(emailsSent)   charges \(charges)   redeliveries \(redeliveries)   "
                + "poison records \(poisonRecords)   ignored transitions \(ignoredTransitions)")
        lines.append(
            "Consumers  commit \(commit)   left the group for max.poll.interval.ms \(pollIntervalExceeded)   "
                + "commits failed \(commitFailures)")
        lines.append(
            "Flow       design \(flow.design.rawValue)   publish \(flow.publish.rawValue)   idempotency \(flow.idempotency.rawValue)   "
                + "dedup hits \(dedupHits.sorted { $0.key > $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))   "
                + "outbox pending \(outbox.pending), relay crashes \(outbox.relayCrashes)")
        if let deadLetter { lines.append(deadLetter.text) }
        lines += rebalances?.text ?? []
        let invariantText = Anomaly.invariants.map { "\($0.rawValue) \(invariants[$0])" }
        lines.append("Invariants " + invariantText.joined(separator: "   "))
        lines.append("")
        lines.append("Topics")
        let nameWidth = max(18, (topics.map(\.name.count).max() ?? 0) + 1)
        for topic in topics {
            let parts = topic.partitions.map { "p\($0.partition) \($0.logStartOffset)..\($0.logEndOffset)" }
            lines.append(
                "  " + topic.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                    + parts.joined(separator: "   "))
        }
        if let cluster {
            lines.append("")
            lines.append(cluster.text())
        }
        lines.append("")
        lines.append("Consumer groups (kafka-consumer-groups.sh --describe --state, --members, then the offsets)")
        lines.append(formatStateTable(descriptions))
        lines.append("")
        lines.append(formatMembersTable(descriptions))
        for (d, times) in zip(descriptions, timeLags) {
            lines.append("")
            if let notice = d.notice { lines.append(notice) }
            guard !d.rows.isEmpty else { continue }
            // Kafka's columns, then orderflow's lag in time.
            lines.append(
                formatGroupTable(
                    d.rows,
                    extra: [
                        ("TIME-LAG", times.map { $0.map { shortDuration($0.oldest) } ?? "-" }),
                        ("CATCH-UP", times.map { $0?.catchUp.text ?? "-" }),
                    ]))
        }
        if let reconciliation {
            let labelled =
                reconciliation.steps.map { ("sweep", $0) }
                + [("repair", reconciliation.repair), ("final sweep", reconciliation.final)]
                .compactMap { label, sweep in sweep.map { (label, $0) } }
            for (label, sweep) in labelled {
                lines.append("")
                lines.append(sweep.text(label: label))
            }
        }
        if let trace {
            lines.append("")
            lines.append("Journey of " + trace.text())
        }
        return lines.joined(separator: "\n")
    }
}
