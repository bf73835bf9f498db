import Bus
import Foundation
import GRDB

/// The bus's older records in SQLite's temporary database, as Kafka keeps older log segments on
/// disk: a partition's newest chunks stay in memory, older ones are rows here, and SQLite keeps
/// a bounded page cache and deletes the file when the run ends. Without it, a run at the
/// default retention (100,000 records a partition) held every retained record in memory.
package final class TemporaryLogSpill: LogSpill {
    private let database: DatabaseQueue

    package init() throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -1000")
        }
        database = try DatabaseQueue(path: "", configuration: configuration)
        try database.writeWithoutTransaction { db in
            try db.execute(sql: "CREATE TABLE chunks (id INTEGER PRIMARY KEY, bytes BLOB NOT NULL)")
        }
    }

    package func store(_ bytes: [UInt8]) throws -> Int64 {
        try database.writeWithoutTransaction { db in
            try db.cachedStatement(sql: "INSERT INTO chunks (bytes) VALUES (?)").execute(arguments: [Data(bytes)])
            return db.lastInsertedRowID
        }
    }

    package func load(_ id: Int64) throws -> [UInt8] {
        try database.writeWithoutTransaction { db in
            guard
                let data = try Data.fetchOne(
                    db.cachedStatement(sql: "SELECT bytes FROM chunks WHERE id = ?"), arguments: [id])
            else { throw DatabaseError(message: "chunk \(id) is missing") }
            return [UInt8](data)
        }
    }

    package func remove(_ id: Int64) throws {
        try database.writeWithoutTransaction { db in
            try db.cachedStatement(sql: "DELETE FROM chunks WHERE id = ?").execute(arguments: [id])
        }
    }
}
