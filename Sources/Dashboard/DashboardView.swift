import Bus
import Simulation

/// Which arrangement of panes the terminal size allows.
public enum LayoutKind: Equatable, Sendable {
    /// 120×36 and larger.
    case full
    /// From 80×24 up to the full layout.
    case compact
    /// Below 80×24: a message instead of a broken screen.
    case tooSmall

    public static let minimum = (width: 80, height: 24)
    public static let fullMinimum = (width: 120, height: 36)

    public init(width: Int, height: Int) {
        if width >= Self.fullMinimum.width && height >= Self.fullMinimum.height {
            self = .full
        } else if width >= Self.minimum.width && height >= Self.minimum.height {
            self = .compact
        } else {
            self = .tooSmall
        }
    }
}

/// Where each pane goes: a left column (Orders, Services, Invariants) and a right column
/// (Consumer groups, Topics, Events), between a header line and a footer line. Heights are
/// fixed per layout so the screen does not jump as numbers change.
public func paneRects(width: Int, height: Int, kind: LayoutKind) -> [PaneID: Rect] {
    let body = height - 2
    switch kind {
    case .tooSmall:
        return [:]
    case .full:
        let left = 44 + (width - 120) / 4
        let right = width - left
        let services = 10, invariants = 12, groups = 18
        // Events keeps at least a few rows; under 40 lines Topics gives them up and scrolls.
        let events = max(6, body - groups - 12), topics = body - groups - events
        return [
            .orders: Rect(x: 0, y: 1, width: left, height: body - services - invariants),
            .services: Rect(x: 0, y: 1 + body - services - invariants, width: left, height: services),
            .invariants: Rect(x: 0, y: 1 + body - invariants, width: left, height: invariants),
            .consumerGroups: Rect(x: left, y: 1, width: right, height: groups),
            .topics: Rect(x: left, y: 1 + groups, width: right, height: topics),
            .events: Rect(x: left, y: 1 + groups + topics, width: right, height: events),
        ]
    case .compact:
        let left = 36 + (width - 80) / 3
        let right = width - left
        let services = 6, invariants = 7, topics = 6, events = 6
        return [
            .orders: Rect(x: 0, y: 1, width: left, height: body - services - invariants),
            .services: Rect(x: 0, y: 1 + body - services - invariants, width: left, height: services),
            .invariants: Rect(x: 0, y: 1 + body - invariants, width: left, height: invariants),
            .consumerGroups: Rect(x: left, y: 1, width: right, height: body - topics - events),
            .topics: Rect(x: left, y: 1 + body - topics - events, width: right, height: topics),
            .events: Rect(x: left, y: 1 + body - events, width: right, height: events),
        ]
    }
}

/// Renders one frame: snapshot and dashboard state in, a grid of styled cells out.
public struct DashboardView {
    public var snapshot: Snapshot
    public var state: DashboardState
    public var config: OrderflowConfig
    public var glyphs: Glyphs

    public init(snapshot: Snapshot, state: DashboardState, config: OrderflowConfig, glyphs: Glyphs) {
        self.snapshot = snapshot
        self.state = state
        self.config = config
        self.glyphs = glyphs
    }

    public struct Rendered {
        public var grid: Grid
        /// How far each pane can scroll, given what it holds and its size.
        public var scrollLimits: [PaneID: Int]
    }

    public func render(width: Int, height: Int) -> Rendered {
        var grid = Grid(width: width, height: height, asciiOnly: glyphs == .ascii)
        let kind = LayoutKind(width: width, height: height)
        guard kind != .tooSmall else {
            drawTooSmall(on: &grid)
            return Rendered(grid: grid, scrollLimits: [:])
        }
        drawHeader(on: &grid)
        var limits: [PaneID: Int] = [:]
        for (pane, rect) in paneRects(width: width, height: height, kind: kind).sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let builder = PaneBuilder(snapshot: snapshot, state: state, config: config, glyphs: glyphs,
                                      width: rect.width - 2, compact: kind == .compact)
            let content = builder.content(for: pane)
            let offset = state.scrollOffset(pane)
            limits[pane] = grid.draw(content, in: rect.inner, offset: offset)
            let note = limits[pane]! > 0 && state.focus == pane ? "\(min(offset, limits[pane]!))/\(limits[pane]!)" : ""
            Panel(title: pane.title, focused: state.focus == pane, note: note).draw(in: rect, on: &grid, glyphs: glyphs)
        }
        drawFooter(on: &grid)
        if state.showHelp { drawHelp(on: &grid) }
        return Rendered(grid: grid, scrollLimits: limits)
    }

    // MARK: Header and footer

    func drawHeader(on grid: inout Grid) {
        // Narrow terminals drop the field names, never the fields.
        let named = grid.width >= LayoutKind.fullMinimum.width
        var line = Line(" orderflow ", Style(foreground: .cyan, bold: true, reverse: true))
            .appending(named ? "  design " : "  ").appending("honest", .bold)
            .appending(named ? "  speed " : "  ").appending(state.speed.label, .bold)
            .appending("  ").appending(snapshot.now.description, .bold)
            .appending("  seed \(snapshot.seed)")
            .appending(named ? "  traffic " : "  ").appending(snapshot.trafficOn ? "on \(rateText(snapshot.trafficRate))" : "off",
                                                         snapshot.trafficOn ? .plain : .fg(.yellow, bold: true))
            .appending("  ")
        line = state.paused ? line.appending(" PAUSED ", Style(foreground: .yellow, bold: true, reverse: true))
                            : line.appending("RUNNING", .fg(.green, bold: true))
        grid.draw(line, x: 0, y: 0, maxX: grid.width)
        if let message = state.message {
            let used = line.segments.reduce(0) { $0 + $1.text.displayWidth }
            let room = grid.width - used - 2
            if room >= 10 { grid.put(message.clipped(to: room, ellipsis: glyphs.ellipsis), x: used + 2, y: 0, style: .fg(.cyan)) }
        }
    }

    /// The footer's keys, in the keymap's order: with reverse-video labels where they fit, else
    /// plainer and with the least needed keys left to the help overlay.
    func drawFooter(on grid: inout Grid) {
        let keys = Keymap.bindings.compactMap { b in b.footer.map { (label: b.label, word: $0) } }
        let roomy = keys.reduce(Line()) { line, e in
            line.appending(" " + e.label + " ", Style(bold: true, reverse: true)).appending(" \(e.word)  ")
        }
        var chosen = roomy
        if roomy.segments.reduce(0, { $0 + $1.text.displayWidth }) > grid.width {
            let short = ["kill payment": "kill pay", "kill notify": "kill notif"]
            var entries = keys.map { (label: $0.label, word: short[$0.word] ?? $0.word) }
            func plain(_ entries: [(label: String, word: String)]) -> Line {
                entries.reduce(Line(" ")) { $0.appending(e: $1) }
            }
            for dropped in ["focus", "reject", "traffic", "crash"] where plain(entries).segments.reduce(0, { $0 + $1.text.displayWidth }) > grid.width {
                entries.removeAll { $0.word == dropped }
            }
            chosen = plain(entries)
        }
        grid.draw(chosen, x: 0, y: grid.height - 1, maxX: grid.width)
    }

    // MARK: Overlays

    func drawHelp(on grid: inout Grid) {
        let bindings = Keymap.bindings
        let labelWidth = bindings.map(\.label.displayWidth).max() ?? 4
        var lines = bindings.map { Line(" " + $0.label.padded(to: labelWidth) + "  ", .fg(.cyan, bold: true)).appending($0.help) }
        lines.append(Line())
        lines.append(Line(" k always kills; the arrows scroll the pane Tab focused.", .dim))
        lines.append(Line(" ? or Esc closes this help.", .dim))
        let width = min(grid.width - 4, 64), height = min(grid.height - 2, lines.count + 2)
        let rect = Rect(x: (grid.width - width) / 2, y: (grid.height - height) / 2, width: width, height: height)
        grid.fill(rect)
        _ = grid.draw(PaneContent(body: lines), in: rect.inner, offset: 0)
        Panel(title: "Keys", focused: true).draw(in: rect, on: &grid, glyphs: glyphs)
    }

    func drawTooSmall(on grid: inout Grid) {
        let lines = ["orderflow needs at least \(LayoutKind.minimum.width)×\(LayoutKind.minimum.height);",
                     "this terminal is \(grid.width)×\(grid.height).",
                     "Enlarge the window, or press q to quit."]
        let top = max(0, (grid.height - lines.count) / 2)
        for (i, text) in lines.enumerated() {
            let clipped = text.clipped(to: grid.width, ellipsis: glyphs.ellipsis)
            grid.put(clipped, x: max(0, (grid.width - clipped.displayWidth) / 2), y: top + i, style: i == 0 ? .bold : .plain)
        }
    }
}

private extension Line {
    func appending(e: (label: String, word: String)) -> Line {
        appending(e.label, .fg(.cyan, bold: true)).appending(" \(e.word)  ")
    }
}
