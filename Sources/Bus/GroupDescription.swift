/// What `kafka-consumer-groups.sh --describe` reports for one group, by the rules of Kafka's
/// `ConsumerGroupCommand`: the offsets view (the default), `--members` and `--state`.
package struct GroupDescription: Hashable, Sendable {
    /// One line of `--describe --members`.
    package struct Member: Hashable, Sendable {
        package var consumerId: String
        /// `GROUP-INSTANCE-ID`: a static member's `group.instance.id`.
        package var groupInstanceId: String?
        package var host: String
        package var clientId: String
        /// `#PARTITIONS`: 0 while a classic group rebalances, as the coordinator sends no
        /// assignment then; a consumer-protocol member's current assignment.
        package var partitions: Int
        /// Consumer protocol, `--verbose`: CURRENT-EPOCH, CURRENT-ASSIGNMENT, TARGET-EPOCH and
        /// TARGET-ASSIGNMENT.
        package var memberEpoch: Int?
        package var assignment: [TopicPartition]?
        package var targetEpoch: Int?
        package var targetAssignment: [TopicPartition]?

        package init(
            consumerId: String, groupInstanceId: String? = nil, host: String, clientId: String, partitions: Int
        ) {
            self.consumerId = consumerId
            self.groupInstanceId = groupInstanceId
            self.host = host
            self.clientId = clientId
            self.partitions = partitions
        }

        init(identity: MemberIdentity, partitions: Int) {
            self.init(
                consumerId: identity.memberId, groupInstanceId: identity.groupInstanceId, host: identity.host,
                clientId: identity.clientId, partitions: partitions)
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
    /// with a commit and no owner. A classic group shows owners only when Stable.
    package var rows: [GroupDescriptionRow]
    /// Consumer protocol, `--state --verbose`: `GROUP-EPOCH` and `TARGET-ASSIGNMENT-EPOCH`.
    package var groupEpoch: Int?
    package var targetAssignmentEpoch: Int?

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
        case .preparingRebalance, .completingRebalance, .assigning, .reconciling:
            "Warning: Consumer group '\(group)' is rebalancing."
        case .stable: nil
        }
    }
}

extension GroupCoordinator {
    /// What `kafka-consumer-groups.sh --describe --group G` reports.
    package func describe(group groupId: String) -> GroupDescription {
        let g = group(groupId)
        func row(_ tp: TopicPartition, _ owner: MemberIdentity?) -> GroupDescriptionRow {
            let committed = g.offsets.committed[tp]
            // Kafka's tool asks ListOffsets(latest): the high watermark.
            let end = cluster.highWatermark(tp)
            return GroupDescriptionRow(
                group: groupId, topic: tp.topic, partition: tp.partition, currentOffset: committed,
                logEndOffset: end, lag: lag(logEndOffset: end, committedOffset: committed),
                consumerId: owner?.memberId, host: owner?.host, clientId: owner?.clientId)
        }
        var rows: [GroupDescriptionRow] = []
        var shown = Set<TopicPartition>()
        // Largest assignment first, ties in the coordinator's member order.
        let assigned = g.describedAssignment().enumerated().filter { !$0.element.partitions.isEmpty }
            .sorted { (-$0.element.partitions.count, $0.offset) < (-$1.element.partitions.count, $1.offset) }
        for (_, m) in assigned {
            for tp in m.partitions {
                rows.append(row(tp, m.member))
                shown.insert(tp)
            }
        }
        for tp in g.offsets.committed.keys.sorted() where !shown.contains(tp) { rows.append(row(tp, nil)) }
        var d = GroupDescription(
            group: groupId, state: g.state, assignmentStrategy: g.assignmentStrategy, members: g.describeMembers(),
            rows: rows)
        if let consumer = g as? ConsumerGroup {
            d.groupEpoch = consumer.groupEpoch
            d.targetAssignmentEpoch = consumer.targetEpoch
        }
        return d
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

/// `--describe --members` for each group, as Kafka 4's `ConsumerGroupCommand.printMembers`:
/// GROUP CONSUMER-ID HOST CLIENT-ID #PARTITIONS, with GROUP-INSTANCE-ID after CONSUMER-ID when a
/// member has one, and for consumer-protocol members `--verbose`'s CURRENT-EPOCH,
/// CURRENT-ASSIGNMENT, TARGET-EPOCH and TARGET-ASSIGNMENT (`topic:0,1`, topics `;`-separated).
package func formatMembersTable(_ groups: [GroupDescription]) -> String {
    let members = groups.flatMap { d in d.members.map { (d.group, $0) } }
    let instances = members.contains { $0.1.groupInstanceId != nil }
    let epochs = members.contains { $0.1.memberEpoch != nil }
    func text(_ assignment: [TopicPartition]?) -> String {
        guard let assignment, !assignment.isEmpty else { return "-" }
        return Dictionary(grouping: assignment, by: \.topic).map { topic, tps in
            topic + ":" + tps.map(\.partition).sorted().map(String.init).joined(separator: ",")
        }.sorted().joined(separator: ";")
    }
    var header: [String] = ["GROUP", "CONSUMER-ID"]
    var least = [15, 15]
    if instances {
        header.append("GROUP-INSTANCE-ID")
        least.append(17)
    }
    header += ["HOST", "CLIENT-ID", "#PARTITIONS"]
    least += [15, 15, 15]
    if epochs {
        header += ["CURRENT-EPOCH", "CURRENT-ASSIGNMENT", "TARGET-EPOCH", "TARGET-ASSIGNMENT"]
        least += [15, 20, 15, 0]
    }
    let body: [[String]] = members.map { group, m in
        var cells: [String] = [group, m.consumerId]
        if instances { cells.append(m.groupInstanceId ?? "-") }
        cells += [m.host, m.clientId, String(m.partitions)]
        if epochs {
            cells += [
                m.memberEpoch.map(String.init) ?? "-", text(m.assignment), m.targetEpoch.map(String.init) ?? "-",
                text(m.targetAssignment),
            ]
        }
        return cells
    }
    let widths: [Int] = header.indices.map { c in
        c == header.count - 1 ? 0 : max(least[c], body.map { $0[c].count }.max() ?? 0)
    }
    return formatColumns([header] + body, widths: widths)
}

/// `--describe --state` for each group: GROUP COORDINATOR (ID) ASSIGNMENT-STRATEGY STATE #MEMBERS,
/// with `--verbose`'s GROUP-EPOCH and TARGET-ASSIGNMENT-EPOCH before #MEMBERS when a group runs
/// the consumer protocol (Kafka 4's `printStates`).
package func formatStateTable(_ groups: [GroupDescription]) -> String {
    let epochs = groups.contains { $0.groupEpoch != nil }
    let body = groups.map { d in
        [d.group, d.coordinator, d.assignmentStrategy ?? "-", d.state.rawValue]
            + (epochs ? [d.groupEpoch.map(String.init) ?? "-", d.targetAssignmentEpoch.map(String.init) ?? "-"] : [])
            + [String(d.members.count)]
    }
    let header =
        ["GROUP", "COORDINATOR (ID)", "ASSIGNMENT-STRATEGY", "STATE"]
        + (epochs ? ["GROUP-EPOCH", "TARGET-ASSIGNMENT-EPOCH"] : []) + ["#MEMBERS"]
    var widths = [max(15, body.map { $0[0].count }.max() ?? 0), max(25, body.map { $0[1].count }.max() ?? 0), 20, 20]
    widths += (epochs ? [15, 25] : []) + [0]
    return formatColumns([header] + body, widths: widths)
}

/// Left-aligned columns of at least `widths` characters, one space apart; the last column unpadded.
private func formatColumns(_ table: [[String]], widths: [Int]) -> String {
    table.map { row in
        row.enumerated().map { c, cell in
            c == row.count - 1 ? cell : cell + String(repeating: " ", count: max(0, widths[c] - cell.count))
        }.joined(separator: " ")
    }.joined(separator: "\n")
}
