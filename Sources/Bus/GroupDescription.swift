/// What `kafka-consumer-groups.sh --describe` reports for one group, by the rules of Kafka's
/// `ConsumerGroupCommand`: the offsets view (the default), `--members` and `--state`.
package struct GroupDescription: Hashable, Sendable {
    /// One line of `--describe --members`.
    package struct Member: Hashable, Sendable {
        package var consumerId: String
        package var host: String
        package var clientId: String
        /// `#PARTITIONS`: 0 while the group rebalances, as the coordinator sends no assignment then.
        package var partitions: Int

        package init(consumerId: String, host: String, clientId: String, partitions: Int) {
            self.consumerId = consumerId
            self.host = host
            self.clientId = clientId
            self.partitions = partitions
        }
    }

    package var group: String
    package var state: GroupState
    /// `ASSIGNMENT-STRATEGY`: the protocol the group agreed on; nil (`-`) for an empty group.
    package var assignmentStrategy: String?
    /// `COORDINATOR (ID)`: orderflow has one broker.
    package var coordinator: String
    /// `--members`, in the coordinator's order.
    package var members: [Member]
    /// The offsets view: each member's partitions (largest assignment first), then the partitions
    /// with a commit and no owner. Only a Stable group shows owners.
    package var rows: [GroupDescriptionRow]

    package init(
        group: String, state: GroupState, assignmentStrategy: String?, coordinator: String = GroupCoordinator.address,
        members: [Member], rows: [GroupDescriptionRow]
    ) {
        self.group = group
        self.state = state
        self.assignmentStrategy = assignmentStrategy
        self.coordinator = coordinator
        self.members = members
        self.rows = rows
    }

    /// What the tool prints above the table: Kafka's words for a group that is not Stable.
    package var notice: String? {
        switch state {
        case .empty: "Consumer group '\(group)' has no active members."
        case .preparingRebalance, .completingRebalance: "Warning: Consumer group '\(group)' is rebalancing."
        case .stable: nil
        }
    }
}

extension GroupCoordinator {
    /// What `kafka-consumer-groups.sh --describe --group G` reports.
    package func describe(group groupId: String) -> GroupDescription {
        let g = group(groupId)
        let stable = g.state == .stable
        let members = g.members.values.sorted { $0.joinSequence < $1.joinSequence }
        // The coordinator hands out assignments only in a Stable group.
        func assigned(_ m: ConsumerGroup.Member) -> [TopicPartition] {
            stable ? (g.assignment[m.identity.memberId] ?? []).sorted() : []
        }
        func row(_ tp: TopicPartition, _ owner: MemberIdentity?) -> GroupDescriptionRow {
            let committed = g.committed[tp]
            // Kafka's tool asks ListOffsets(latest): the high watermark.
            let end = cluster.highWatermark(tp)
            return GroupDescriptionRow(
                group: groupId, topic: tp.topic, partition: tp.partition, currentOffset: committed,
                logEndOffset: end, lag: lag(logEndOffset: end, committedOffset: committed),
                consumerId: owner?.memberId, host: owner?.host, clientId: owner?.clientId)
        }
        var rows: [GroupDescriptionRow] = []
        var shown = Set<TopicPartition>()
        let bySize = members.filter { !assigned($0).isEmpty }
            .sorted { (-assigned($0).count, $0.joinSequence) < (-assigned($1).count, $1.joinSequence) }
        for m in bySize {
            for tp in assigned(m) {
                rows.append(row(tp, m.identity))
                shown.insert(tp)
            }
        }
        for tp in g.committed.keys.sorted() where !shown.contains(tp) { rows.append(row(tp, nil)) }
        return GroupDescription(
            group: groupId, state: g.state, assignmentStrategy: g.members.isEmpty ? nil : g.config.assignor.kafkaName,
            members: members.map { m in
                GroupDescription.Member(
                    consumerId: m.identity.memberId, host: m.identity.host, clientId: m.identity.clientId,
                    partitions: assigned(m).count)
            }, rows: rows)
    }
}

/// The offsets view in the tool's layout: Kafka's column widths (at least 15 for the group,
/// topic, consumer id and host; 10 for the partition; 15 for the offsets and lag), `-` for unknowns.
/// `extra` columns (a title and a cell per row) follow Kafka's own, as orderflow's lag in time does.
package func formatGroupTable(_ rows: [GroupDescriptionRow], extra: [(title: String, cells: [String])] = []) -> String {
    func widest(_ cell: (GroupDescriptionRow) -> String) -> Int { max(15, rows.map { cell($0).count }.max() ?? 0) }
    var widths: [Int] = [
        widest(\.group), widest(\.topic), 10, 15, 15, 15, widest { $0.consumerId ?? "-" }, widest { $0.host ?? "-" },
        extra.isEmpty ? 0 : widest { $0.clientId ?? "-" },
    ]
    let header =
        [
            "GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST",
            "CLIENT-ID",
        ] + extra.map(\.title)
    widths += extra.map { column in max(column.title.count, column.cells.map(\.count).max() ?? 0) }
    let body = rows.enumerated().map { n, r in
        [
            r.group, r.topic, String(r.partition), r.currentOffset.map(String.init) ?? "-", String(r.logEndOffset),
            r.lag.map(String.init) ?? "-", r.consumerId ?? "-", r.host ?? "-", r.clientId ?? "-",
        ] + extra.map { n < $0.cells.count ? $0.cells[n] : "-" }
    }
    return formatColumns([header] + body, widths: widths)
}

/// `--describe --members` for each group: GROUP CONSUMER-ID HOST CLIENT-ID #PARTITIONS.
package func formatMembersTable(_ groups: [GroupDescription]) -> String {
    let body = groups.flatMap { d in
        d.members.map { [d.group, $0.consumerId, $0.host, $0.clientId, String($0.partitions)] }
    }
    let header = ["GROUP", "CONSUMER-ID", "HOST", "CLIENT-ID", "#PARTITIONS"]
    let widths = (0..<4).map { c in max(15, body.map { $0[c].count }.max() ?? 0) } + [0]
    return formatColumns([header] + body, widths: widths)
}

/// `--describe --state` for each group: GROUP COORDINATOR (ID) ASSIGNMENT-STRATEGY STATE #MEMBERS.
package func formatStateTable(_ groups: [GroupDescription]) -> String {
    let body = groups.map { d in
        [d.group, d.coordinator, d.assignmentStrategy ?? "-", d.state.rawValue, String(d.members.count)]
    }
    let widths = [
        max(15, body.map { $0[0].count }.max() ?? 0), max(25, body.map { $0[1].count }.max() ?? 0), 20, 20, 0,
    ]
    return formatColumns(
        [["GROUP", "COORDINATOR (ID)", "ASSIGNMENT-STRATEGY", "STATE", "#MEMBERS"]] + body, widths: widths)
}

/// Left-aligned columns of at least `widths` characters, one space apart; the last column unpadded.
private func formatColumns(_ table: [[String]], widths: [Int]) -> String {
    table.map { row in
        row.enumerated().map { c, cell in
            c == row.count - 1 ? cell : cell + String(repeating: " ", count: max(0, widths[c] - cell.count))
        }.joined(separator: " ")
    }.joined(separator: "\n")
}
