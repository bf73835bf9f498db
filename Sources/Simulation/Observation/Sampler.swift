import Bus
import Events

/// The per-second samples behind the sparklines and the growing-lag markers, and the feed of
/// recent records: bounded windows, so a day-long run keeps a minute of history.
struct Sampler {
    private var appendsThisSecond: [TopicPartition: Int64] = [:]
    private(set) var appendHistory: [TopicPartition: History] = [:]
    private(set) var lagHistory: [String: History] = [:]
    /// The highest total lag each group reached, sampled every virtual second.
    private(set) var peakLag: [String: Int64] = [:]
    /// Each describe row's lag at the last two per-second samples, to spot growing lag.
    private var rowLag: [RowKey: (previous: Int64?, current: Int64?)] = [:]
    /// Each row's committed offset over the last `rateWindow` seconds: how fast the group consumes.
    private var committed: [RowKey: History] = [:]
    /// The window the consumption rate is measured over (lag in time's catch-up estimate).
    static let rateWindow = 10
    private struct RowKey: Hashable {
        var group: String
        var partition: TopicPartition
    }
    private(set) var recentRecords = RecentFeed<Snapshot.RecordRow>(capacity: 200)
    private(set) var clusterEvents = RecentFeed<Snapshot.ClusterEventRow>(capacity: 50)

    init(topics: [TopicConfig]) {
        for tp in topics.flatMap({ t in (0..<t.partitions).map { TopicPartition(t.name, $0) } }) {
            appendHistory[tp] = History(capacity: 60)
        }
        for service in ServiceName.allCases { lagHistory[service.rawValue] = History(capacity: 60) }
    }

    mutating func recordAppended(_ record: Record) {
        appendsThisSecond[record.topicPartition, default: 0] += 1
        recentRecords.append(
            Snapshot.RecordRow(
                timestamp: record.timestamp, topic: record.topic, partition: record.partition,
                offset: record.offset, key: record.keyString, eventType: record.eventType))
    }

    mutating func clusterEvent(_ row: Snapshot.ClusterEventRow) { clusterEvents.append(row) }

    /// Closes a virtual second: appends per partition, total lag per group, each row's lag.
    mutating func sample(_ coordinator: GroupCoordinator) {
        for tp in appendHistory.keys.sorted() {
            appendHistory[tp]?.append(appendsThisSecond[tp] ?? 0)
        }
        appendsThisSecond.removeAll(keepingCapacity: true)
        for service in ServiceName.allCases {
            let rows = coordinator.partitionLags(group: service.rawValue)
            let total = rows.compactMap(\.lag).reduce(0, +)
            lagHistory[service.rawValue]?.append(total)
            peakLag[service.rawValue] = max(peakLag[service.rawValue] ?? 0, total)
            for row in rows {
                let key = RowKey(group: row.group, partition: TopicPartition(row.topic, row.partition))
                rowLag[key] = (rowLag[key]?.current, row.lag)
                if let offset = row.currentOffset {
                    committed[key, default: History(capacity: Self.rateWindow + 1)].append(offset)
                } else {
                    committed[key] = nil
                }
            }
        }
    }

    /// Records committed per virtual second on the row's partition over the last `rateWindow`
    /// seconds (fewer while the history is shorter); nil before two samples exist.
    func consumptionRate(_ row: GroupDescriptionRow) -> Double? {
        guard let history = committed[RowKey(group: row.group, partition: TopicPartition(row.topic, row.partition))],
            history.count >= 2, let first = history.first, let last = history.last
        else { return nil }
        return Double(max(0, last - first)) / Double(history.count - 1)
    }

    /// Lag above what it was a virtual second before, and still at least the last sample.
    func isGrowing(_ row: GroupDescriptionRow) -> Bool {
        guard let sample = rowLag[RowKey(group: row.group, partition: TopicPartition(row.topic, row.partition))],
            let current = sample.current, let now = row.lag
        else { return false }
        let previous = sample.previous ?? 0
        return current > previous && now >= current
    }
}
