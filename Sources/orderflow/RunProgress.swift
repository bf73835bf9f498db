import Foundation
import Simulation
import Synchronization

/// Ctrl-C and SIGTERM counted by a signal handler (an atomic add is safe there); the run asks
/// between its stops and ends early with the report of what ran so far.
private let interrupts = Atomic<Int>(0)

/// A headless run that was interrupted: its report is printed, then the command exits 130.
struct Interrupted: Error, CustomStringConvertible {
    var description: String { "interrupted; the report shows what ran so far" }
}

/// What a long headless run shows on a terminal, and how Ctrl-C reaches it.
final class RunProgress {
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant
    private var lastShown: ContinuousClock.Instant
    private var shown = false
    /// Only a terminal gets the progress line: a file or a pipe gets nothing on stderr.
    private let onTerminal = isatty(STDERR_FILENO) == 1

    init() {
        started = clock.now
        lastShown = started
        signal(SIGINT) { _ in interrupts.add(1, ordering: .relaxed) }
        signal(SIGTERM) { _ in interrupts.add(1, ordering: .relaxed) }
        // A parent may have started the process with them blocked (Foundation's Process does).
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    var interrupted: Bool { interrupts.load(ordering: .relaxed) > 0 }

    /// Called at each of the run's stops: redraws the line twice a second; false once interrupted.
    func goOn(_ sim: Simulation) -> Bool {
        guard !interrupted else { return false }
        guard onTerminal, clock.now - lastShown >= .milliseconds(500) else { return true }
        lastShown = clock.now
        shown = true
        let seconds = Double((clock.now - started).components.seconds)
        let line =
            "orderflow simulate: \(sim.now) virtual, \(sim.orderService.board.total) orders, \(Int(seconds))s (Ctrl-C: report so far)"
        FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
        return true
    }

    /// Clears the line before the report.
    func finish() {
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
