import Bus
import Events
import Foundation
import GRDB
import Services

/// What a reconciliation sweep found: the orders database held against the `order.created`
/// log, the provider's ledger and the email gateway's record, class by class. Every list
/// holds order ids, sorted.
package struct ReconciliationReport: Encodable, Equatable, Sendable {
    package var at: VirtualTime
    package var ordersChecked: Int
    /// Orders created before this were not checked against the log: retention dropped that part.
    package var logCheckedFrom: VirtualTime?
    /// The order ids found per class of `Anomaly.sweepClasses` (what each means: `Anomaly`).
    private var found: [Anomaly: [String]] = [:]
    /// Set by a repair: how many OrderCreatedEvents it republished.
    package var republished: Int?

    package init(at: VirtualTime, ordersChecked: Int, logCheckedFrom: VirtualTime? = nil) {
        self.at = at
        self.ordersChecked = ordersChecked
        self.logCheckedFrom = logCheckedFrom
    }

    package var isClean: Bool { classes.allSatisfy { $0.orders.isEmpty } }

    /// The order ids the sweep found for one of `Anomaly.sweepClasses`; empty for the rest.
    package subscript(anomaly: Anomaly) -> [String] {
        get { found[anomaly] ?? [] }
        set { if Anomaly.sweepClasses.contains(anomaly) { found[anomaly] = newValue.isEmpty ? nil : newValue } }
    }

    /// The classes in the order the overlay and the text report list them.
    package var classes: [(anomaly: Anomaly, orders: [String])] {
        Anomaly.sweepClasses.map { ($0, self[$0]) }
    }

    /// A few lines for the text report: each class with its count and the first ids.
    package func text(label: String) -> String {
        var lines = [
            "Reconciliation (\(label) at \(at)): \(ordersChecked) orders checked"
                + (republished.map { ", \($0) OrderCreatedEvents republished" } ?? "")
        ]
        for c in classes {
            let ids =
                c.orders.prefix(4).map(shortOrderId).joined(separator: " ")
                + (c.orders.count > 4 ? " …" : "")
            lines.append(
                "  " + c.anomaly.rawValue.padding(toLength: 24, withPad: " ", startingAt: 0)
                    + String(c.orders.count).padding(toLength: 6, withPad: " ", startingAt: 0) + ids)
        }
        return lines.joined(separator: "\n")
    }

    /// Every class by its anomaly's name, empty ones too, beside when and how much was checked.
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnomalyKey.self)
        try c.encode(at.seconds, forKey: AnomalyKey(stringValue: "virtualSeconds"))
        try c.encode(ordersChecked, forKey: AnomalyKey(stringValue: "ordersChecked"))
        try c.encode(logCheckedFrom?.seconds, forKey: AnomalyKey(stringValue: "logCheckedFromSeconds"))
        try c.encode(
            Dictionary(uniqueKeysWithValues: classes.map { ($0.anomaly.rawValue, $0.orders.count) }),
            forKey: AnomalyKey(stringValue: "counts"))
        for anomaly in Anomaly.sweepClasses { try c.encode(self[anomaly], forKey: AnomalyKey(anomaly)) }
        try c.encode(republished, forKey: AnomalyKey(stringValue: "republished"))
    }
}

extension ReconciliationReport {
    /// A full sweep, as an operator's job would run it the next morning: whole tables and the
    /// retained log, no running counters. It costs a scan of each, so it runs on request. A
    /// database that cannot be read is an error, never an empty class.
    package static func sweep(_ records: FlowRecords, at now: VirtualTime) throws -> ReconciliationReport {
        var report = ReconciliationReport(at: now, ordersChecked: 0)
        let (givenUp, deadLettered) = deadLetters(records)
        var eventsPerOrder: [String: Int] = [:]
        var checkedFrom: VirtualTime?
        for tp in records.log.partitions(of: Topic.orderCreated) {
            let start = records.log.logStartOffset(tp)
            if start > 0, let first = records.log.record(tp, at: start) {
                checkedFrom = max(checkedFrom ?? first.timestamp, first.timestamp)
            }
            records.forEachRecord(tp) { record in
                // A dead-lettered copy and the one a redrive wrote back are one delivery: only the second counts.
                if record.eventType == OrderCreatedEvent.eventType,
                    !givenUp.contains(RecordMetadata(topic: tp.topic, partition: tp.partition, offset: record.offset))
                {
                    eventsPerOrder[record.keyString, default: 0] += 1
                }
            }
        }
        report.logCheckedFrom = checkedFrom
        let orders = try records.orders.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, status, created_at,
                      EXISTS(SELECT 1 FROM outbox WHERE outbox.order_id = orders.id AND published_at IS NULL) AS waiting
                    FROM orders ORDER BY id
                    """)
        }
        let charges = try countsPerOrder(
            records.ledger, "SELECT order_id, COUNT(*) AS n FROM charges WHERE outcome = 'succeeded' GROUP BY order_id")
        let emails = try countsPerOrder(records.emails, "SELECT order_id, COUNT(*) AS n FROM emails GROUP BY order_id")
        report.ordersChecked = orders.count
        for row in orders {
            let id: String = row["id"]
            let status: String = row["status"]
            let created = VirtualTime(milliseconds: row["created_at"])
            let charged = charges[id] ?? 0
            let emailed = emails[id] ?? 0
            let events = eventsPerOrder[id] ?? 0
            if events == 0, !(row["waiting"] as Bool), !deadLettered.contains(id),
                checkedFrom.map({ created >= $0 }) ?? true
            {
                report[.ordersWithoutEvent].append(id)
            }
            if status == OrderStatus.confirmed.rawValue && charged == 0 { report[.confirmedWithoutCharge].append(id) }
            if emailed > 0 && charged == 0 { report[.emailsWithoutCharge].append(id) }
            if charged > 0 && status != OrderStatus.confirmed.rawValue { report[.chargedNotConfirmed].append(id) }
            if charged > 1 { report[.doubleCharges].append(id) }
            if emailed > 1 { report[.duplicateEmails].append(id) }
            if events > 1 { report[.duplicateEvents].append(id) }
            if status == OrderStatus.cancelled.rawValue && emailed > 0 { report[.emailsAfterCancel].append(id) }
            if status == OrderStatus.pendingPayment.rawValue && deadLettered.contains(id) {
                report[.deadLettered].append(id)
            }
        }
        return report
    }

    /// What the dead-letter topics hold: where each record came from (`kafka_dlt-original-*`),
    /// and the keys (order ids) of them all.
    private static func deadLetters(_ records: FlowRecords) -> (givenUp: Set<RecordMetadata>, keys: Set<String>) {
        var givenUp: Set<RecordMetadata> = []
        var keys: Set<String> = []
        for topic in records.log.topics where Topic.source(ofDeadLetter: topic.name) != nil {
            for tp in records.log.partitions(of: topic.name) {
                records.forEachRecord(tp) { record in
                    keys.insert(record.keyString)
                    let h = record.headers
                    if let source = h[DeadLetterHeader.originalTopic],
                        let partition = h[DeadLetterHeader.originalPartition].flatMap({ Int($0) }),
                        let offset = h[DeadLetterHeader.originalOffset].flatMap({ Int64($0) })
                    {
                        givenUp.insert(RecordMetadata(topic: source, partition: partition, offset: offset))
                    }
                }
            }
        }
        return (givenUp, keys)
    }

    private static func countsPerOrder(_ database: any DatabaseReader, _ sql: String) throws -> [String: Int] {
        try database.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: sql) { counts[row["order_id"]] = row["n"] }
            return counts
        }
    }
}
