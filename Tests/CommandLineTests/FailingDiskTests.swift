import Foundation
import Testing

/// Failing disks: a full or read-only file system under `--db-dir` (tmpfs mounts, so root only:
/// skipped, and reported as skipped, for anyone else off CI; on CI they must run).
@Suite(.serialized) struct FailingDiskTests {
    static var mayMount: Bool { getuid() == 0 || runningOnCI }

    /// Mounts a small tmpfs; nil where this user may not mount.
    static func mount(_ options: String) throws -> URL? {
        let dir = try temporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/mount")
        process.arguments = ["-t", "tmpfs", "-o", options, "tmpfs", dir.path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? dir : nil
    }

    static func unmount(_ dir: URL) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/umount")
        process.arguments = [dir.path]
        try? process.run()
        process.waitUntilExit()
    }

    @Test(.enabled(if: mayMount, "mounting a tmpfs needs root"))
    func aFullDiskIsAnErrorNamingTheDatabaseAndTheDatabasesStayConsistent() throws {
        let disk = try #require(try Self.mount("size=2m"), "root can mount a tmpfs")
        defer { Self.unmount(disk) }
        let run = disk.appendingPathComponent("run")
        let result = try runOrderflow([
            "simulate", "--db-dir", run.path, "--orders", "200000", "--rate", "2000", "--json",
        ])
        #expect(result.status == 1)
        #expect(
            result.stderr.hasPrefix("orderflow: \(run.path)/orders.sqlite: SQLite error 13: database or disk is full"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        // Every database still passes SQLite's own integrity check.
        for name in ["orders", "payments", "provider", "notifications"] {
            let check = Process()
            check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            let path = run.appendingPathComponent("\(name).sqlite").path
            check.arguments = [
                "python3", "-c",
                "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])",
                path,
            ]
            let out = Pipe()
            check.standardOutput = out
            try check.run()
            check.waitUntilExit()
            let answer = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(answer == "ok\n", "\(name).sqlite: \(answer)")
        }
    }

    @Test(.enabled(if: mayMount, "mounting a tmpfs needs root"))
    func aReadOnlyDirectoryIsBadInputNamingIt() throws {
        let disk = try #require(try Self.mount("size=1m,ro"), "root can mount a tmpfs")
        defer { Self.unmount(disk) }
        let result = try runOrderflow(["simulate", "--db-dir", disk.path, "--orders", "5"])
        #expect(result.status == 2)
        #expect(result.stderr == "orderflow: \(disk.path): --db-dir: cannot be written: Read-only file system\n")
    }

    @Test func twoRunsIntoOneDirectoryCannotBothClaimIt() throws {
        let dir = try temporaryDirectory()
        let first = try runOrderflow(["simulate", "--db-dir", dir.path, "--orders", "3"])
        #expect(first.status == 0)
        let second = try runOrderflow(["simulate", "--db-dir", dir.path, "--orders", "3"])
        #expect(second.status == 2)
        #expect(second.stderr.contains("--db-dir: already holds"))
    }
}

/// The dashboard on a disk that fills up: the failure is on screen, and on the way out the
/// terminal is restored and the failure is the exit's one line.
@Suite(.serialized, .enabled(if: tmuxAvailable || runningOnCI, "needs tmux (always runs on CI)"))
struct DashboardStorageFailureTests {
    @Test(.enabled(if: FailingDiskTests.mayMount, "mounting a tmpfs needs root"))
    func aFullDiskShowsOnScreenAndTheTerminalIsRestored() throws {
        let disk = try #require(try FailingDiskTests.mount("size=2m"), "root can mount a tmpfs")
        defer { FailingDiskTests.unmount(disk) }
        let session = try TmuxSession(width: 80, height: 24)
        let run = disk.appendingPathComponent("run").path
        try session.type(
            "stty -g > before.txt; \(orderflowExecutable().path) --db-dir \(run) --rate 500 2> err.txt; "
                + "echo \"exit=$?\"; stty -g > after.txt")
        try session.waitFor("the dashboard") { $0.contains("─ Orders ─") }
        for _ in 0..<6 { try session.press(">") }
        let screen = try session.waitFor("the storage failure on screen", seconds: 120) {
            $0.contains("storage failed:")
        }
        #expect(screen.contains("database or disk is full"))
        try session.press("q")
        try session.waitFor("the exit") { $0.contains("exit=1") }
        Thread.sleep(forTimeInterval: 0.3)
        let before = try String(contentsOf: session.file("before.txt"), encoding: .utf8)
        let after = try String(contentsOf: session.file("after.txt"), encoding: .utf8)
        #expect(!before.isEmpty && before == after, "the terminal is restored")
        let err = try String(contentsOf: session.file("err.txt"), encoding: .utf8)
        #expect(err.hasPrefix("orderflow: \(run)/") && err.contains("database or disk is full"), "\(err)")
        #expect(err.split(separator: "\n").count == 1)
    }
}
