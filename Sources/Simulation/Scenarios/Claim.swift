import Bus
import Events
import Services
import Yams

/// A claim a step makes about the run at the moment it ran (`expect:`), checked by
/// `orderflow scenarios check` and marked on the dashboard when false:
///
///     expect:
///       anomalies: {ordersWithoutEvent: 1, stuckPending: ">0"}
///       orders: {PENDING_PAYMENT: ">=3", CONFIRMED: 10}
///       lag: {payment-service: ">0"}
///       brokers: {2: fenced}
///       partitions: {order.created-0: {leader: 3, isr: [1, 3], highWatermark: 12}}
///       producerErrors: {NotEnoughReplicas: ">0"}
///
/// A number may be exact or carry one of `>`, `>=`, `<`, `<=`, `!=`; an ISR is compared as a set.
package struct Claim: Sendable, Equatable {
    package enum Subject: Sendable, Equatable {
        case anomaly(Anomaly)
        case orders(OrderStatus)
        case lag(group: String)
        case broker(Int)
        case leader(TopicPartition)
        case isr(TopicPartition)
        case highWatermark(TopicPartition)
        case producerErrors(String)
    }

    package enum Expected: Sendable, Equatable {
        case number(Comparison, Int64)
        case word(String)
        case ids([Int])
    }

    package enum Comparison: String, Sendable, CaseIterable {
        case equal = ""
        case greater = ">"
        case atLeast = ">="
        case less = "<"
        case atMost = "<="
        case notEqual = "!="

        func holds(_ actual: Int64, _ bound: Int64) -> Bool {
            switch self {
            case .equal: actual == bound
            case .greater: actual > bound
            case .atLeast: actual >= bound
            case .less: actual < bound
            case .atMost: actual <= bound
            case .notEqual: actual != bound
            }
        }
    }

    package var subject: Subject
    package var expected: Expected
    /// Its place in the file, such as `steps[3].expect.lag.payment-service`.
    package var key: String
    package var line: Int?

    /// What the claim says, as a trainer reads it: `lag payment-service >0`.
    package var text: String {
        let what: String =
            switch subject {
            case .anomaly(let a): "\(a.rawValue)"
            case .orders(let s): "\(s.rawValue) count"
            case .lag(let g): "lag of \(g)"
            case .broker(let id): "broker \(id)"
            case .leader(let tp): "leader of \(tp.topic)-\(tp.partition)"
            case .isr(let tp): "ISR of \(tp.topic)-\(tp.partition)"
            case .highWatermark(let tp): "high watermark of \(tp.topic)-\(tp.partition)"
            case .producerErrors(let e): "\(e) error count"
            }
        return "\(what) \(Self.spell(expected))"
    }

    static func spell(_ expected: Expected) -> String {
        switch expected {
        case .number(let c, let n): c == .equal ? "is \(n)" : "\(c.rawValue) \(n)"
        case .word(let w): "is \(w)"
        case .ids(let ids): "is [\(ids.map(String.init).joined(separator: ", "))]"
        }
    }

    /// The value the run has, in the claim's terms; nil when the claim holds.
    package func failure(in snapshot: Snapshot) -> String? {
        let actual = Self.actual(subject, in: snapshot)
        switch (expected, actual) {
        case (.number(let c, let bound), .number(_, let value)): return c.holds(value, bound) ? nil : "\(value)"
        case (.word(let w), .word(let value)): return w == value ? nil : value
        case (.ids(let ids), .ids(let value)): return ids == value ? nil : Self.spell(actual).dropFirst(3).description
        case (_, .word(let value)): return value
        default: return Self.spell(actual).dropFirst(3).description
        }
    }

    static func actual(_ subject: Subject, in s: Snapshot) -> Expected {
        func partition(_ tp: TopicPartition) -> Snapshot.PartitionRow? {
            s.partitions.first { $0.topic == tp.topic && $0.partition == tp.partition }
        }
        switch subject {
        case .anomaly(.acknowledgedRecordsLost): return .number(.equal, Int64(s.acknowledgedRecordsLost))
        case .anomaly(let a): return .number(.equal, Int64(s.invariants[a]))
        case .orders(let status): return .number(.equal, Int64(s.orderCounts[status] ?? 0))
        case .lag(let group):
            guard let row = s.groups.first(where: { $0.group == group }) else { return .word("no such group") }
            return row.totalLag.map { .number(.equal, $0) } ?? .word("unknown (no committed offset)")
        case .broker(let id):
            guard let b = s.brokers.first(where: { $0.id == id }) else { return .word("no such broker") }
            return .word(b.up && b.stalled ? "stalled" : b.liveness.name)
        case .leader(let tp):
            guard let p = partition(tp) else { return .word("no such partition") }
            guard let replication = p.replication else { return .number(.equal, 1) }
            return replication.leader.map { .number(.equal, Int64($0)) } ?? .word("none")
        case .isr(let tp):
            guard let p = partition(tp) else { return .word("no such partition") }
            return .ids((p.replication?.isr ?? [1]).sorted())
        case .highWatermark(let tp):
            guard let p = partition(tp) else { return .word("no such partition") }
            return .number(.equal, p.replication?.highWatermark ?? p.logEndOffset)
        case .producerErrors(let name):
            return .number(.equal, Int64(s.cluster?.errors[name] ?? 0))
        }
    }
}

extension Claim {
    /// The anomalies a claim may name: the checker's, and the broker's lost records.
    static let anomalies = Anomaly.invariants + [.acknowledgedRecordsLost]

    /// Reads a step's `expect:` block.
    static func parse(_ m: YAMLMapping) throws(InputError) -> [Claim] {
        var claims: [Claim] = []
        func add(_ subject: Subject, _ expected: Expected, _ block: YAMLMapping, _ key: String) {
            claims.append(
                Claim(subject: subject, expected: expected, key: block.qualified(key), line: block.line(of: key)))
        }
        /// A block of counts whose keys name what is counted: each key checked, each value a number.
        func counts(_ name: String, _ kind: String, _ known: [String], _ subject: (String) -> Subject?)
            throws(InputError)
        {
            guard let block = try m.mapping(name) else { return }
            for key in block.keys {
                guard let what = subject(key) else {
                    throw block.error(
                        key, "unknown \(kind); the ones a claim may name are \(known.joined(separator: ", "))")
                }
                add(what, try number(block, key), block, key)
            }
            try block.finish()
        }
        try counts("anomalies", "anomaly", anomalies.map(\.rawValue)) { key in
            Anomaly(rawValue: key).flatMap { anomalies.contains($0) ? .anomaly($0) : nil }
        }
        try counts("orders", "status", OrderStatus.allCases.map(\.rawValue)) {
            OrderStatus(rawValue: $0).map { .orders($0) }
        }
        try counts("lag", "group", ServiceName.allCases.map(\.rawValue)) {
            ServiceName(rawValue: $0) != nil ? .lag(group: $0) : nil
        }
        if let block = try m.mapping("brokers") {
            let states = ["up", "unfenced", "registering", "fenced", "stalled"]
            for key in block.keys {
                guard let id = Int(key), (1...9).contains(id) else {
                    throw block.error(key, "expected a broker id, 1 to 9")
                }
                guard let state = try block.string(key), states.contains(state) else {
                    throw block.error(key, "expected one of \(states.joined(separator: ", "))")
                }
                add(.broker(id), .word(state), block, key)
            }
            try block.finish()
        }
        if let block = try m.mapping("partitions") {
            for key in block.keys {
                guard let tp = topicPartition(key) else {
                    throw block.error(key, "expected a partition as topic-N, such as order.created-0")
                }
                guard let fields = try block.mapping(key) else { continue }
                if let leader = try fields.string("leader") {
                    if leader == "none" {
                        add(.leader(tp), .word("none"), fields, "leader")
                    } else if let id = Int(leader), (1...9).contains(id) {
                        add(.leader(tp), .number(.equal, Int64(id)), fields, "leader")
                    } else {
                        throw fields.error("leader", "expected a broker id, 1 to 9, or none")
                    }
                }
                if let isr = try fields.intList("isr", in: 1...9) { add(.isr(tp), .ids(isr.sorted()), fields, "isr") }
                if fields.keys.contains("highWatermark") {
                    add(.highWatermark(tp), try number(fields, "highWatermark"), fields, "highWatermark")
                }
                try fields.finish()
            }
            try block.finish()
        }
        if let block = try m.mapping("producerErrors") {
            for key in block.keys { add(.producerErrors(key), try number(block, key), block, key) }
            try block.finish()
        }
        try m.finish()
        guard !claims.isEmpty else { throw m.error("anomalies", "an expect: block needs at least one claim") }
        return claims
    }

    /// `12`, or a comparison such as `">0"` or `"<=3"`.
    static func number(_ m: YAMLMapping, _ key: String) throws(InputError) -> Expected {
        guard let text = try m.string(key) else { throw m.error(key, "expected a number or a comparison such as >0") }
        let op =
            Comparison.allCases.filter { !$0.rawValue.isEmpty && text.hasPrefix($0.rawValue) }
            .max { $0.rawValue.count < $1.rawValue.count } ?? .equal
        let digits = text.dropFirst(op.rawValue.count).trimmingPrefix(" ")
        guard let n = Int64(digits), n >= 0 else {
            throw m.error(key, "expected a number or a comparison such as >0, >=3, <5, !=0, got '\(text.prefix(40))'")
        }
        return .number(op, n)
    }

    static func topicPartition(_ text: String) -> TopicPartition? {
        guard let dash = text.lastIndex(of: "-"), let n = Int(text[text.index(after: dash)...]), n >= 0 else {
            return nil
        }
        return TopicPartition(String(text[..<dash]), n)
    }
}
