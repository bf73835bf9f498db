import Bus
import Events
import Foundation
import GRDB
import Services

/// What a reconciliation sweep found: the orders database held against the `order.created`
/// log, the provider's ledger and the email gateway's record, class by class. Every list
/// holds order ids, sorted.
public struct ReconciliationReport: Encodable, Equatable, Sendable {
    public var at: VirtualTime
    public var ordersChecked: Int
    /// Orders created before this were not checked against the log: retention dropped that part.
    public var logCheckedFrom: VirtualTime?
    /// Committed, and no OrderCreatedEvent in the log (an outbox row still waiting does not count).
    public var ordersWithoutEvent: [String] = []
    public var confirmedWithoutCharge: [String] = []
    /// A confirmation email went out and the provider never charged.
    public var emailsWithoutCharge: [String] = []
    /// Charged, and not CONFIRMED: still on its way, or CANCELLED and owed a refund.
    public var chargedNotConfirmed: [String] = []
    public var duplicateCharges: [String] = []
    public var duplicateEmails: [String] = []
    /// More than one OrderCreatedEvent for the order: a relay crash or a repair raced a late publish.
    public var duplicateEvents: [String] = []
    /// Set by a repair: how many OrderCreatedEvents it republished.
    public var republished: Int?

    public var isClean: Bool {
        ordersWithoutEvent.isEmpty && confirmedWithoutCharge.isEmpty && emailsWithoutCharge.isEmpty
            && chargedNotConfirmed.isEmpty && duplicateCharges.isEmpty && duplicateEmails.isEmpty && duplicateEvents.isEmpty
    }

    /// The classes in the order the overlay and the text report list them, with what each means.
    public var classes: [(name: String, meaning: String, orders: [String])] {
        [("ordersWithoutEvent", "committed, never published", ordersWithoutEvent),
         ("confirmedWithoutCharge", "CONFIRMED, never charged", confirmedWithoutCharge),
         ("emailsWithoutCharge", "told confirmed, never charged", emailsWithoutCharge),
         ("chargedNotConfirmed", "charged, not CONFIRMED", chargedNotConfirmed),
         ("duplicateCharges", "charged more than once", duplicateCharges),
         ("duplicateEmails", "emailed more than once", duplicateEmails),
         ("duplicateEvents", "order.created more than once", duplicateEvents)]
    }

    /// A few lines for the text report: each class with its count and the first ids.
    public func text(label: String) -> String {
        var lines = ["Reconciliation (\(label) at \(at)): \(ordersChecked) orders checked"
                     + (republished.map { ", \($0) OrderCreatedEvents republished" } ?? "")]
        for c in classes {
            let ids = c.orders.prefix(4).map { String($0.prefix(8)) }.joined(separator: " ") + (c.orders.count > 4 ? " …" : "")
            lines.append("  " + c.name.padding(toLength: 24, withPad: " ", startingAt: 0)
                         + String(c.orders.count).padding(toLength: 6, withPad: " ", startingAt: 0) + ids)
        }
        return lines.joined(separator: "\n")
    }

    private enum CodingKeys: String, CodingKey {
        case virtualSeconds, ordersChecked, logCheckedFromSeconds, counts, ordersWithoutEvent, confirmedWithoutCharge,
             emailsWithoutCharge, chargedNotConfirmed, duplicateCharges, duplicateEmails, duplicateEvents, republished
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(at.seconds, forKey: .virtualSeconds)
        try c.encode(ordersChecked, forKey: .ordersChecked)
        try c.encode(logCheckedFrom?.seconds, forKey: .logCheckedFromSeconds)
        try c.encode(Dictionary(uniqueKeysWithValues: classes.map { ($0.name, $0.orders.count) }), forKey: .counts)
        try c.encode(ordersWithoutEvent, forKey: .ordersWithoutEvent)
        try c.encode(confirmedWithoutCharge, forKey: .confirmedWithoutCharge)
        try c.encode(emailsWithoutCharge, forKey: .emailsWithoutCharge)
        try c.encode(chargedNotConfirmed, forKey: .chargedNotConfirmed)
        try c.encode(duplicateCharges, forKey: .duplicateCharges)
        try c.encode(duplicateEmails, forKey: .duplicateEmails)
        try c.encode(duplicateEvents, forKey: .duplicateEvents)
        try c.encode(republished, forKey: .republished)
    }
}

extension Simulation {
    /// A full sweep, as an operator's job would run it the next morning: whole tables and the
    /// retained log, no running counters. It costs a scan of each, so it runs on request.
    public func reconcile() -> ReconciliationReport {
        var report = ReconciliationReport(at: now, ordersChecked: 0)
        var eventsPerOrder: [String: Int] = [:]
        var checkedFrom: VirtualTime?
        for tp in broker.partitions(of: Topic.orderCreated) {
            var offset = broker.logStartOffset(tp)
            if offset > 0, let first = broker.record(tp, at: offset) {
                checkedFrom = max(checkedFrom ?? first.timestamp, first.timestamp)
            }
            while offset < broker.logEndOffset(tp) {
                let batch = broker.records(tp, from: offset, limit: 10_000)
                guard let last = batch.last else { break }
                for record in batch where record.headers.eventType == OrderCreatedEvent.eventType {
                    eventsPerOrder[record.keyString, default: 0] += 1
                }
                offset = last.offset + 1
            }
        }
        report.logCheckedFrom = checkedFrom
        do {
            let orders = try orderService.database.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT id, status, created_at, EXISTS(SELECT 1 FROM outbox WHERE outbox.order_id = orders.id AND published_at IS NULL) AS waiting
                    FROM orders ORDER BY id
                    """)
            }
            let charges = try provider.database.read { db in
                try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: """
                    SELECT order_id, COUNT(*) AS n FROM charges WHERE outcome = 'succeeded' GROUP BY order_id
                    """).map { ($0["order_id"] as String, $0["n"] as Int) })
            }
            let emails = try notificationService.database.read { db in
                try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT order_id, COUNT(*) AS n FROM emails GROUP BY order_id")
                    .map { ($0["order_id"] as String, $0["n"] as Int) })
            }
            report.ordersChecked = orders.count
            for row in orders {
                let id: String = row["id"], status: String = row["status"]
                let created = VirtualTime(milliseconds: row["created_at"])
                let charged = charges[id] ?? 0, emailed = emails[id] ?? 0, events = eventsPerOrder[id] ?? 0
                if events == 0, !(row["waiting"] as Bool), checkedFrom.map({ created >= $0 }) ?? true {
                    report.ordersWithoutEvent.append(id)
                }
                if status == OrderStatus.confirmed.rawValue && charged == 0 { report.confirmedWithoutCharge.append(id) }
                if emailed > 0 && charged == 0 { report.emailsWithoutCharge.append(id) }
                if charged > 0 && status != OrderStatus.confirmed.rawValue { report.chargedNotConfirmed.append(id) }
                if charged > 1 { report.duplicateCharges.append(id) }
                if emailed > 1 { report.duplicateEmails.append(id) }
                if events > 1 { report.duplicateEvents.append(id) }
            }
        } catch {
            logger.error("reconciliation could not read a database: \(error)")
        }
        return report
    }

    /// The sweep's repair: each order without an event gets a fresh OrderCreatedEvent, built
    /// from its row, so the payment service finally sees it. Returns the sweep, with the count.
    public func repair() -> ReconciliationReport {
        var report = reconcile()
        var republished = 0
        for id in report.ordersWithoutEvent {
            do {
                guard let order = try orderService.order(id) else { continue }
                let event = OrderCreatedEvent(eventId: repairRandom.uuid(), orderId: id, customerId: order.customerId,
                                              amountCents: order.amountCents, currency: order.currency,
                                              createdAt: order.createdAt.milliseconds)
                try broker.publish(event, now: now)
                republished += 1
            } catch {
                logger.warning("repair could not republish \(id): \(error)")
            }
        }
        report.republished = republished
        return report
    }
}
