/// One row of `kafka-consumer-groups.sh --describe`.
package struct GroupDescriptionRow: Hashable, Sendable {
    package var group: String
    package var topic: String
    package var partition: Int
    /// The committed offset; nil when the group has committed nothing for this partition.
    package var currentOffset: Int64?
    package var logEndOffset: Int64
    /// LOG-END-OFFSET − CURRENT-OFFSET; unknown (nil, printed `-`) when nothing is committed, never 0.
    package var lag: Int64?
    package var consumerId: String?
    package var host: String?
    package var clientId: String?

    package init(
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
package func lag(logEndOffset: Int64, committedOffset: Int64?) -> Int64? {
    committedOffset.map { max(0, logEndOffset - $0) }
}

extension GroupCoordinator {
    /// Every partition the group subscribes to, in topic and partition order, with its commit and
    /// lag whatever the group's state: the simulation's own view (is everything read?), not the
    /// tool's, which hides what `describe(group:)` explains.
    package func partitionLags(group groupId: String) -> [GroupDescriptionRow] {
        subscribedTopics(ofGroup: groupId).sorted().flatMap { topic in
            cluster.partitions(of: topic).map { tp in
                let committed = committedOffset(group: groupId, tp)
                let end = cluster.highWatermark(tp)
                return GroupDescriptionRow(
                    group: groupId, topic: topic, partition: tp.partition, currentOffset: committed,
                    logEndOffset: end, lag: lag(logEndOffset: end, committedOffset: committed))
            }
        }
    }

    /// The sum of known lags, or nil when no partition of the group has a commit yet.
    package func totalLag(group groupId: String) -> Int64? { Bus.totalLag(of: partitionLags(group: groupId)) }
}

/// The sum of the known lags of `rows`, or nil when none is known.
package func totalLag(of rows: [GroupDescriptionRow]) -> Int64? {
    let lags = rows.compactMap(\.lag)
    return lags.isEmpty ? nil : lags.reduce(0, +)
}
