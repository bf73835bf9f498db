import Foundation
import GRDB

/// Where the services keep their databases: in memory (the default) or as real SQLite files.
public enum DatabaseLocation: Sendable, Equatable {
    case inMemory
    /// Files in this directory, in WAL mode so another process can read them while orderflow runs.
    case directory(String)

    /// Opens one service's database and runs its migrations.
    func open(_ fileName: String, migrations: (inout DatabaseMigrator) -> Void) throws -> any DatabaseWriter {
        let writer: any DatabaseWriter
        switch self {
        case .inMemory:
            writer = try DatabaseQueue()
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

    /// The file names the services use, so a caller can refuse to overwrite an earlier run.
    public static let fileNames = ["orders.sqlite", "payments.sqlite", "provider.sqlite", "notifications.sqlite"]
}

extension DatabaseWriter {
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
