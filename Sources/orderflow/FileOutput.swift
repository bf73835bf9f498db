import Foundation
import Logging
import Simulation

/// Buffered line output to a file, for the `--events` export.
final class LineWriter {
    private let handle: FileHandle
    private let path: String
    private var buffer = Data()

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else {
            throw InputError(file: path, line: nil, key: "--events", message: "cannot create the file")
        }
        self.handle = handle
        self.path = path
    }

    func write(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0a)
        if buffer.count >= 1 << 16 { flush() }
    }

    private func flush() {
        handle.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        flush()
        try handle.close()
    }
}

/// swift-log to a file: orderflow never logs to the terminal, where it would garble the dashboard.
struct FileLogHandler: LogHandler {
    private let handle: FileHandle
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    init(path: String) throws {
        let fm = FileManager.default
        if !fm.fileExists(atPath: path) { _ = fm.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw InputError(file: path, line: nil, key: "--log-file", message: "cannot open the file for writing")
        }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        handle.write(Data("\(event.level) \(event.message)\n".utf8))
    }
}
