import GRDB

/// Groups the services' writes into one SQLite transaction per stretch of the clock.
///
/// Every service write is one statement (or one savepoint) and, on its own, one transaction;
/// most of a fast-forwarded run's SQLite time went to starting and ending those. While a batch is
/// open the statements share one transaction, committed every `jobsPerCommit` jobs and whenever
/// the clock stops (so the dashboard, between frames, reads committed rows). Only databases
/// nobody else can read are grouped (`DatabaseLocation.groupsWrites`): the same connection sees
/// its own uncommitted rows, so no result changes.
package final class WriteBatch {
    private let writers: [any DatabaseWriter]
    private var open = false
    private var jobs = 0
    let jobsPerCommit: Int

    package init(writers: [any DatabaseWriter], location: DatabaseLocation, jobsPerCommit: Int = 1000) {
        self.writers = location.groupsWrites ? writers : []
        self.jobsPerCommit = max(1, jobsPerCommit)
    }

    /// Opens the shared transaction if none is open.
    package func begin() throws {
        guard !open, !writers.isEmpty else { return }
        for writer in writers {
            try writer.writeWithoutTransaction { db in
                if !db.isInsideTransaction { try db.cachedStatement(sql: "BEGIN IMMEDIATE").execute() }
            }
        }
        open = true
        jobs = 0
    }

    /// Counts a job; commits and reopens after `jobsPerCommit` of them.
    package func jobDone() throws {
        guard open else { return }
        jobs += 1
        if jobs >= jobsPerCommit {
            try commit()
            try begin()
        }
    }

    /// Commits what the batch holds.
    package func commit() throws {
        guard open else { return }
        open = false
        for writer in writers {
            try writer.writeWithoutTransaction { db in
                if db.isInsideTransaction { try db.cachedStatement(sql: "COMMIT").execute() }
            }
        }
    }
}
