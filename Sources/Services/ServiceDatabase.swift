import Foundation
import GRDB

/// Where the services keep their databases: in memory (the default) or as real SQLite files.
package enum DatabaseLocation: Sendable, Equatable {
    case inMemory
    /// Files in this directory, in WAL mode so another process can read them while orderflow runs.
    case directory(String)

    /// Opens one service's database and runs its migrations.
    func open(_ fileName: String, migrations: (inout DatabaseMigrator) -> Void) throws -> any DatabaseWriter {
        let writer: any DatabaseWriter
        switch self {
        case .inMemory:
            // SQLite's temporary database (an empty file name): its pages live in a bounded cache
            // (2 MB) and spill to a file SQLite deletes on close, so a long run at full speed does
            // not grow by every order it ever placed, as ":memory:" would. The journal stays in
            // memory (rollback still works); nothing here needs to survive a crash.
            var configuration = Configuration()
            // A WriteBatch keeps one transaction open across accesses; GRDB refuses that unless told.
            configuration.allowsUnsafeTransactions = true
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA cache_size = -2000")
            }
            writer = try DatabaseQueue(path: "", configuration: configuration)
        case .directory(let dir):
            // A pool is GRDB's WAL-mode writer: readers in other processes never block it. In WAL
            // mode synchronous=NORMAL cannot corrupt the file and skips an fsync per commit,
            // which at FULL would cap a fast-forwarded run at a few hundred writes a second.
            var configuration = Configuration()
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            writer = try DatabasePool(
                path: URL(fileURLWithPath: dir).appendingPathComponent(fileName).path,
                configuration: configuration)
        }
        var migrator = DatabaseMigrator()
        migrations(&migrator)
        try migrator.migrate(writer)
        return writer
    }

    /// Whether several jobs' writes may share one transaction: only where nobody else can read
    /// the database, so the grouping is invisible. Files under `--db-dir` are read by other
    /// processes while orderflow runs, and there every write commits on its own.
    package var groupsWrites: Bool { self == .inMemory }

    /// The file names the services use, so a caller can refuse to overwrite an earlier run.
    package static let fileNames = ["orders.sqlite", "payments.sqlite", "provider.sqlite", "notifications.sqlite"]
}

extension DatabaseWriter {
    /// Reads on the writer's own connection, without the read-only transaction GRDB's `read`
    /// wraps around each access (four statements parsed and run per call: most of what a small
    /// read cost). The simulation is single-threaded, so nothing writes while this reads; on a
    /// `--db-dir` pool it also sees what this process wrote, committed or not.
    package func readLatest<T>(_ body: (Database) throws -> T) throws -> T {
        try writeWithoutTransaction(body)
    }

    /// Runs `updates` atomically: in a transaction of its own, or as a savepoint when a
    /// `WriteBatch` already holds one open (GRDB's `write` would try a nested BEGIN).
    func writeAtomically<T>(_ updates: (Database) throws -> T) throws -> T {
        try writeWithoutTransaction { db in
            var result: T?
            try db.inSavepoint {
                result = try updates(db)
                return .commit
            }
            guard let result else { throw DatabaseError(message: "the savepoint returned no result") }
            return result
        }
    }

    /// Runs one statement in SQLite's own implicit transaction, with the statement prepared once
    /// per connection and reused: every service write is a single statement, and preparing it
    /// anew each time cost more than running it. Returns the number of rows changed.
    @discardableResult
    func executeCached(_ sql: String, _ arguments: StatementArguments) throws -> Int {
        try writeWithoutTransaction { db in
            try db.cachedStatement(sql: sql).execute(arguments: arguments)
            return db.changesCount
        }
    }
}
