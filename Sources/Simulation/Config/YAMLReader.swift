import Bus
import Foundation
import Yams

/// Bad input in a config or scenario file, located for the person who has to fix it.
package struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
    package var file: String
    package var line: Int?
    package var key: String?
    package var message: String

    package init(file: String, line: Int?, key: String?, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    /// `file:line: key: message`, one line: a huge value quoted in a message is cut.
    package var description: String {
        var s = String(file.prefix(200))
        if let line { s += ":\(line)" }
        if let key { s += ": \(key.prefix(200))" }
        let text = message.split(separator: "\n").joined(separator: " ")
        return s + ": " + (text.count > 480 ? text.prefix(480) + "…" : text)
    }
}

/// Every qualified key a parse asked for, whether the file had it or not: the loader's own list
/// of the keys it knows (`ConfigLoader.knownKeys`), which the docs tests hold the docs to.
final class AskedKeys {
    var keys: Set<String> = []
}

/// Reads one YAML mapping strictly: typed fields, unknown keys rejected, every error located.
final class YAMLMapping {
    let file: String
    let path: String
    let line: Int?
    private var entries: [(key: String, line: Int?, value: Node)] = []
    private var read: Set<String> = []
    private let asked: AskedKeys?

    init(_ node: Node, file: String, path: String, asked: AskedKeys? = nil) throws(InputError) {
        self.file = file
        self.path = path
        self.asked = asked
        line = node.mark?.line
        guard case .mapping(let mapping) = node else {
            throw InputError(
                file: file, line: node.mark?.line, key: path.isEmpty ? nil : path, message: "expected a mapping")
        }
        for (k, v) in mapping {
            guard let key = k.scalar?.string else {
                throw InputError(
                    file: file, line: k.mark?.line, key: path.isEmpty ? nil : path,
                    message: "keys must be plain strings")
            }
            entries.append((key, k.mark?.line, v))
        }
    }

    /// Parses a whole document into a top-level mapping.
    static func document(_ text: String, file: String, asked: AskedKeys? = nil) throws(InputError) -> YAMLMapping? {
        guard let node = try composeYAML(text, file: file) else { return nil }
        return try YAMLMapping(node, file: file, path: "", asked: asked)
    }

    var keys: [String] { entries.map(\.key) }

    func qualified(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func error(_ key: String, _ message: String, line: Int? = nil) -> InputError {
        InputError(
            file: file, line: line ?? entries.first { $0.key == key }?.line ?? self.line, key: qualified(key),
            message: message)
    }

    /// The line a key stands on (the mapping's own line when it is missing).
    func line(of key: String) -> Int? { entries.first { $0.key == key }?.line ?? line }

    func node(_ key: String) -> Node? {
        read.insert(key)
        asked?.keys.insert(qualified(key))
        return entries.first { $0.key == key }?.value
    }

    /// `typed`: a number or a boolean, which a quoted string is not (`'3'` is text, as YAML has it).
    private func scalar(_ key: String, _ kind: String, typed: Bool = false) throws(InputError) -> (String, Int?)? {
        guard let n = node(key) else { return nil }
        guard let s = n.scalar, !["", "~", "null", "Null", "NULL"].contains(s.string) || s.style != .plain else {
            throw error(key, "expected \(kind)", line: n.mark?.line)
        }
        if typed && s.style != .plain {
            throw error(key, "expected \(kind), got the quoted string '\(s.string.prefix(40))'", line: n.mark?.line)
        }
        return (s.string, n.mark?.line)
    }

    func int(_ key: String, in range: ClosedRange<Int> = Int.min...Int.max) throws(InputError) -> Int? {
        guard let (s, line) = try scalar(key, "a whole number", typed: true) else { return nil }
        guard let v = Int(s) else { throw error(key, "expected a whole number, got '\(s)'", line: line) }
        guard range.contains(v) else {
            throw error(key, "must be between \(range.lowerBound) and \(range.upperBound), got \(v)", line: line)
        }
        return v
    }

    func double(_ key: String, in range: ClosedRange<Double>) throws(InputError) -> Double? {
        guard let (s, line) = try scalar(key, "a number", typed: true) else { return nil }
        guard let v = Double(s), v.isFinite else { throw error(key, "expected a number, got '\(s)'", line: line) }
        guard range.contains(v) else {
            throw error(key, "must be between \(range.lowerBound) and \(range.upperBound), got \(s)", line: line)
        }
        return v
    }

    func bool(_ key: String) throws(InputError) -> Bool? {
        guard let (s, line) = try scalar(key, "true or false", typed: true) else { return nil }
        switch s.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(key, "expected true or false, got '\(s)'", line: line)
        }
    }

    /// The key is there with no value (`say:`): a placeholder left to fill in.
    func isEmpty(_ key: String) -> Bool {
        guard let n = node(key) else { return false }
        guard let s = n.scalar else { return false }
        return s.style == .plain && ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    func string(_ key: String) throws(InputError) -> String? {
        try scalar(key, "a string")?.0
    }

    func duration(_ key: String, positive: Bool = false) throws(InputError) -> VirtualDuration? {
        guard let (s, line) = try scalar(key, "a duration such as 250ms, 10s or 20m") else { return nil }
        guard let d = VirtualDuration(parsing: s), !positive || d.milliseconds > 0 else {
            throw error(
                key,
                "expected a\(positive ? " positive" : "") duration such as 250ms, 10s or 20m, at most 720h, got '\(s.prefix(40))'",
                line: line)
        }
        return d
    }

    func choice<T: RawRepresentable & CaseIterable>(_ key: String, _: T.Type) throws(InputError) -> T?
    where T.RawValue == String {
        guard let (s, line) = try scalar(key, "one of \(T.allCases.map(\.rawValue).joined(separator: ", "))") else {
            return nil
        }
        guard let v = T(rawValue: s) else {
            throw error(
                key, "expected one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), got '\(s)'", line: line)
        }
        return v
    }

    func mapping(_ key: String) throws(InputError) -> YAMLMapping? {
        guard let n = node(key) else { return nil }
        return try YAMLMapping(n, file: file, path: qualified(key), asked: asked)
    }

    /// Rejects keys nobody read: a typo must not silently fall back to a default.
    func finish() throws(InputError) {
        if let unknown = entries.first(where: { !read.contains($0.key) }) {
            throw InputError(file: file, line: unknown.line, key: qualified(unknown.key), message: "unknown key")
        }
    }
}

/// The document's root node, or nil for an empty one; libyaml's errors come back located.
func composeYAML(_ text: String, file: String) throws(InputError) -> Node? {
    do {
        return try Yams.compose(yaml: text)
    } catch let error as YamlError {
        var (line, problem) = error.located
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var key: String?
        if case .duplicatedKeysInMapping(let duplicates, _) = error, let duplicated = duplicates.first {
            // Point at the repeat, not at the first occurrence, and name the key by its full path.
            let uses = lines.indices.filter {
                lines[$0].trimmingCharacters(in: .whitespaces).hasPrefix(duplicated + ":")
            }
            if uses.count > 1 {
                line = uses[1] + 1
                key = keyPath(of: uses[1], in: lines)
            }
            problem = "'\(duplicated)' appears twice in the same mapping; keep one"
        } else if let l = line, l >= 1, l <= lines.count, lines[l - 1].contains("\t") {
            problem += " (a tab: YAML indents with spaces only)"
        }
        throw InputError(file: file, line: line, key: key, message: problem)
    } catch {
        throw InputError(file: file, line: nil, key: nil, message: "not valid YAML")
    }
}

/// The dotted path of the key on line `index`, read from the indentation of the lines above it.
private func keyPath(of index: Int, in lines: [Substring]) -> String {
    func indent(_ line: Substring) -> Int { line.prefix { $0 == " " }.count }
    func name(_ line: Substring) -> String {
        String(line.trimmingCharacters(in: .whitespaces).prefix { $0 != ":" })
    }
    var path = [name(lines[index])]
    var level = indent(lines[index])
    for i in stride(from: index - 1, through: 0, by: -1) where level > 0 {
        let line = lines[i]
        let text = line.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, !text.hasPrefix("#"), indent(line) < level, text.hasSuffix(":") else { continue }
        path.insert(name(line), at: 0)
        level = indent(line)
    }
    return path.joined(separator: ".")
}

/// The largest config or scenario file orderflow reads: far above any real one, and refused
/// before parsing, so a huge file costs no time or memory.
package let maximumInputFileBytes = 1 << 20

/// A config or scenario file's text: UTF-8, at most `maximumInputFileBytes`, without control
/// characters; each refusal says what is wrong and where.
func readInputFile(_ path: String) throws(InputError) -> String {
    guard !path.isEmpty else {
        throw InputError(file: "(empty path)", line: nil, key: nil, message: "needs a file path")
    }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        // A link that leads nowhere (a loop, a missing target) is there, but cannot be read.
        let isLink = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
        throw InputError(
            file: path, line: nil, key: nil,
            message: isLink ? "is a symbolic link that leads to no file (a loop or a missing target)" : "no such file")
    }
    guard !isDirectory.boolValue else { throw InputError(file: path, line: nil, key: nil, message: "is a directory") }
    guard let handle = FileHandle(forReadingAtPath: path) else {
        throw InputError(file: path, line: nil, key: nil, message: "cannot be opened for reading (permissions?)")
    }
    defer { try? handle.close() }
    let data: Data
    do {
        data = try handle.read(upToCount: maximumInputFileBytes + 1) ?? Data()
    } catch {
        throw InputError(file: path, line: nil, key: nil, message: "cannot be read: \(error.localizedDescription)")
    }
    guard data.count <= maximumInputFileBytes else {
        throw InputError(
            file: path, line: nil, key: nil, message: "is larger than 1 MiB; a config or scenario is a few KB")
    }
    let bytes = [UInt8](data)
    if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
        throw InputError(file: path, line: nil, key: nil, message: "is UTF-16; save it as UTF-8")
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
        let line = bytes.prefix { $0 < 0x80 }.filter { $0 == 0x0A }.count + 1
        throw InputError(file: path, line: line, key: nil, message: "is not valid UTF-8; save it as UTF-8")
    }
    var line = 1
    for scalar in text.unicodeScalars {
        if scalar == "\n" {
            line += 1
        } else if scalar.value < 0x20 && scalar != "\t" && scalar != "\r" || scalar.value == 0x7F {
            throw InputError(
                file: path, line: line, key: nil,
                message: "a control character (U+\(String(format: "%04X", scalar.value))) has no place in YAML")
        }
    }
    return text
}

extension YamlError {
    /// The line and the problem, without libyaml's multi-line snippet.
    var located: (line: Int?, problem: String) {
        switch self {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            (mark.line, problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            (context.mark.line, "duplicated key \(duplicates.joined(separator: ", "))")
        default:
            (nil, "not valid YAML")
        }
    }
}
