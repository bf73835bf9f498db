/// JSON for flat objects of strings and integers: all the events are, and Foundation's
/// JSONEncoder/JSONDecoder cost more than the rest of an order's journey together.
///
/// The writer emits exactly what `JSONEncoder` with `.sortedKeys` and `.withoutEscapingSlashes`
/// emits, provided fields are written in key order (a test holds the two side by side).
package struct FlatJSONWriter {
    package private(set) var bytes: [UInt8] = [UInt8(ascii: "{")]

    package init() { bytes.reserveCapacity(256) }

    package mutating func field(_ key: String, _ value: String) {
        writeKey(key)
        writeString(value)
    }

    package mutating func field(_ key: String, _ value: Int) {
        writeKey(key)
        bytes.append(contentsOf: String(value).utf8)
    }

    package mutating func field(_ key: String, _ value: Int64) { field(key, Int(value)) }

    /// The finished object, in a buffer of its own size: records keep their values for as long
    /// as retention holds them, and the writer's spare capacity would double that memory.
    package mutating func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
            count = buffer.initialize(fromContentsOf: bytes)
        }
    }

    private mutating func writeKey(_ key: String) {
        if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func writeString(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [92, 92])
            case 0x0a: bytes.append(contentsOf: [92, UInt8(ascii: "n")])
            case 0x0d: bytes.append(contentsOf: [92, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0x08: bytes.append(contentsOf: [92, UInt8(ascii: "b")])
            case 0x0c: bytes.append(contentsOf: [92, UInt8(ascii: "f")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// A parsed flat JSON object. Anything else (nesting, arrays, floats, bad syntax) is a poison record.
package struct FlatJSONObject {
    private enum Value {
        case string(String)
        case int(Int)
    }
    private var values: [String: Value] = [:]
    private let eventType: String

    package init(parsing bytes: [UInt8], as eventType: String) throws(PoisonRecord) {
        self.eventType = eventType
        var i = 0
        func fail(_ why: String) -> PoisonRecord { PoisonRecord(expectedType: eventType, reason: why) }
        func skipSpace() { while i < bytes.count, [0x20, 0x0a, 0x0d, 0x09].contains(bytes[i]) { i += 1 } }
        func expect(_ c: UInt8) throws(PoisonRecord) {
            skipSpace()
            guard i < bytes.count, bytes[i] == c else {
                throw fail("expected '\(Character(Unicode.Scalar(c)))' at byte \(i)")
            }
            i += 1
        }
        func string() throws(PoisonRecord) -> String {
            try expect(UInt8(ascii: "\""))
            var out: [UInt8] = []
            while i < bytes.count {
                let b = bytes[i]
                i += 1
                if b == UInt8(ascii: "\"") {
                    guard let s = String(validating: out, as: UTF8.self) else { throw fail("invalid UTF-8") }
                    return s
                }
                guard b == 92 else {
                    out.append(b)
                    continue
                }
                guard i < bytes.count else { break }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0a)
                case UInt8(ascii: "r"): out.append(0x0d)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0c)
                case UInt8(ascii: "u"):
                    guard i + 4 <= bytes.count,
                        let code = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16),
                        let scalar = Unicode.Scalar(code)
                    else { throw fail("bad \\u escape") }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    i += 4
                default: out.append(e)
                }
            }
            throw fail("unterminated string")
        }
        try expect(UInt8(ascii: "{"))
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                let key = try string()
                try expect(UInt8(ascii: ":"))
                skipSpace()
                guard i < bytes.count else { throw fail("truncated") }
                if bytes[i] == UInt8(ascii: "\"") {
                    values[key] = .string(try string())
                } else {
                    let start = i
                    if bytes[i] == UInt8(ascii: "-") { i += 1 }
                    while i < bytes.count, (48...57).contains(bytes[i]) { i += 1 }
                    guard let n = Int(String(decoding: bytes[start..<i], as: UTF8.self)) else {
                        throw fail("'\(key)' is neither a string nor a whole number")
                    }
                    values[key] = .int(n)
                }
                skipSpace()
                guard i < bytes.count else { throw fail("truncated") }
                if bytes[i] == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                try expect(UInt8(ascii: "}"))
                break
            }
        }
        skipSpace()
        guard i == bytes.count else { throw fail("trailing bytes") }
    }

    package func string(_ key: String) throws(PoisonRecord) -> String {
        guard case .string(let s)? = values[key] else {
            throw PoisonRecord(expectedType: eventType, reason: "missing string '\(key)'")
        }
        return s
    }

    package func int(_ key: String) throws(PoisonRecord) -> Int {
        guard case .int(let n)? = values[key] else {
            throw PoisonRecord(expectedType: eventType, reason: "missing number '\(key)'")
        }
        return n
    }

    package func int64(_ key: String) throws(PoisonRecord) -> Int64 { Int64(try int(key)) }
}
