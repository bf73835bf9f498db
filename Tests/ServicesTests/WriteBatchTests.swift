import Foundation
import GRDB
import Testing

@testable import Services

/// `WriteBatch` groups writes into one transaction; grouping must never lose or reorder a write.
@Suite struct WriteBatchTests {
    struct Failure: Error {}

    /// A file database (so a second connection can look) with a table, and a reader on it.
    func databases() throws -> (writer: DatabaseQueue, reader: DatabaseQueue, cleanup: () -> Void) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("writebatch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let path = dir.appendingPathComponent("t.sqlite").path
        let writer = try DatabaseQueue(path: path, configuration: configuration)
        try writer.write { db in try db.execute(sql: "CREATE TABLE t (n INTEGER)") }
        let reader = try DatabaseQueue(path: path)
        return (writer, reader, { try? FileManager.default.removeItem(at: dir) })
    }

    func count(_ db: DatabaseQueue) throws -> Int {
        try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM t") ?? 0 }
    }

    func insert(_ writer: DatabaseQueue, _ n: Int) throws {
        try writer.writeAtomically { db in try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: [n]) }
    }

    @Test func writesCommitTogetherEveryJobsPerCommitAndWhenClosed() throws {
        let (writer, reader, cleanup) = try databases()
        defer { cleanup() }
        let batch = WriteBatch(writers: [writer], location: .inMemory, jobsPerCommit: 2)
        try batch.begin()
        try insert(writer, 1)
        try batch.jobDone()
        #expect(try count(reader) == 0, "held in the open transaction")
        #expect(
            try writer.readLatest { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM t") } == 1, "the writer sees it")
        try insert(writer, 2)
        try batch.jobDone()
        #expect(try count(reader) == 2, "two jobs: committed")
        try insert(writer, 3)
        try batch.commit()
        #expect(try count(reader) == 3)
    }

    @Test func aFailedAtomicWriteRollsBackAloneInsideTheBatch() throws {
        let (writer, reader, cleanup) = try databases()
        defer { cleanup() }
        let batch = WriteBatch(writers: [writer], location: .inMemory)
        try batch.begin()
        try insert(writer, 1)
        #expect(throws: Failure.self) {
            try writer.writeAtomically { db in
                try db.execute(sql: "INSERT INTO t VALUES (2)")
                throw Failure()
            }
        }
        try insert(writer, 3)
        try batch.commit()
        #expect(try reader.read { try Int.fetchAll($0, sql: "SELECT n FROM t ORDER BY rowid") } == [1, 3])
    }

    @Test func databasesOthersReadAreNeverGrouped() throws {
        let (writer, reader, cleanup) = try databases()
        defer { cleanup() }
        let batch = WriteBatch(writers: [writer], location: .directory("/unused"))
        try batch.begin()
        try insert(writer, 1)
        #expect(try count(reader) == 1, "committed at once, as under --db-dir")
        try batch.commit()
    }
}

/// The bus's older records in SQLite's temporary database.
