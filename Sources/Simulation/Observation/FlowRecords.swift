import Bus
import GRDB
import Services

/// What the reconciliation sweep and an order's journey read, and nothing else: the retained
/// log and the four databases, read-only. They take this instead of the simulation, so they
/// cannot change what they look at.
package struct FlowRecords {
    let log: Cluster
    let orders: any DatabaseReader
    let payments: any DatabaseReader
    let ledger: any DatabaseReader
    let emails: any DatabaseReader

    package init(
        log: Cluster, orders: any DatabaseReader, payments: any DatabaseReader, ledger: any DatabaseReader,
        emails: any DatabaseReader
    ) {
        self.log = log
        self.orders = orders
        self.payments = payments
        self.ledger = ledger
        self.emails = emails
    }

    /// Every retained record of one partition, oldest first, read in bounded batches.
    func forEachRecord(_ tp: TopicPartition, _ body: (Bus.Record) throws -> Void) rethrows {
        var offset = log.logStartOffset(tp)
        while offset < log.logEndOffset(tp) {
            let batch = log.records(tp, from: offset, limit: 10_000)
            guard let last = batch.last else { break }
            for record in batch { try body(record) }
            offset = last.offset + 1
        }
    }

    /// The order whose id is `idOrPrefix`, or starts with it (the dashboard shows 8 characters).
    /// The prefix is compared as text, never as a LIKE pattern: `%` or `_` match nothing.
    /// Every order whose id starts with `prefix` (an exact id matches itself alone), at most
    /// `limit` of them in the order they were placed, and how many there are.
    package func ordersMatching(_ prefix: String, limit: Int) throws -> (ids: [String], total: Int) {
        guard !prefix.isEmpty else { return ([], 0) }
        return try orders.read { db in
            if try String.fetchOne(db, sql: "SELECT id FROM orders WHERE id = ?", arguments: [prefix]) != nil {
                return ([prefix], 1)
            }
            let filter = "FROM orders WHERE substr(id, 1, length(?)) = ?"
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) \(filter)", arguments: [prefix, prefix]) ?? 0
            let ids = try String.fetchAll(
                db, sql: "SELECT id \(filter) ORDER BY rowid LIMIT ?", arguments: [prefix, prefix, limit])
            return (ids, total)
        }
    }

    package func findOrder(_ idOrPrefix: String) throws -> String? {
        guard !idOrPrefix.isEmpty else { return nil }
        return try orders.read { db in
            try String.fetchOne(
                db,
                sql: "SELECT id FROM orders WHERE substr(id, 1, length(?)) = ? ORDER BY id = ? DESC, rowid LIMIT 1",
                arguments: [idOrPrefix, idOrPrefix, idOrPrefix])
        }
    }
}
