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
        headers =
            [
                ("eventType", record.headers.eventType), ("eventId", record.headers.eventId),
                ("correlationId", record.headers.correlationId),
            ] + record.headers.extra.map { ($0.name, $0.value) }
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
            // A long value (a dead-letter record's exception message) wraps under its name, never cut.
            let room = max(20, min(grid.width - 4, 96) - 2)
            for (name, value) in d.headers {
                let text = " header \(name): \(value)"
                guard text.displayWidth > room else {
                    lines.append(Line(" header ", .dim).appending(name + ": ", .dim).appending(value))
                    continue
                }
                lines.append(Line(" header ", .dim).appending(name + ":", .dim))
                lines += value.wrapped(to: room - 3).map { Line("   " + $0) }
            }
            lines.append(Line(" value", .dim))
            // Pretty JSON when the box has the rows for it (a dead-letter record's headers take
            // many), else the same JSON on as few rows as its width allows; rows the box still
            // lacks are counted on a last line rather than cut off at its border.
            let rows = grid.height - 4 - 2 - lines.count
            if d.valueLines.count <= rows {
                lines += d.valueLines.map { Line("   " + $0) }
            } else {
                let compact = d.valueLines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
                let wrapped = compact.wrapped(to: room - 3)
                if wrapped.count <= rows {
                    lines += wrapped.map { Line("   " + $0) }
                } else if rows > 0 {
                    lines += wrapped.prefix(rows - 1).map { Line("   " + $0) }
                    let left = wrapped.count - (rows - 1)
                    lines.append(
                        Line("   … \(left) more row\(left == 1 ? "" : "s") of the value at a taller size", .dim))
                }
            }
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
