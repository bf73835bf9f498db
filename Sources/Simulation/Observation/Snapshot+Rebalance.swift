import Bus

extension Snapshot {
    /// A partition that is not being read: why, and since when (the pause view).
    package struct PartitionPause: Sendable, Equatable {
        package var status: PartitionStatus
        package var since: VirtualTime

        package init(status: PartitionStatus, since: VirtualTime) {
            self.status = status
            self.since = since
        }
    }
}

extension Simulation {
    /// Each describe row's pause, nil for a partition being read. An empty group's partitions
    /// are all unassigned, which its state already says: none is a pause to point at.
    func rowPauses(group: String, rows: [GroupDescriptionRow]) -> [Snapshot.PartitionPause?] {
        let statuses = coordinator.partitionStatuses(ofGroup: group)
        let empty = coordinator.state(ofGroup: group) == .empty
        return rows.map { row in
            guard let s = statuses[TopicPartition(row.topic, row.partition)], s.status.isPaused,
                !(empty && s.status == .unassigned)
            else { return nil }
            return Snapshot.PartitionPause(status: s.status, since: s.since)
        }
    }
}
