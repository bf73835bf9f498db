import CNCurses
import CursesShim
import Dashboard
import Glibc

/// Why the dashboard cannot start here.
package struct TerminalUnavailable: Error, CustomStringConvertible {
    package var reason: String
    package var description: String { reason }
}

/// The ncurses screen: the one place that writes to the terminal. Every call stays on the
/// thread that created it.
final class CursesTerminal {
    private let window: UnsafeMutablePointer<WINDOW>
    let glyphs: Glyphs
    private let colors: Bool
    private var pairs: [Color: Int16] = [:]
    /// The pair `Style.dim` text is drawn with: the theme's dim colour on its background.
    private var dimPair: Int16 = 0
    let theme: Theme

    init(theme: Theme) throws(TerminalUnavailable) {
        self.theme = theme
        guard isatty(0) == 1, isatty(1) == 1 else {
            throw TerminalUnavailable(
                reason:
                    "the dashboard needs a terminal on stdin and stdout; for a headless run use 'orderflow simulate'")
        }
        guard let term = getenv("TERM").map({ String(cString: $0) }), !term.isEmpty, term != "dumb" else {
            throw TerminalUnavailable(
                reason: "TERM is not set to a usable terminal; for a headless run use 'orderflow simulate'")
        }
        setlocale(LC_ALL, "")
        // Our handlers first: ncurses then does not install its own for these signals.
        orderflow_install_signal_handlers()
        guard let output = fdopen(1, "w"), let input = fdopen(0, "r"), newterm(nil, output, input) != nil else {
            throw TerminalUnavailable(
                reason: "unknown terminal type '\(term)'; for a headless run use 'orderflow simulate'")
        }
        orderflow_endwin_at_exit()
        window = orderflow_stdscr().assumingMemoryBound(to: WINDOW.self)
        cbreak()
        noecho()
        keypad(window, true)
        nonl()
        curs_set(0)
        set_escdelay(25)
        glyphs = orderflow_locale_is_utf8() != 0 ? .unicode : .ascii
        let noColor = getenv("NO_COLOR").map { String(cString: $0).isEmpty == false } ?? false
        colors = !noColor && has_colors()
        if colors {
            start_color()
            // The theme's own background and text, so a light terminal shows the dark theme as
            // designed (and the other way round); 16 or 8 colours take the theme's nearest.
            let count = orderflow_colors()
            func index(_ c: PaletteColor) -> Int16 {
                count >= 256 ? Int16(c.xterm256) : count >= 16 ? Int16(c.ansi16) : Int16(c.ansi16 % 8)
            }
            let background = index(theme.background)
            assume_default_colors(Int32(index(theme.foreground)), Int32(background))
            for (i, color) in Color.allCases.filter({ $0 != .default }).enumerated() {
                init_pair(Int16(i + 1), index(theme.colors[color] ?? theme.foreground), background)
                pairs[color] = Int16(i + 1)
            }
            dimPair = Int16(Color.allCases.count)
            init_pair(dimPair, index(theme.dim), background)
        }
    }

    var size: (width: Int, height: Int) { (Int(getmaxx(window)), Int(getmaxy(window))) }

    /// Reads one key, waiting at most `timeoutMilliseconds`; nil on timeout or interruption.
    func readKey(timeoutMilliseconds: Int32) -> KeyEvent? {
        wtimeout(window, timeoutMilliseconds)
        let code = wgetch(window)
        switch code {
        case ERR: return nil
        case KEY_RESIZE: return .resize
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_BTAB: return .key(.backTab)
        case 9: return .key(.tab)
        case 10, 13, KEY_ENTER: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127, KEY_BACKSPACE: return .key(.backspace)
        case 32...126: return .key(.character(Character(Unicode.Scalar(UInt8(code)))))
        default: return .other
        }
    }

    /// Writes the grid; ncurses compares it with the screen and sends only the difference.
    func draw(_ grid: Grid) {
        werase(window)
        let (width, height) = size
        for y in 0..<min(height, grid.height) {
            var x = 0
            while x < min(width, grid.width) {
                let style = grid[x, y].style
                var run = ""
                let start = x
                while x < min(width, grid.width) && grid[x, y].style == style {
                    if !grid[x, y].isContinuation { run.append(grid[x, y].character) }
                    x += 1
                }
                apply(style)
                // The last cell of the last line makes curses scroll or fail; leave it blank.
                if y == height - 1 && x == width && !run.isEmpty { run.removeLast() }
                _ = mvwaddstr(window, Int32(y), Int32(start), run)
            }
        }
        orderflow_set_style(window, 0, 0, 0, 0)
        wrefresh(window)
    }

    /// With colours, dim text is the theme's dim colour; without (NO_COLOR), the terminal's faint attribute.
    private func apply(_ style: Style) {
        let pair: Int16 =
            !colors ? 0 : style.foreground == .default ? (style.dim ? dimPair : 0) : pairs[style.foreground] ?? 0
        let faint = style.dim && !colors
        orderflow_set_style(window, pair, style.bold ? 1 : 0, faint ? 1 : 0, style.reverse ? 1 : 0)
    }

    /// Gives the terminal back exactly as it was: modes, cursor, main screen.
    func close() {
        curs_set(1)
        endwin()
    }
}

enum KeyEvent {
    case key(Key)
    case resize
    case other
}
