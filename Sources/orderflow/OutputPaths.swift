import Foundation
import Simulation

/// An output never overwrites an input or another output of the same run: `--events` onto the
/// `--config` it read, or `--events` and `--log-file` into one file, is bad input. Two paths are
/// the same file when they name the same inode (a link or another spelling), else the same path.
enum OutputPaths {
    static func check(outputs: [(flag: String, path: String?)], inputs: [(flag: String, path: String?)])
        throws(InputError)
    {
        let outs = outputs.compactMap { o in o.path.map { (o.flag, $0) } }
        let ins = inputs.compactMap { i in i.path.map { (i.flag, $0) } }
        for (n, (flag, path)) in outs.enumerated() {
            for (other, otherPath) in ins + outs.prefix(n) where same(path, otherPath) {
                throw InputError(
                    file: flag, line: nil, key: nil,
                    message:
                        "'\(path.prefix(80))' is also \(other): an output never overwrites an input or another output")
            }
        }
    }

    /// A device (`/dev/null`, a terminal) may take several outputs: nothing in it is overwritten.
    static func same(_ a: String, _ b: String) -> Bool {
        var sa = stat()
        var sb = stat()
        if stat(a, &sa) == 0, stat(b, &sb) == 0 {
            let isDevice = (sa.st_mode & S_IFMT) == S_IFCHR
            return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino && !isDevice
        }
        return URL(fileURLWithPath: a).standardizedFileURL.path == URL(fileURLWithPath: b).standardizedFileURL.path
    }
}

/// Writes the report to standard output. One that cannot take it (a full disk, a reader gone)
/// is an output failure, never a silent success.
func writeStandardOutput(_ text: String) throws(OutputFailure) {
    if let code = writeFully(STDOUT_FILENO, Array((text + "\n").utf8)) {
        throw OutputFailure(description: "standard output: a write failed: \(OutputFile.reason(code))")
    }
}

/// Writes every byte, again after an interrupted call; nil, or the `errno` of the failed write.
func writeFully(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
    var offset = 0
    while offset < bytes.count {
        let n = bytes[offset...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            return errno
        }
        offset += n
    }
    return nil
}
