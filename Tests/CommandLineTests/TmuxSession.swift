import Foundation
import Testing

/// Whether the end-to-end terminal tests can run: they need tmux. On CI they must run, so there
/// a missing tmux is a failure, not a skip.
let tmuxAvailable =
    FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")
    || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/tmux")
let runningOnCI = ProcessInfo.processInfo.environment["CI"] == "true"

struct TmuxError: Error, CustomStringConvertible {
    var description: String
}

/// A private tmux server (its own socket) with one shell in one window. Only this server is
/// ever killed.
final class TmuxSession {
    let socket = "orderflow-test-\(getpid())-\(UUID().uuidString.prefix(8))"
    let directory: URL

    init(width: Int, height: Int, term: String = "tmux-256color") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("orderflow-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try tmux([
            "new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-e", "LANG=C.UTF-8", "-e", "TERM=\(term)",
            "-c", directory.path, "env TERM=\(term) PS1='$ ' bash --norc --noprofile",
        ])
        try tmux(["set-option", "-g", "status", "off"])
    }

    deinit {
        _ = try? tmux(["kill-server"])
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs a tmux command on this session's server and returns what it printed.
    ///
    /// posix_spawn and waitpid, with output to a file rather than a pipe: the server that
    /// new-session forks inherits the child's descriptors and would keep a pipe open forever.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let output = directory.appendingPathComponent(".tmux-out-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ["tmux", "-L", socket] + arguments
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        // The test runner blocks some signals; a server that inherited that mask would hand it to
        // the dashboard, which then never sees SIGWINCH or SIGINT.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        var all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "tmux", &actions, &attributes, &cArgs, environ)
        guard spawned == 0 else { throw TmuxError(description: "could not start tmux: \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw TmuxError(description: "tmux \(arguments.joined(separator: " ")) failed with status \(status)")
        }
        return text
    }

    /// Types a shell command line and presses Enter.
    func type(_ line: String) throws {
        try tmux(["send-keys", "-t", "0", "-l", line])
        try tmux(["send-keys", "-t", "0", "Enter"])
    }

    /// Sends keys as tmux names them: "o", "Space", "Tab", "C-c".
    func press(_ keys: String...) throws {
        for key in keys { try tmux(["send-keys", "-t", "0", key]) }
    }

    func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", "0"]) }

    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", "0", "-x", "\(width)", "-y", "\(height)"])
    }

    /// Polls the screen until `condition` holds; fails with the last screen after `seconds`.
    @discardableResult
    func waitFor(_ what: String, seconds: Double = 30, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw TmuxError(description: "timed out waiting for \(what); the screen was:\n\(last)")
    }

    func file(_ name: String) -> URL { directory.appendingPathComponent(name) }
}

/// The first capture group of `pattern` in `text`, as an integer.
func number(_ pattern: String, in text: String) -> Int? {
    guard let regex = try? NSRegularExpression(pattern: pattern),
        let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
        let range = Range(match.range(at: 1), in: text)
    else { return nil }
    return Int(text[range])
}
