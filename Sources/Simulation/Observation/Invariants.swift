import Bus
import Events
import GRDB
import Services

/// The invariant counts, one per `Anomaly.invariants`: the anomaly is the key, in code, on
/// screen and in the reports' JSON, so a new invariant is one `Anomaly` case and nothing else.
package struct InvariantCounts: Codable, Equatable, Sendable {
    private var counts: [Anomaly: Int]

    /// `counts` of any of `Anomaly.invariants`; the rest are zero. Only non-zero counts are
    /// kept, so two counts are equal when every anomaly's count is.
    package init(_ counts: [Anomaly: Int] = [:]) {
        self.counts = counts.filter { Anomaly.invariants.contains($0.key) && $0.value != 0 }
    }

    /// The count of one of `Anomaly.invariants`; zero for what only the sweep finds.
    /// (Acknowledged records lost is the broker's count, `Cluster.lostRecords`, not the checker's.)
    package subscript(anomaly: Anomaly) -> Int {
        get { counts[anomaly] ?? 0 }
        set { if Anomaly.invariants.contains(anomaly) { counts[anomaly] = newValue == 0 ? nil : newValue } }
    }

    package var total: Int { Anomaly.invariants.reduce(0) { $0 + self[$1] } }

    /// Every invariant by its name, zero included: the reports' `invariants` object.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnomalyKey.self)
        for anomaly in Anomaly.invariants { try container.encode(self[anomaly], forKey: AnomalyKey(anomaly)) }
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnomalyKey.self)
        counts = [:]
        for anomaly in Anomaly.invariants {
            self[anomaly] = try container.decodeIfPresent(Int.self, forKey: AnomalyKey(anomaly)) ?? 0
        }
    }
}

/// An anomaly's name as a JSON key (and the few other keys of the objects it keys).
struct AnomalyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ anomaly: Anomaly) { stringValue = anomaly.rawValue }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// The order ids behind each invariant (stuck orders are only counted).
package struct InvariantViolations: Equatable, Sendable {
    private var ids: [Anomaly: Set<String>]

    init(_ ids: [Anomaly: Set<String>]) { self.ids = ids }

    package subscript(anomaly: Anomaly) -> Set<String> { ids[anomaly] ?? [] }
}

extension InvariantCounts {
    /// The counts of the violations' ids.
    init(_ violations: InvariantViolations) {
        self.init(Dictionary(uniqueKeysWithValues: Anomaly.invariants.map { ($0, violations[$0].count) }))
    }
}

/// Recomputes the invariants from the databases and the log, never from counters the services
/// keep about themselves.
///
/// It reads incrementally, with prepared statements kept per connection: rows past a watermark, plus the orders already in violation, so a
/// check costs what changed since the last one rather than the size of a day's tables.
final class InvariantChecker {
    private let orders: any DatabaseWriter
    private let ledger: any DatabaseWriter
    private let emails: any DatabaseWriter
    private let stuckAfter: VirtualDuration

    private var orderRowWatermark: Int64 = 0
    private var orderChangeWatermark: Int64 = 0
    private var chargeWatermark: Int64 = 0
    private var emailWatermark: Int64 = 0
    /// Order ids keyed on `order.created` records appended since the last check.
    private var announcedSinceCheck: Set<String> = []
    /// Order ids whose `order.created` record a truncation removed since the last check.
    private var truncatedSinceCheck: Set<String> = []

    private(set) var ordersWithoutEvent: Set<String> = []
    /// Unannounced orders whose outbox row the relay has not published yet: late, not lost.
    private var waitingInOutbox: Set<String> = []
    private(set) var confirmedWithoutCharge: Set<String> = []
    private(set) var emailsWithoutCharge: Set<String> = []
    private(set) var doubleCharges: Set<String> = []
    private(set) var duplicateEmails: Set<String> = []
    private(set) var refundNeeded: Set<String> = []
    private(set) var emailsAfterCancel: Set<String> = []
    /// Every CANCELLED order: few (a customer's action), and each can still be charged late.
    private var cancelled: Set<String> = []
    /// Orders past the stuck threshold and still PENDING_PAYMENT, counted without keeping their
    /// ids, so a backlog of a million costs nothing: an order is counted when it ages while
    /// pending, and uncounted when it leaves PENDING_PAYMENT after it aged. That is exact because
    /// an order written PENDING_PAYMENT (the honest design) leaves it once and never changes again
    /// (`OrderService.update` moves only from PENDING_PAYMENT, or an optimistic CONFIRMED order).
    private var stuckCount = 0
    private var agedRowWatermark: Int64 = 0
    var stuckPending: Int { stuckCount }

    init(
        orders: any DatabaseWriter, ledger: any DatabaseWriter, emails: any DatabaseWriter, stuckAfter: VirtualDuration
    ) {
        self.orders = orders
        self.ledger = ledger
        self.emails = emails
        self.stuckAfter = stuckAfter
    }

    /// Fed every record the log accepts.
    func observe(_ record: Bus.Record) {
        if record.topic == Topic.orderCreated { announcedSinceCheck.insert(record.keyString) }
    }

    /// Fed the records a new leader's shorter log removed: an order whose OrderCreatedEvent went
    /// is unannounced again, whatever its producer was told.
    func forget(_ records: [Bus.Record]) {
        for record in records where record.topic == Topic.orderCreated {
            announcedSinceCheck.remove(record.keyString)
            truncatedSinceCheck.insert(record.keyString)
        }
    }

    var violations: InvariantViolations {
        InvariantViolations([
            .ordersWithoutEvent: ordersWithoutEvent, .confirmedWithoutCharge: confirmedWithoutCharge,
            .emailsWithoutCharge: emailsWithoutCharge, .doubleCharges: doubleCharges,
            .duplicateEmails: duplicateEmails, .refundNeeded: refundNeeded, .emailsAfterCancel: emailsAfterCancel,
        ])
    }

    var counts: InvariantCounts {
        var counts = InvariantCounts(violations)
        counts[.stuckPending] = stuckCount
        return counts
    }

    func check(now: VirtualTime) throws {
        // Orders: new rows must have been announced; CONFIRMED ones must have been paid.
        // Only what changed since the last check is looked at: orders written or moved, emails
        // sent and charges made since then. A violation ends when a row that clears it is
        // written (a charge, a status change), so a long list of violators costs nothing per check.
        var confirmedCandidates: Set<String> = []
        var newlyCancelled: Set<String> = []
        var unannounced = waitingInOutbox.union(truncatedSinceCheck)
        truncatedSinceCheck.removeAll()
        try orders.readLatest { db in
            let fresh = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT rowid, id, status FROM orders WHERE rowid > ? ORDER BY rowid"),
                arguments: [orderRowWatermark])
            // Columns by position (rowid, id, status): a lookup by name lowercases and hashes.
            for row in fresh {
                let id: String = row[1]
                if !announcedSinceCheck.contains(id) { unannounced.insert(id) }
                // An optimistic order is CONFIRMED from its first write, with no change after it.
                if row[2] == OrderStatus.confirmed.rawValue { confirmedCandidates.insert(id) }
                orderRowWatermark = row[0]
            }
            // Orders that crossed the stuck threshold since the last check, oldest first: rowids
            // follow creation, so the cursor stops at the first order still too young.
            let cutoff = (now - stuckAfter).milliseconds
            // Orders aged at an earlier check: one of them leaving PENDING_PAYMENT was counted.
            let agedBefore = agedRowWatermark
            let aged = try Row.fetchCursor(
                db.cachedStatement(
                    sql: "SELECT rowid, id, status, created_at FROM orders WHERE rowid > ? ORDER BY rowid"),
                arguments: [agedRowWatermark])
            while let row = try aged.next() {
                guard (row[3] as Int64) <= cutoff else { break }
                if row[2] == OrderStatus.pendingPayment.rawValue { stuckCount += 1 }
                agedRowWatermark = row[0]
            }
            let changed = try Row.fetchAll(
                db.cachedStatement(
                    sql:
                        "SELECT id, status, change_seq, rowid, design FROM orders WHERE change_seq > ? ORDER BY change_seq"
                ),
                arguments: [orderChangeWatermark])
            for row in changed {
                let id: String = row[0]
                let status: String = row[1]
                if status == OrderStatus.confirmed.rawValue {
                    confirmedCandidates.insert(id)
                } else {
                    confirmedWithoutCharge.remove(id)
                }
                if status == OrderStatus.cancelled.rawValue {
                    cancelled.insert(id)
                    newlyCancelled.insert(id)
                }
                if status != OrderStatus.pendingPayment.rawValue, (row[3] as Int64) <= agedBefore,
                    row[4] == OrderDesign.honest.rawValue
                {
                    stuckCount -= 1
                }
                orderChangeWatermark = row[2]
            }
            // Orders announced late (by the relay, or a republish) leave the sets.
            ordersWithoutEvent.subtract(announcedSinceCheck)
            unannounced.subtract(announcedSinceCheck)
            let outboxRow = try db.cachedStatement(
                sql: "SELECT 1 FROM outbox WHERE order_id = ? AND published_at IS NULL LIMIT 1")
            waitingInOutbox = try unannounced.filter { try Bool.fetchOne(outboxRow, arguments: [$0]) == true }
            ordersWithoutEvent.formUnion(unannounced.subtracting(waitingInOutbox))
        }
        announcedSinceCheck.removeAll(keepingCapacity: true)

        var emailCandidates: Set<String> = []
        try emails.readLatest { db in
            let perOrder = try db.cachedStatement(sql: "SELECT COUNT(*) FROM emails WHERE order_id = ?")
            for row in try Row.fetchAll(
                db.cachedStatement(sql: "SELECT id, order_id FROM emails WHERE id > ? ORDER BY id"),
                arguments: [emailWatermark])
            {
                let orderId: String = row[1]
                emailCandidates.insert(orderId)
                if cancelled.contains(orderId) { emailsAfterCancel.insert(orderId) }
                if try Int.fetchOne(perOrder, arguments: [orderId]) ?? 0 > 1 { duplicateEmails.insert(orderId) }
                emailWatermark = row[0]
            }
            for id in newlyCancelled where try Int.fetchOne(perOrder, arguments: [id]) ?? 0 > 0 {
                emailsAfterCancel.insert(id)
            }
        }

        try ledger.readLatest { db in
            let charges = try db.cachedStatement(
                sql: "SELECT COUNT(*) FROM charges WHERE order_id = ? AND outcome = 'succeeded'")
            func paid(_ id: String) throws -> Int { try Int.fetchOne(charges, arguments: [id]) ?? 0 }
            let newCharges = try Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT id, order_id FROM charges WHERE id > ? AND outcome = 'succeeded' ORDER BY id"),
                arguments: [chargeWatermark])
            for row in newCharges {
                let orderId: String = row[1]
                confirmedWithoutCharge.remove(orderId)
                emailsWithoutCharge.remove(orderId)
                if try paid(orderId) > 1 { doubleCharges.insert(orderId) }
                if cancelled.contains(orderId) { refundNeeded.insert(orderId) }
            }
            if let last = try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(id) FROM charges")) {
                chargeWatermark = last
            }
            confirmedWithoutCharge.formUnion(try confirmedCandidates.filter { try paid($0) == 0 })
            emailsWithoutCharge.formUnion(try emailCandidates.filter { try paid($0) == 0 })
            refundNeeded.formUnion(try newlyCancelled.filter { try paid($0) > 0 })
        }
    }
}
