import Dashboard
import Foundation
import Simulation

/// `--cast FILE`: the session as an asciinema v2 cast (asciicast v2: a JSON header line, then
/// `[seconds, "o", text]` lines), for trainers who publish recordings. Each frame that differs
/// from the last writes the rows that changed, in the theme's 256 colours; a resize is an `"r"`
/// event followed by the whole screen.
final class CastRecorder {
    private let path: String
    /// Opened (and cut) at the first frame, so a dashboard that never starts leaves the file as it was.
    private var file: OutputFile?
    private var openFailure: String?
    private let theme: Theme?
    private let start = ContinuousClock.now
    private var last: Grid?

    /// `theme` nil: no colours (`NO_COLOR`). The path is checked now, written from the first frame.
    init(path: String, theme: Theme?) throws(InputError) {
        try TrainerFiles.checkWritable(path, key: "--cast")
        self.path = path
        self.theme = theme
    }

    func frame(_ grid: Grid) {
        guard grid != last, openFailure == nil else { return }
        if file == nil {
            do {
                file = try OutputFile(path: path, key: "--cast", append: false)
            } catch {
                openFailure = "\(error)"
                return
            }
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let time = String(format: "%.3f", seconds)
        let resized = last.map { $0.width != grid.width || $0.height != grid.height } ?? true
        if last == nil {
            let header: [String: Any] = [
                "version": 2, "width": grid.width, "height": grid.height,
                "timestamp": Int(Date().timeIntervalSince1970), "title": "orderflow",
                "env": ["TERM": "xterm-256color"],
            ]
            if let data = try? JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]) {
                write(String(decoding: data, as: UTF8.self))
            }
        } else if resized {
            write("[\(time), \"r\", \"\(grid.width)x\(grid.height)\"]")
        }
        // The first frame (and one after a resize) clears the screen; later ones rewrite only the
        // rows that changed.
        let text = (resized ? "\u{1b}[2J" : "") + ScreenExport.ansi(grid, theme: theme, since: last)
        last = grid
        write("[\(time), \"o\", \(EventExport.jsonString(text))]")
    }

    /// The first failed open or write, if any.
    var failure: String? { openFailure ?? file?.failure }

    private func write(_ line: String) { file?.write(Array((line + "\n").utf8)) }
}
