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
/// (Consumer groups, Topics, Events), between the header and a footer line. Heights are
/// fixed per layout so the screen does not jump as numbers change. While a scenario plays,
/// Narration takes the Events pane's place.
public func paneRects(width: Int, height: Int, kind: LayoutKind, narrating: Bool = false) -> [PaneID: Rect] {
    var rects = columnRects(width: width, height: height, kind: kind)
    guard narrating, var narration = rects.removeValue(forKey: .events) else { return rects }
    // Narration needs a few lines more than Events; in the full layout Topics lends them.
    if kind == .full, var topics = rects[.topics], topics.height >= 10 {
        topics.height -= 3
        narration.y -= 3
        narration.height += 3
        rects[.topics] = topics
    }
    rects[.narration] = narration
    return rects
}

/// The header's height: the full layout gives the last key's answer a line of its own.
func headerHeight(_ kind: LayoutKind) -> Int { kind == .full ? 2 : 1 }

private func columnRects(width: Int, height: Int, kind: LayoutKind) -> [PaneID: Rect] {
    let top = headerHeight(kind)
    let body = height - top - 1
    switch kind {
    case .tooSmall:
        return [:]
    case .full:
        let left = 44 + (width - 120) / 4
        let right = width - left
        let services = 11, invariants = 10, groups = 18
        // Events keeps at least a few rows; under 40 lines Topics gives them up and scrolls.
        let events = max(6, body - groups - 12), topics = body - groups - events
        return [
            .orders: Rect(x: 0, y: top, width: left, height: body - services - invariants),
            .services: Rect(x: 0, y: top + body - services - invariants, width: left, height: services),
            .invariants: Rect(x: 0, y: top + body - invariants, width: left, height: invariants),
            .consumerGroups: Rect(x: left, y: top, width: right, height: groups),
            .topics: Rect(x: left, y: top + groups, width: right, height: topics),
            .events: Rect(x: left, y: top + groups + topics, width: right, height: events),
        ]
    case .compact:
        let left = 36 + (width - 80) / 3
        let right = width - left
        let services = 6, invariants = 7, topics = 6, events = 6
        return [
            .orders: Rect(x: 0, y: top, width: left, height: body - services - invariants),
            .services: Rect(x: 0, y: top + body - services - invariants, width: left, height: services),
            .invariants: Rect(x: 0, y: top + body - invariants, width: left, height: invariants),
            .consumerGroups: Rect(x: left, y: top, width: right, height: body - topics - events),
            .topics: Rect(x: left, y: top + body - topics - events, width: right, height: topics),
            .events: Rect(x: left, y: top + body - events, width: right, height: events),
        ]
    }
}

/// Renders one frame: snapshot and dashboard state in, a grid of styled cells out.
public struct DashboardView {
    public var snapshot: Snapshot
    public var state: DashboardState
    public var config: OrderflowConfig
    public var glyphs: Glyphs
    public var scenario: ScenarioProgress?
    /// The reconciliation overlay's report and the journey overlay's steps, when those are open.
    public var sweep: ReconciliationReport?
    public var journey: OrderJourney?

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
        drawHeader(on: &grid, kind: kind)
        var limits: [PaneID: Int] = [:]
        for (pane, rect) in paneRects(width: width, height: height, kind: kind, narrating: scenario != nil)
            .sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let builder = PaneBuilder(snapshot: snapshot, state: state, config: config, glyphs: glyphs,
                                      width: rect.width - 2, compact: kind == .compact, scenario: scenario,
                                      height: rect.height - 2)
            let content = builder.content(for: pane)
            let offset = state.scrollOffset(pane)
            limits[pane] = grid.draw(content, in: rect.inner, offset: offset)
            let note = limits[pane]! > 0 && state.focus == pane ? "\(min(offset, limits[pane]!))/\(limits[pane]!)" : ""
            Panel(title: pane.title, focused: state.focus == pane, note: note).draw(in: rect, on: &grid, glyphs: glyphs)
        }
        drawFooter(on: &grid)
        switch state.overlay {
        case .help: drawHelp(on: &grid)
        case .reconciliation: drawReconciliation(on: &grid)
        case .journey(let id): drawJourney(id, on: &grid)
        case nil: break
        }
        return Rendered(grid: grid, scrollLimits: limits)
    }

    // MARK: Header and footer

    /// The run's state on the first line, always with the design, the publish strategy and
    /// idempotency; the last key's answer beside it, or on a line of its own in the full layout.
    func drawHeader(on grid: inout Grid, kind: LayoutKind) {
        let full = kind == .full
        let flow = snapshot.settings
        var line = Line(" orderflow ", Style(foreground: .cyan, bold: true, reverse: true))
            .appending(full ? "  design " : "  ")
            .appending(flow.design.rawValue, flow.design == .optimistic ? .fg(.red, bold: true) : .bold)
            .appending(full ? "  publish " : " · ").appending(flow.publish.rawValue, .bold)
            .appending(full ? "  idempotency " : " · idem ").appending(flow.idempotency.rawValue, .bold)
            .appending("  ").appending(state.speed.label, .bold)
            .appending("  ").appending(snapshot.now.description, .bold)
            .appending(full ? "  traffic " : "  ")
            .appending(snapshot.trafficOn ? "on \(rateText(snapshot.trafficRate))" : "off", snapshot.trafficOn ? .plain : .fg(.yellow, bold: true))
            .appending("  ")
        if scenario?.waiting == true {
            line = line.appending(" g: NEXT STEP ", Style(foreground: .magenta, bold: true, reverse: true))
        } else if state.paused {
            line = line.appending(" PAUSED ", Style(foreground: .yellow, bold: true, reverse: true))
        } else {
            line = line.appending("RUNNING", .fg(.green, bold: true))
        }
        grid.draw(line, x: 0, y: 0, maxX: grid.width)
        if full {
            let seed = "seed \(snapshot.seed) "
            grid.put(seed, x: grid.width - seed.count, y: 1, style: .dim)
            let room = grid.width - seed.count - 2
            if let message = state.message {
                grid.put(" " + message.clipped(to: room, ellipsis: glyphs.ellipsis), x: 0, y: 1, style: .fg(.cyan))
            } else {
                grid.put(" ? lists every key · m p i switch design, publish, idempotency · r reconciles"
                    .clipped(to: room, ellipsis: glyphs.ellipsis), x: 0, y: 1, style: .dim)
            }
            return
        }
        guard let message = state.message else { return }
        let used = line.displayWidth
        let room = grid.width - used - 2
        if room >= 10 { grid.put(message.clipped(to: room, ellipsis: glyphs.ellipsis), x: used + 2, y: 0, style: .fg(.cyan)) }
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
            for dropped in ["focus", "reconcile", "reject", "traffic", "crash"] where plain(entries).segments.reduce(0, { $0 + $1.text.displayWidth }) > grid.width {
                entries.removeAll { $0.word == dropped }
            }
            chosen = plain(entries)
        }
        grid.draw(chosen, x: 0, y: grid.height - 1, maxX: grid.width)
    }

    // MARK: Overlays

    /// Every binding of the keymap; in two columns when one would not fit the terminal.
    func drawHelp(on grid: inout Grid) {
        let bindings = Keymap.bindings
        let labelWidth = bindings.map(\.label.displayWidth).max() ?? 4
        let entries = bindings.map { Line(" " + $0.label.padded(to: labelWidth) + " ", .fg(.cyan, bold: true)).appending($0.help) }
        let notes = [Line(), Line(" k always kills; the arrows scroll the pane Tab focused.", .dim),
                     Line(" ? or Esc closes this help.", .dim)]
        let oneColumn = entries.count + notes.count + 2 <= grid.height - 2
        var lines: [Line]
        let width: Int
        if oneColumn {
            lines = entries
            width = min(grid.width - 4, 64)
        } else {
            let rows = (entries.count + 1) / 2
            width = min(grid.width - 2, 2 * 44 + 2)
            let columnWidth = (width - 2) / 2
            lines = (0..<rows).map { r in
                let left = entries[r].clipped(to: columnWidth)
                let right = r + rows < entries.count ? entries[r + rows] : Line()
                return left.padded(to: columnWidth).appending(line: right)
            }
        }
        lines += notes
        let height = min(grid.height - 2, lines.count + 2)
        let rect = Rect(x: (grid.width - width) / 2, y: (grid.height - height) / 2, width: width, height: height)
        drawOverlay(title: "Keys", lines: lines, in: rect, on: &grid)
    }

    /// The last sweep, class by class, with the first order ids of each.
    func drawReconciliation(on grid: inout Grid) {
        guard let sweep else { return }
        var lines = [Line(" taken at \(sweep.at) · \(sweep.ordersChecked) orders checked", .dim)]
        if let from = sweep.logCheckedFrom { lines.append(Line(" the log starts at \(from): older orders not checked against it", .dim)) }
        if let n = sweep.republished {
            lines.append(Line(" repair republished \(n) OrderCreatedEvent\(n == 1 ? "" : "s")", .fg(.green, bold: true)))
        }
        lines.append(Line())
        // Each row: mark, count, name and meaning take 62 columns; order ids share the rest.
        let idCount = max(1, (min(grid.width - 4, 96) - 2 - 62) / 9)
        for c in sweep.classes {
            let color: Color = c.orders.isEmpty ? .green : .red
            let ids = c.orders.prefix(idCount).map { shortId($0) }.joined(separator: " ") + (c.orders.count > idCount ? " " + glyphs.ellipsis : "")
            lines.append(Line(" " + String(glyphs.dot) + " ", .fg(color, bold: true))
                .appending(String(c.orders.count).padded(to: 5, alignRight: true) + " ", .fg(color, bold: true))
                .appending(c.name.padded(to: 23), c.orders.isEmpty ? .plain : .bold)
                .appending(c.meaning.padded(to: 30), .dim)
                .appending(ids))
        }
        lines.append(Line())
        lines.append(Line(" R republishes the ordersWithoutEvent · r or Esc closes · re-swept every virtual second", .dim))
        let width = min(grid.width - 4, 96), height = min(grid.height - 2, lines.count + 2)
        let rect = Rect(x: (grid.width - width) / 2, y: (grid.height - height) / 2, width: width, height: height)
        drawOverlay(title: "Reconciliation", lines: lines, in: rect, on: &grid)
    }

    /// The order's steps with their virtual times; what never happened is marked red.
    func drawJourney(_ orderId: String, on grid: inout Grid) {
        var lines: [Line]
        if let journey {
            lines = [Line(" \(journey.orderId)", .bold).appending(" · ")
                .appending(journey.status.rawValue, .fg(PaneBuilder.color(of: journey.status), bold: true))
                .appending(" · \(journey.design.rawValue) design", .dim)]
            lines.append(Line())
            for step in journey.steps {
                let (mark, color): (String, Color) = switch step.mark {
                case .done: (glyphs == .ascii ? "+" : "✓", .green)
                case .waiting: (glyphs == .ascii ? "." : "…", .yellow)
                case .missing: (glyphs == .ascii ? "x" : "✗", .red)
                case .wrong: ("!", .red)
                }
                lines.append(Line(" " + (step.time?.description ?? "-").padded(to: 13), .dim)
                    .appending(mark + " ", .fg(color, bold: true))
                    .appending(step.what.padded(to: 28), step.mark == .done ? .plain : .fg(color, bold: true))
                    .appending(step.detail))
            }
        } else {
            lines = [Line(" order \(orderId) is not in the orders table", .fg(.red))]
        }
        lines.append(Line())
        lines.append(Line(" the order id is the key and the correlation id throughout · Esc closes", .dim))
        let width = min(grid.width - 4, 104), height = min(grid.height - 2, lines.count + 2)
        let rect = Rect(x: (grid.width - width) / 2, y: (grid.height - height) / 2, width: width, height: height)
        drawOverlay(title: "Journey of \(shortId(orderId))", lines: lines, in: rect, on: &grid)
    }

    private func drawOverlay(title: String, lines: [Line], in rect: Rect, on grid: inout Grid) {
        grid.fill(rect)
        _ = grid.draw(PaneContent(body: lines), in: rect.inner, offset: 0)
        Panel(title: title, focused: true).draw(in: rect, on: &grid, glyphs: glyphs)
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
