/// The partition assignment strategies a group can be configured with.
package enum AssignorKind: String, Sendable, CaseIterable {
    /// Kafka's default first choice: per topic, contiguous ranges.
    case range
    /// Every partition of every subscribed topic dealt out in turn; not sticky.
    case roundRobin = "round-robin"
    /// Balanced, keeps ownership where it can, and moves partitions in two rounds.
    case cooperativeSticky = "cooperative-sticky"

    /// The names Kafka's `partition.assignment.strategy` takes: its short names and its class
    /// names (and orderflow's own spelling `round-robin`).
    package init?(kafkaName name: String) {
        let prefix = "org.apache.kafka.clients.consumer."
        switch name.hasPrefix(prefix) ? String(name.dropFirst(prefix.count)) : name {
        case "range", "RangeAssignor": self = .range
        case "roundrobin", "round-robin", "RoundRobinAssignor": self = .roundRobin
        case "cooperative-sticky", "CooperativeStickyAssignor": self = .cooperativeSticky
        default: return nil
        }
    }

    /// The name Kafka's docs use for it.
    package var kafkaName: String {
        switch self {
        case .range: "range"
        case .roundRobin: "roundrobin"
        case .cooperativeSticky: "cooperative-sticky"
        }
    }

    func assign(_ input: AssignorInput) -> [String: [TopicPartition]] {
        switch self {
        case .range: RangeAssignor.assign(input)
        case .roundRobin: RoundRobinAssignor.assign(input)
        case .cooperativeSticky: StickyAssignor.assign(input)
        }
    }
}

package struct AssignorInput: Sendable {
    package struct Member: Sendable {
        package var id: String
        package var topics: [String]
        package init(id: String, topics: [String]) {
            self.id = id
            self.topics = topics
        }
    }

    package var members: [Member]
    package var partitionsByTopic: [String: Int]
    /// The assignment before this rebalance; only the sticky assignor reads it.
    package var previous: [String: [TopicPartition]]

    package init(members: [Member], partitionsByTopic: [String: Int], previous: [String: [TopicPartition]] = [:]) {
        self.members = members.sorted { $0.id < $1.id }
        self.partitionsByTopic = partitionsByTopic
        self.previous = previous
    }

    var topics: [String] { Set(members.flatMap(\.topics)).sorted() }

    func subscribers(of topic: String) -> [String] {
        members.filter { $0.topics.contains(topic) }.map(\.id)
    }

    func emptyAssignment() -> [String: [TopicPartition]] {
        Dictionary(uniqueKeysWithValues: members.map { ($0.id, []) })
    }
}

/// Per topic: partitions in order, members sorted by id; each member gets `n / c` and the
/// first `n % c` one more.
package enum RangeAssignor {
    package static func assign(_ input: AssignorInput) -> [String: [TopicPartition]] {
        var result = input.emptyAssignment()
        for topic in input.topics {
            let consumers = input.subscribers(of: topic)
            let n = input.partitionsByTopic[topic] ?? 0
            guard !consumers.isEmpty else { continue }
            let base = n / consumers.count
            let extra = n % consumers.count
            var next = 0
            for (i, consumer) in consumers.enumerated() {
                let count = base + (i < extra ? 1 : 0)
                result[consumer]! += (next..<next + count).map { TopicPartition(topic, $0) }
                next += count
            }
        }
        return result.mapValues { $0.sorted() }
    }
}

/// All partitions of all subscribed topics, sorted, dealt to members in a circle; a member
/// not subscribed to a partition's topic is skipped.
package enum RoundRobinAssignor {
    package static func assign(_ input: AssignorInput) -> [String: [TopicPartition]] {
        var result = input.emptyAssignment()
        guard !input.members.isEmpty else { return result }
        var cursor = 0
        for topic in input.topics {
            for p in 0..<(input.partitionsByTopic[topic] ?? 0) {
                // Find the next member in the circle that subscribes to this topic.
                for step in 0..<input.members.count {
                    let member = input.members[(cursor + step) % input.members.count]
                    if member.topics.contains(topic) {
                        result[member.id]!.append(TopicPartition(topic, p))
                        cursor = (cursor + step + 1) % input.members.count
                        break
                    }
                }
            }
        }
        return result
    }
}

/// Balanced (member counts differ by at most one) and sticky (a partition stays with its
/// previous owner whenever balance allows).
package enum StickyAssignor {
    package static func assign(_ input: AssignorInput) -> [String: [TopicPartition]] {
        var result = input.emptyAssignment()
        guard !input.members.isEmpty else { return result }
        let all = input.topics.flatMap { topic in
            (0..<(input.partitionsByTopic[topic] ?? 0)).map { TopicPartition(topic, $0) }
        }
        let subscribed = Dictionary(uniqueKeysWithValues: input.members.map { ($0.id, Set($0.topics)) })
        let base = all.count / input.members.count
        let extra = all.count % input.members.count

        // Members that owned the most keep the extra slots, so fewer partitions move.
        let previous = input.members.map { m in
            (
                id: m.id,
                owned: (input.previous[m.id] ?? []).filter {
                    all.contains($0) && subscribed[m.id]?.contains($0.topic) == true
                }
                .sorted()
            )
        }
        let byOwned = previous.sorted { ($0.owned.count, $1.id) > ($1.owned.count, $0.id) }
        var quota: [String: Int] = [:]
        for (i, m) in byOwned.enumerated() { quota[m.id] = base + (i < extra ? 1 : 0) }

        // Each topic is balanced too, as Kafka's sticky assignors do where they can: a member keeps
        // at most its share of each topic, and what it keeps alternates between topics.
        func share(of topic: String) -> Int {
            let members = input.members.filter { subscribed[$0.id]?.contains(topic) == true }.count
            let partitions = input.partitionsByTopic[topic] ?? 0
            return members == 0 ? 0 : (partitions + members - 1) / members
        }
        func count(_ member: String, _ topic: String) -> Int {
            result[member, default: []].filter { $0.topic == topic }.count
        }
        var taken: Set<TopicPartition> = []
        for m in previous {
            let byTopic = Dictionary(grouping: m.owned, by: \.topic).mapValues { $0.sorted() }
            let longest = byTopic.values.map(\.count).max() ?? 0
            let interleaved = (0..<longest).flatMap { i in
                byTopic.keys.sorted().compactMap { topic in i < (byTopic[topic]?.count ?? 0) ? byTopic[topic]?[i] : nil
                }
            }
            for tp in interleaved where !taken.contains(tp) {
                guard result[m.id, default: []].count < quota[m.id, default: 0],
                    count(m.id, tp.topic) < share(of: tp.topic)
                else { continue }
                result[m.id, default: []].append(tp)
                taken.insert(tp)
            }
        }
        for tp in all where !taken.contains(tp) {
            // The subscribed member with room that has the fewest of this topic, then the fewest
            // in all, ties to the smallest id.
            let candidates = input.members.filter { subscribed[$0.id]?.contains(tp.topic) == true }
            let withRoom = candidates.filter { result[$0.id, default: []].count < quota[$0.id, default: 0] }
            let pool = withRoom.isEmpty ? candidates : withRoom
            guard
                let chosen = pool.min(by: {
                    (count($0.id, tp.topic), result[$0.id, default: []].count, $0.id)
                        < (count($1.id, tp.topic), result[$1.id, default: []].count, $1.id)
                })
            else { continue }
            result[chosen.id, default: []].append(tp)
            taken.insert(tp)
        }
        return result.mapValues { $0.sorted() }
    }
}
