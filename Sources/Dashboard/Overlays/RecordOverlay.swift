import Bus
import Foundation

/// One record as a Kafka browser shows it: where it is, when, its key and headers, and its
/// value as readable JSON. Enter goes on to the journey of the order it is keyed by.
package struct RecordDetail: Sendable, Equatable {
    package var topic: String
    package var partition: Int
    package var offset: Int64
    package var timestamp: VirtualTime
    package var key: String
    package var headers: [(String, String)]
    /// The value, pretty-printed when it is JSON, else as text.
    package var valueLines: [String]

    package init(_ record: Record) {
        topic = record.topic
        partition = record.partition
        offset = record.offset
        timestamp = record.timestamp
        key = record.keyString
        headers = [
            ("eventType", record.headers.eventType), ("eventId", record.headers.eventId),
            ("correlationId", record.headers.correlationId),
        ]
        let data = Data(record.value)
        if let object = try? JSONSerialization.jsonObject(with: data),
            let pretty = try? JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        {
            valueLines = String(decoding: pretty, as: UTF8.self).split(separator: "\n").map(String.init)
        } else {
            // A poison record: its bytes, the unprintable ones shown as '?'.
            valueLines = [String(record.value.map { $0 >= 32 && $0 < 127 ? Character(UnicodeScalar($0)) : "?" })]
        }
    }

    package static func == (a: RecordDetail, b: RecordDetail) -> Bool {
        a.topic == b.topic && a.partition == b.partition && a.offset == b.offset && a.valueLines == b.valueLines
    }
}

struct RecordOverlay {
    var detail: RecordDetail?
    var reference: RecordMetadata
    var glyphs: Glyphs

    func draw(on grid: inout Grid) {
        var lines: [Line]
        if let d = detail {
            lines = [
                Line(" \(d.topic) ", .bold).appending("\(d.partition)@\(d.offset)", .fg(.cyan, bold: true))
                    .appending("  \(d.timestamp)", .dim),
                Line(" key ", .dim).appending(d.key, .bold),
            ]
            lines += d.headers.map { Line(" header ", .dim).appending($0.0 + ": ", .dim).appending($0.1) }
            lines.append(Line(" value", .dim))
            lines += d.valueLines.map { Line("   " + $0) }
        } else {
            lines = [
                Line(
                    " \(reference.topic) \(reference.partition)@\(reference.offset) is no longer in the log (retention)",
                    .fg(.red))
            ]
        }
        lines.append(Line())
        lines.append(Line(" Enter: the journey of the order it is keyed by · Esc closes", .dim))
        OverlayBox(
            title: "Record \(reference.topic) \(reference.partition)@\(reference.offset)", lines: lines, maxWidth: 96,
            glyphs: glyphs
        ).draw(on: &grid)
    }
}
