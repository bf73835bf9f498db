import Bus
import Foundation

/// The `--events` export: one JSON object per record, with the decoded event as `value`.
package enum EventExport {
    package static func line(for record: Bus.Record) -> String {
        // The value is already sorted-key JSON from EventCodec; a poison record's bytes are not,
        // and export as null rather than as a broken line.
        let value: String
        if (try? JSONSerialization.jsonObject(with: Data(record.value))) is [String: Any] {
            value = String(decoding: record.value, as: UTF8.self)
        } else {
            value = "null"
        }
        return "{\"key\":\(jsonString(record.keyString)),\"offset\":\(record.offset),\"partition\":\(record.partition),"
            + "\"timestamp\":\(record.timestamp.milliseconds),\"topic\":\(jsonString(record.topic)),"
            + "\"type\":\(jsonString(record.eventType)),\"value\":\(value)}"
    }

    /// A JSON string literal (and so a YAML double-quoted scalar): quotes, backslashes and every
    /// control character escaped, DEL and the C1 controls too, which YAML does not take raw.
    package static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value):
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
