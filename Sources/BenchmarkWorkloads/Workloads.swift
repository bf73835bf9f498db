import Bus
import Dashboard
import Events
import Foundation
import GRDB
import Services
import Simulation

/// The benchmarked work, each with the baseline it is compared against in the same run. The
/// benchmark target times these at full size; a test runs them tiny so they cannot rot.
package enum Workloads {
    /// `count` distinct values of about 150 bytes, keyed by 36-byte UUIDs as the services' records are.
    package static func records(_ count: Int, seed: UInt64 = 1) -> (keys: [[UInt8]], values: [[UInt8]]) {
        var random = SeededRandom(seed: seed)
        var keys: [[UInt8]] = []
        var values: [[UInt8]] = []
        keys.reserveCapacity(count)
        values.reserveCapacity(count)
        // A few thousand distinct buffers, reused: the bus is measured, not the allocator.
        let distinct = min(count, 4096)
        for _ in 0..<distinct {
            keys.append(Array(random.uuid().utf8))
            values.append((0..<150).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        }
        for i in distinct..<count {
            keys.append(keys[i % distinct])
            values.append(values[i % distinct])
        }
        return (keys, values)
    }

    /// Produce → poll → commit through the real broker: 3 partitions, one group of one member,
    /// polls of up to 500 records and a commit per partition per poll. Returns records consumed.
    ///
    /// With a `cluster` of several replicas the sends go with `acks=all` and the virtual clock
    /// moves 100 ms after each batch of sends, so followers fetch and the high watermark (what
    /// the consumer may read) moves on: the cost of replication and of waiting sends.
    package static func busEndToEnd(
        keys: [[UInt8]], values: [[UInt8]], retention: Int = 100_000, config: ClusterConfig = ClusterConfig()
    ) -> Int {
        let cluster = Cluster(
            topics: [TopicConfig(name: "order.created", partitions: 3)], retention: retention, config: config)
        var now = VirtualTime.zero
        let coordinator = GroupCoordinator(cluster: cluster)
        coordinator.ensureGroup(
            "payment-service", config: GroupConfig(rebalanceTime: .zero, autoOffsetReset: .earliest))
        let member = MemberIdentity(memberId: "payment-service-1", clientId: "payment-service-1")
        coordinator.join(group: "payment-service", member: member, topics: ["order.created"], now: .zero)
        let headers = RecordHeaders(eventType: "OrderCreated", eventId: "e", correlationId: "c")
        var consumed = 0
        var produced = 0
        let batch = 3000
        while produced < keys.count {
            let end = min(keys.count, produced + batch)
            for i in produced..<end {
                _ = try? cluster.produce(
                    topic: "order.created", key: keys[i], value: values[i], headers: headers, timestamp: now,
                    acks: .all)
            }
            produced = end
            if !config.isSingleReplica {
                now = now + config.replicaFetchInterval
                cluster.advance(to: now)
            }
            while true {
                let result = coordinator.poll(
                    group: "payment-service", memberId: member.memberId, maxRecords: 500, now: now)
                if result.records.isEmpty { break }
                let records = result.records
                consumed += records.count
                // A poll's records come partition by partition: commit where each run ends.
                for i in records.indices
                where i == records.count - 1 || records[i + 1].partition != records[i].partition {
                    try? coordinator.commit(
                        group: "payment-service", memberId: member.memberId, records[i].topicPartition,
                        offset: records[i].offset + 1, now: now)
                }
            }
        }
        return consumed
    }

    /// What each retained record costs in resident memory, one broker against RF 3 in the same
    /// process: the records are produced (RF 3 with acks=all, the followers fetching) into a
    /// cluster that retains them all, and the growth of the resident set is divided by the count.
    /// Every cluster stays alive until all are measured, so none reuses another's freed pages.
    /// With `rounds` above one each figure is the median of that many: the test suite measures
    /// while other suites allocate and free beside it, which moves one round either way. Nil
    /// where the resident set cannot be read (no `/proc`).
    package static func retainedBytesPerRecord(_ count: Int, rounds: Int = 1) -> (
        oneBroker: Double, replicated: Double
    )? {
        let (keys, values) = records(count)
        let headers = RecordHeaders(eventType: "OrderCreated", eventId: "e", correlationId: "c")
        func fill(_ config: ClusterConfig) -> (Cluster, Double)? {
            guard let before = residentBytes() else { return nil }
            let cluster = Cluster(
                topics: [TopicConfig(name: "order.created", partitions: 3)], retention: count, config: config)
            var now = VirtualTime.zero
            for i in keys.indices {
                _ = try? cluster.produce(
                    topic: "order.created", key: keys[i], value: values[i], headers: headers, timestamp: now,
                    acks: .all)
                if i % 3000 == 2999 || i == keys.count - 1 {
                    now = now + config.replicaFetchInterval
                    cluster.advance(to: now)
                }
            }
            guard let after = residentBytes() else { return nil }
            return (cluster, Double(after - before) / Double(count))
        }
        var alive: [Cluster] = []
        var ones: [Double] = []
        var threes: [Double] = []
        for _ in 0..<max(1, rounds) {
            guard let (one, oneBytes) = fill(ClusterConfig()), let (three, threeBytes) = fill(replicatedCluster) else {
                return nil
            }
            alive += [one, three]
            ones.append(oneBytes)
            threes.append(threeBytes)
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        return withExtendedLifetime(alive) { (median(ones), median(threes)) }
    }

    /// The process's resident set in bytes, from Linux's `/proc/self/statm`. Freed memory stays
    /// resident and is reused, so a measurement is only true in a process that measured nothing
    /// before (the benchmark runs it once, without warm-up).
    static func residentBytes() -> Int64? {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int64(fields[1]) else { return nil }
        return pages * Int64(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// The baseline: the same byte buffers appended to a plain array and read back.
    package static func arrayBaseline(keys: [[UInt8]], values: [[UInt8]]) -> Int {
        var log: [(key: [UInt8], value: [UInt8])] = []
        log.reserveCapacity(keys.count)
        for i in keys.indices { log.append((keys[i], values[i])) }
        var bytes = 0
        for entry in log { bytes &+= entry.key.count &+ entry.value.count }
        return bytes
    }

    /// Kafka's partitioner over every key; returns a checksum so the work is not optimised away.
    package static func partitionAll(_ keys: [[UInt8]]) -> Int {
        var sum = 0
        for key in keys { sum &+= KafkaPartitioner.partition(forKey: key, partitionCount: 3) }
        return sum
    }

    /// The baseline: touching every byte of every key once.
    package static func touchAll(_ keys: [[UInt8]]) -> Int {
        var sum = 0
        for key in keys { for b in key { sum &+= Int(b) } }
        return sum
    }

    /// Honest mode, three services, SQLite in memory: `orders` placed, then drained. Returns how
    /// many orders reached CONFIRMED or PAYMENT_FAILED.
    ///
    /// The consumers are given the capacity of `Benchmarks/configs/day.yaml` (four payment instances, a
    /// 5–20 ms provider) and orders arrive at 300 per virtual second, which they keep up with: the
    /// figure is the cost of an order's journey, not of virtual hours spent draining a backlog.
    package static func fastForward(orders: Int, seed: UInt64 = 42, cluster: ClusterConfig = ClusterConfig()) throws
        -> Int
    {
        var config = OrderflowConfig()
        config.cluster = cluster
        config.seed = seed
        config.trafficAuto = false
        config.trafficRate = 300
        config.providerLatencyMin = .milliseconds(5)
        config.providerLatencyMax = .milliseconds(20)
        config.services[.payment]!.instances = 4
        config.services[.notification]!.processingTime = .milliseconds(5)
        config.drainDeadline = .minutes(24 * 60)
        let sim = try Simulation(config: config)
        _ = HeadlessRun(orders: orders, duration: nil, scenario: nil).run(sim)
        let counts = sim.orderService.board.counts
        return (counts[.confirmed] ?? 0) + (counts[.paymentFailed] ?? 0)
    }

    /// The article's outage: payment-service down for 20 virtual minutes while 312 orders arrive,
    /// then back, and drained. Returns the orders left PENDING_PAYMENT (0 when it drained).
    package static func outage(orders: Int = 312, minutes: Double = 20) throws -> Int {
        var config = OrderflowConfig()
        config.trafficAuto = false
        config.trafficRate = Double(orders) / (minutes * 60)
        // The service stops before it committed anything: with Kafka's default (latest) it
        // would skip the whole outage's backlog. The shipped scenario has traffic before the stop.
        config.autoOffsetReset = .earliest
        let sim = try Simulation(config: config)
        sim.perform(.stop(.payment))
        sim.limitTraffic(to: orders)
        sim.perform(.setTraffic(on: true))
        sim.advance(by: .minutes(minutes))
        sim.perform(.start(.payment))
        sim.perform(.setTraffic(on: false))
        sim.runUntilDrained(deadline: sim.now + .minutes(30))
        return sim.orderService.board.counts[.pendingPayment] ?? 0
    }

    /// A shipped scenario as `orderflow simulate --scenario NAME` runs it, read from this
    /// checkout's `config/scenarios/`: what users run, not a workload like it. Returns whether
    /// it drained.
    package static func shippedScenario(_ name: String) throws -> Bool {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let scenario = try Scenario.load(path: root.appendingPathComponent("config/scenarios/\(name).yaml").path)
        let sim = try Simulation(config: try scenario.config(over: OrderflowConfig()))
        return HeadlessRun(scenario: scenario).run(sim)
    }

    /// A dashboard behind its frames: `records` records in the logs and `orders` orders in the
    /// database, the consumers caught up on what matters to the panes.
    package static func loadedDashboard(records: Int, orders: Int) throws -> DashboardController {
        var config = OrderflowConfig()
        config.trafficAuto = false
        config.retention = max(records, 1)
        let sim = try Simulation(config: config)
        let (keys, values) = Workloads.records(min(records, 100_000))
        let headers = RecordHeaders(eventType: "Filler", eventId: "e", correlationId: "c")
        for i in 0..<records {
            _ = try? sim.cluster.produce(
                topic: "payment.failed", key: keys[i % keys.count], value: values[i % values.count],
                headers: headers, timestamp: sim.now, acks: .leader)
        }
        for _ in 0..<orders { sim.placeOrder() }
        sim.advance(by: .seconds(2))
        return DashboardController(simulation: sim)
    }

    /// One frame: snapshot, then render at the given size.
    package static func frame(_ controller: DashboardController, width: Int = 200, height: Int = 60) -> Int {
        controller.frame(width: width, height: height, glyphs: .unicode).cells.count
    }
}

extension Workloads {
    /// Baseline for the fast-forward run: one prepared insert per order into an in-memory SQLite
    /// table through GRDB, the least an order could cost to persist once.
    package static func sqliteInsertBaseline(rows: Int) throws -> Int {
        let db = try DatabaseQueue()
        try db.write { db in
            try db.execute(sql: "CREATE TABLE orders (id TEXT PRIMARY KEY, amount_cents INTEGER, status TEXT)")
        }
        var random = SeededRandom(seed: 7)
        for i in 0..<rows {
            try db.writeWithoutTransaction { db in
                try db.cachedStatement(sql: "INSERT INTO orders VALUES (?, ?, ?)").execute(arguments: [
                    random.uuid(), i, "PENDING_PAYMENT",
                ])
            }
        }
        return try db.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM orders") ?? 0 }
    }

    /// Baseline for a frame: writing a screenful of plain text into a fresh grid.
    package static func plainGridFill(width: Int = 200, height: Int = 60) -> Int {
        var grid = Grid(width: width, height: height)
        let line = String(repeating: "x", count: width)
        for y in 0..<height { grid.put(line, x: 0, y: y) }
        return grid.cells.count
    }

    /// The brokers lesson's cluster: three brokers, every partition on all three, min ISR 2.
    package static let replicatedCluster = ClusterConfig(brokers: 3, replicationFactor: 3, minInsyncReplicas: 2)
}
