/// One row of `kafka-consumer-groups.sh --describe`.
public struct GroupDescriptionRow: Hashable, Sendable {
    public var group: String
    public var topic: String
    public var partition: Int
    /// The committed offset; nil when the group has committed nothing for this partition.
    public var currentOffset: Int64?
    public var logEndOffset: Int64
    /// LOG-END-OFFSET − CURRENT-OFFSET; unknown (nil, printed `-`) when nothing is committed, never 0.
    public var lag: Int64?
    public var consumerId: String?
    public var host: String?
    public var clientId: String?

    public init(
        group: String, topic: String, partition: Int, currentOffset: Int64? = nil, logEndOffset: Int64,
        lag: Int64? = nil, consumerId: String? = nil, host: String? = nil, clientId: String? = nil
    ) {
        self.group = group
        self.topic = topic
        self.partition = partition
        self.currentOffset = currentOffset
        self.logEndOffset = logEndOffset
        self.lag = lag
        self.consumerId = consumerId
        self.host = host
        self.clientId = clientId
    }
}

/// Lag per group and partition is log-end offset minus committed offset.
public func lag(logEndOffset: Int64, committedOffset: Int64?) -> Int64? {
    committedOffset.map { max(0, logEndOffset - $0) }
}

extension Broker {
    /// The rows `kafka-consumer-groups.sh --describe --group G` would print, sorted by topic and partition.
    public func describe(group groupId: String) -> [GroupDescriptionRow] {
        subscribedTopics(ofGroup: groupId).sorted().flatMap { topic in
            partitions(of: topic).map { tp in
                let committed = committedOffset(group: groupId, tp)
                let end = logEndOffset(tp)
                let owner = self.owner(group: groupId, tp)
                return GroupDescriptionRow(
                    group: groupId, topic: topic, partition: tp.partition,
                    currentOffset: committed, logEndOffset: end,
                    lag: lag(logEndOffset: end, committedOffset: committed),
                    consumerId: owner?.memberId, host: owner?.host, clientId: owner?.clientId)
            }
        }
    }

    /// The sum of known lags, or nil when no partition of the group has a commit yet.
    public func totalLag(group groupId: String) -> Int64? {
        let lags = describe(group: groupId).compactMap(\.lag)
        return lags.isEmpty ? nil : lags.reduce(0, +)
    }
}

/// Renders describe rows in the tool's own column layout, `-` for unknowns.
public func formatGroupTable(_ rows: [GroupDescriptionRow]) -> String {
    let header = [
        "GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID",
    ]
    let body = rows.map { r in
        [
            r.group, r.topic, String(r.partition), r.currentOffset.map(String.init) ?? "-", String(r.logEndOffset),
            r.lag.map(String.init) ?? "-", r.consumerId ?? "-", r.host ?? "-", r.clientId ?? "-",
        ]
    }
    let table = [header] + body
    let widths = header.indices.map { c in table.map { $0[c].count }.max() ?? 0 }
    return table.map { row in
        row.enumerated().map { c, cell in
            c == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[c] - cell.count)
        }.joined(separator: " ")
    }.joined(separator: "\n")
}
