import Bus
import Events
import Foundation
import Services

/// The headless run's result. Its JSON key names are a contract other tools read.
public struct SimulationReport: Encodable, Sendable {
    public struct TopicEntry: Encodable, Sendable {
        public struct PartitionEntry: Encodable, Sendable {
            public var partition: Int
            public var logStartOffset: Int64
            public var logEndOffset: Int64
        }
        public var name: String
        public var partitions: [PartitionEntry]
    }

    /// One `kafka-consumer-groups.sh --describe` row; unknowns are JSON null, never 0.
    public struct GroupEntry: Encodable, Sendable {
        public var group: String
        public var topic: String
        public var partition: Int
        public var currentOffset: Int64?
        public var logEndOffset: Int64
        public var lag: Int64?
        public var consumerId: String?

        enum CodingKeys: String, CodingKey { case group, topic, partition, currentOffset, logEndOffset, lag, consumerId }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(group, forKey: .group)
            try c.encode(topic, forKey: .topic)
            try c.encode(partition, forKey: .partition)
            try c.encode(currentOffset, forKey: .currentOffset)
            try c.encode(logEndOffset, forKey: .logEndOffset)
            try c.encode(lag, forKey: .lag)
            try c.encode(consumerId, forKey: .consumerId)
        }
    }

    public var seed: UInt64
    public var virtualSeconds: Double
    /// Whether every consumer caught up before the drain deadline.
    public var drained: Bool
    public var orders: [String: Int]
    public var rejectedOrders: Int
    public var topics: [TopicEntry]
    public var groups: [GroupEntry]
    public var groupStates: [String: String]
    public var emailsSent: Int
    public var charges: Int
    public var redeliveries: Int
    public var poisonRecords: Int
    public var ignoredTransitions: Int
    public var invariants: InvariantCounts
    /// The full describe rows (with HOST and CLIENT-ID) behind `groups`, for the text summary.
    private var describeRows: [GroupDescriptionRow]

    private enum CodingKeys: String, CodingKey {
        case seed, virtualSeconds, drained, orders, rejectedOrders, topics, groups, groupStates, emailsSent, charges,
             redeliveries, poisonRecords, ignoredTransitions, invariants
    }

    public init(simulation sim: Simulation, drained: Bool) {
        let invariants = sim.checkInvariants()
        seed = sim.config.seed
        virtualSeconds = sim.now.seconds
        self.drained = drained
        orders = Dictionary(uniqueKeysWithValues: OrderStatus.allCases.map { ($0.rawValue, sim.orderService.board.counts[$0] ?? 0) })
        rejectedOrders = sim.rejectedOrders
        topics = sim.config.topics.map { topic in
            TopicEntry(name: topic.name, partitions: sim.broker.partitions(of: topic.name).map { tp in
                .init(partition: tp.partition, logStartOffset: sim.broker.logStartOffset(tp), logEndOffset: sim.broker.logEndOffset(tp))
            })
        }
        describeRows = ServiceName.allCases.flatMap { sim.broker.describe(group: $0.rawValue) }
        groups = describeRows.map { r in
            GroupEntry(group: r.group, topic: r.topic, partition: r.partition, currentOffset: r.currentOffset,
                       logEndOffset: r.logEndOffset, lag: r.lag, consumerId: r.consumerId)
        }
        groupStates = Dictionary(uniqueKeysWithValues: ServiceName.allCases.map {
            ($0.rawValue, sim.broker.state(ofGroup: $0.rawValue).rawValue)
        })
        emailsSent = sim.notificationService.emailsSent
        charges = sim.provider.successfulCharges
        redeliveries = sim.redeliveries
        poisonRecords = sim.poisonRecords
        ignoredTransitions = sim.orderService.ignoredTransitions
        self.invariants = invariants
    }

    /// Pretty, sorted-key JSON: byte-identical for identical runs.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }

    /// The human summary `orderflow simulate` prints.
    public func text() -> String {
        var lines: [String] = []
        let seconds = String(format: "%.1f", virtualSeconds)
        lines.append("orderflow simulate: seed \(seed), \(seconds) virtual seconds, \(drained ? "drained" : "NOT drained by the deadline")")
        lines.append("")
        lines.append("Orders     " + OrderStatus.allCases.map { "\($0.rawValue) \(orders[$0.rawValue] ?? 0)" }.joined(separator: "   ")
                     + "   rejected \(rejectedOrders)")
        lines.append("Effects    emails sent \(emailsSent)   charges \(charges)   redeliveries \(redeliveries)   "
                     + "poison records \(poisonRecords)   ignored transitions \(ignoredTransitions)")
        lines.append("Invariants confirmedWithoutPayment \(invariants.confirmedWithoutPayment)   "
                     + "emailsWithoutPayment \(invariants.emailsWithoutPayment)   ordersWithoutEvent \(invariants.ordersWithoutEvent)   "
                     + "doubleCharges \(invariants.doubleCharges)   stuckPending \(invariants.stuckPending)")
        lines.append("")
        lines.append("Topics")
        for topic in topics {
            let parts = topic.partitions.map { "p\($0.partition) \($0.logStartOffset)..\($0.logEndOffset)" }
            lines.append("  " + topic.name.padding(toLength: 18, withPad: " ", startingAt: 0) + parts.joined(separator: "   "))
        }
        lines.append("")
        lines.append("Consumer groups (" + groupStates.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")")
        lines.append(formatGroupTable(describeRows))
        return lines.joined(separator: "\n")
    }
}
