import Bus

extension Claim {
    /// A step's claims as the `expect:` block `parse` reads, one line per kind (partitions one
    /// line each), so a recording of a lesson keeps the lesson's claims.
    package static func yamlLines(_ claims: [Claim], indent: String) -> [String] {
        guard !claims.isEmpty else { return [] }
        func value(_ expected: Expected) -> String {
            switch expected {
            case .number(.equal, let n): "\(n)"
            case .number(let c, let n): "\"\(c.rawValue)\(n)\""
            case .word(let w): w
            case .ids(let ids): "[" + ids.map(String.init).joined(separator: ", ") + "]"
            }
        }
        var blocks: [(String, [(String, String)])] = []
        func add(_ block: String, _ key: String, _ expected: Expected) {
            if let i = blocks.firstIndex(where: { $0.0 == block }) {
                blocks[i].1.append((key, value(expected)))
            } else {
                blocks.append((block, [(key, value(expected))]))
            }
        }
        var partitions: [(String, [(String, String)])] = []
        func addPartition(_ tp: TopicPartition, _ field: String, _ expected: Expected) {
            let name = "\(tp.topic)-\(tp.partition)"
            if let i = partitions.firstIndex(where: { $0.0 == name }) {
                partitions[i].1.append((field, value(expected)))
            } else {
                partitions.append((name, [(field, value(expected))]))
            }
        }
        for claim in claims {
            switch claim.subject {
            case .anomaly(let a): add("anomalies", a.rawValue, claim.expected)
            case .orders(let s): add("orders", s.rawValue, claim.expected)
            case .lag(let g): add("lag", g, claim.expected)
            case .broker(let id): add("brokers", "\(id)", claim.expected)
            case .producerErrors(let e): add("producerErrors", e, claim.expected)
            case .leader(let tp): addPartition(tp, "leader", claim.expected)
            case .isr(let tp): addPartition(tp, "isr", claim.expected)
            case .highWatermark(let tp): addPartition(tp, "highWatermark", claim.expected)
            }
        }
        func flow(_ pairs: [(String, String)]) -> String {
            "{" + pairs.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + "}"
        }
        var lines = [indent + "expect:"]
        lines += blocks.map { indent + "  \($0.0): " + flow($0.1) }
        if !partitions.isEmpty {
            lines.append(indent + "  partitions:")
            lines += partitions.map { indent + "    \($0.0): " + flow($0.1) }
        }
        return lines
    }
}
