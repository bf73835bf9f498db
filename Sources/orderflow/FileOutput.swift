import Foundation
import Logging
import Simulation
import Synchronization

/// A file orderflow writes (`--events`, `--log-file`): opened in place, so a symlink is
/// followed and a device or FIFO is written to, never replaced by a rename. Writes are whole
/// lines; the first failed write is kept, nothing more is written, and a regular file is cut
/// back to its last whole line so what it holds stays valid.
final class OutputFile: Sendable {
    let path: String
    let key: String
    private let descriptor: Int32
    private struct State {
        var failure: String?
        /// Bytes of whole lines written so far.
        var written: Int64 = 0
    }
    private let state = Mutex(State())

    init(path: String, key: String, append: Bool) throws(InputError) {
        guard !path.isEmpty else { throw InputError(file: key, line: nil, key: nil, message: "needs a file path") }
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC)
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else {
            throw InputError(file: path, line: nil, key: key, message: "cannot be written: \(Self.reason(errno))")
        }
        descriptor = fd
        self.path = path
        self.key = key
    }

    deinit { close(descriptor) }

    static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// Writes whole lines; after a failure it does nothing.
    func write(_ bytes: [UInt8]) {
        state.withLock { state in
            guard state.failure == nil, !bytes.isEmpty else { return }
            if let code = writeFully(descriptor, bytes) {
                state.failure = Self.reason(code)
                // A regular file keeps only whole lines; a device or pipe cannot be cut back.
                _ = ftruncate(descriptor, off_t(state.written))
                return
            }
            state.written += Int64(bytes.count)
        }
    }

    /// The first failed write, as the one line orderflow prints.
    var failure: String? {
        state.withLock { $0.failure }.map { "\(path): \(key): a write failed: \($0)" }
    }
}

/// A failed write to an output file: exit 1, the file and the reason on one line.
struct OutputFailure: Error, CustomStringConvertible {
    var description: String
}

/// Buffered line output to a file, for the `--events` export.
final class LineWriter {
    private let file: OutputFile
    private var buffer: [UInt8] = []

    init(path: String) throws(InputError) {
        file = try OutputFile(path: path, key: "--events", append: false)
    }

    func write(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0a)
        if buffer.count >= 1 << 16 { flush() }
    }

    private func flush() {
        file.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered; a failed write anywhere in the export is an error now.
    func close() throws(OutputFailure) {
        flush()
        if let failure = file.failure { throw OutputFailure(description: failure) }
    }
}

/// swift-log to a file: orderflow never logs to the terminal, where it would garble the dashboard.
struct FileLogHandler: LogHandler {
    let file: OutputFile
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    init(file: OutputFile) {
        self.file = file
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        file.write(Array("\(event.level) \(event.message)\n".utf8))
    }
}
