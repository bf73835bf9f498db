import Dashboard
import Foundation
import Simulation

/// `--cast FILE`: the session as an asciinema v2 cast (asciicast v2: a JSON header line, then
/// `[seconds, "o", text]` lines), for trainers who publish recordings. Each frame that differs
/// from the last is written whole, in the theme's 256 colours; a resize is an `"r"` event.
final class CastRecorder {
    private let file: OutputFile
    private let theme: Theme?
    private let start = ContinuousClock.now
    private var last: Grid?

    /// `theme` nil: no colours (`NO_COLOR`).
    init(path: String, theme: Theme?) throws(InputError) {
        file = try OutputFile(path: path, key: "--cast", append: false)
        self.theme = theme
    }

    func frame(_ grid: Grid) {
        guard grid != last else { return }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let time = String(format: "%.3f", seconds)
        if let last {
            if last.width != grid.width || last.height != grid.height {
                write("[\(time), \"r\", \"\(grid.width)x\(grid.height)\"]")
            }
        } else {
            let header: [String: Any] = [
                "version": 2, "width": grid.width, "height": grid.height,
                "timestamp": Int(Date().timeIntervalSince1970), "title": "orderflow",
                "env": ["TERM": "xterm-256color"],
            ]
            if let data = try? JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]) {
                write(String(decoding: data, as: UTF8.self))
            }
        }
        let clear = last == nil ? "\u{1b}[2J" : ""
        last = grid
        write("[\(time), \"o\", \(Self.jsonString(clear + ScreenExport.ansi(grid, theme: theme)))]")
    }

    /// The first failed write, if any.
    var failure: String? { file.failure }

    private func write(_ line: String) { file.write(Array((line + "\n").utf8)) }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
