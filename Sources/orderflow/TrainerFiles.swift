import Bus
import Dashboard
import Foundation
import Simulation

/// The files a trainer's keys write from the dashboard: recordings (`w`, `--record`) and saved
/// screens (`s`). Each is written in place; a name chosen here is a new file, never one that
/// was there (`O_EXCL`, with `-2`, `-3` … added until one is free).
struct TrainerFiles {
    /// `--record FILE`: every stop rewrites it whole. Nil: `w` names a new file in the working directory.
    var recordPath: String?
    /// Where `s` writes (`--screens DIR`, else the working directory).
    var screenDirectory: String
    /// The colours a saved SVG is drawn in.
    var theme: Theme

    /// `s`: the screen as `STEM.txt` and `STEM.svg` (both `STEM-2` … when either name is taken).
    func saveScreen(_ grid: Grid, stem: String) -> String {
        let files = [
            ("txt", Array(ScreenExport.text(grid).utf8)),
            ("svg", Array(ScreenExport.svg(grid, theme: theme, title: stem).utf8)),
        ]
        let fm = FileManager.default
        guard
            let free = (1...999).map({ n in stem + (n == 1 ? "" : "-\(n)") }).first(where: { name in
                files.allSatisfy { !fm.fileExists(atPath: screenDirectory + "/" + name + "." + $0.0) }
            })
        else { return "the screen was not saved: 999 screens named \(stem) already" }
        do {
            var written: [String] = []
            for (ext, bytes) in files {
                written.append(try Self.writeNew(stem: free, ext: ext, in: screenDirectory, bytes))
            }
            return "saved the screen as \(written.first ?? free) and .svg"
        } catch {
            return "the screen was not saved: \(error)"
        }
    }

    /// Writes the recording and answers where it went (the dashboard's status line).
    func save(_ recording: Recording) -> String {
        var recording = recording
        let inputs = recording.entries.filter(\.placeholder).count
        do {
            let path: String
            if let recordPath {
                recording.name = Self.stem(recordPath)
                path = recordPath
                try Self.rewrite(path, Array(recording.yaml().utf8), key: "--record")
            } else {
                let from = ScreenExport.safeFileName(recording.origin.scenario ?? "session")
                let stem = "recording-\(from)-\(ScreenExport.timeStamp(recording.endsAt))"
                recording.name = stem
                path = try Self.writeNew(stem: stem, ext: "yaml", in: ".", Array(recording.yaml().utf8))
            }
            return
                "recorded \(inputs) input\(inputs == 1 ? "" : "s") to \(path): fill in each say:, then --scenario \(path)"
        } catch {
            return "the recording was not written: \(error)"
        }
    }

    /// A path `--record` or `--cast` can write, checked before the dashboard opens and without
    /// touching what is there: an existing file is opened for writing (not cut), a new one's
    /// directory must take files.
    static func checkWritable(_ path: String, key: String) throws(InputError) {
        if FileManager.default.fileExists(atPath: path) {
            let fd = open(path, O_WRONLY | O_CLOEXEC | O_NONBLOCK)
            guard fd >= 0 else {
                throw InputError(
                    file: path, line: nil, key: key, message: "cannot be written: \(OutputFile.reason(errno))")
            }
            close(fd)
            return
        }
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard access(parent, W_OK | X_OK) == 0 else {
            throw InputError(file: path, line: nil, key: key, message: "cannot be created: \(OutputFile.reason(errno))")
        }
    }

    static func stem(_ path: String) -> String { URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent }

    /// Replaces what a file holds, in place: a symlink is followed, a FIFO or device written to.
    static func rewrite(_ path: String, _ bytes: [UInt8], key: String) throws(OutputFailure) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutputFailure(description: "\(path): \(key): \(OutputFile.reason(errno))") }
        defer { close(fd) }
        try write(fd, bytes, path: path)
    }

    /// A new file `stem.ext` (or `stem-2.ext` …) in `directory`; answers its path.
    static func writeNew(stem: String, ext: String, in directory: String, _ bytes: [UInt8]) throws(OutputFailure)
        -> String
    {
        for n in 1...999 {
            let path = directory + "/" + stem + (n == 1 ? "" : "-\(n)") + "." + ext
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd < 0 {
                if errno == EEXIST { continue }
                throw OutputFailure(description: "\(path): \(OutputFile.reason(errno))")
            }
            defer { close(fd) }
            try write(fd, bytes, path: path)
            return path
        }
        throw OutputFailure(description: "\(directory): 999 files named \(stem) already")
    }

    private static func write(_ fd: Int32, _ bytes: [UInt8], path: String) throws(OutputFailure) {
        if let code = writeFully(fd, bytes) {
            throw OutputFailure(description: "\(path): a write failed: \(OutputFile.reason(code))")
        }
    }
}
