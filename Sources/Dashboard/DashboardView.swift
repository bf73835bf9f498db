import Bus
import Simulation

/// Renders one frame: snapshot and dashboard state in, a grid of styled cells out. The panes,
/// header, footer and overlays each draw themselves; this type lays them out.
package struct DashboardView {
    package var snapshot: Snapshot
    package var state: DashboardState
    package var config: OrderflowConfig
    package var glyphs: Glyphs
    package var scenario: ScenarioProgress?
    /// The reconciliation overlay's report and the journey overlay's steps, when those are open.
    package var sweep: ReconciliationReport?
    package var journey: OrderJourney?
    /// The record overlay's record, read from the log.
    package var record: RecordDetail?

    package init(snapshot: Snapshot, state: DashboardState, config: OrderflowConfig, glyphs: Glyphs) {
        self.snapshot = snapshot
        self.state = state
        self.config = config
        self.glyphs = glyphs
    }

    package struct Rendered {
        package var grid: Grid
        /// How far each pane can scroll, given what it holds and its size.
        package var scrollLimits: [PaneID: Int]
        /// The panes on screen, in Tab order.
        package var panes: [PaneID] = []
        /// How many scrolling lines each pane shows at once.
        package var visibleRows: [PaneID: Int] = [:]
        /// Each pane's slot and every line it holds, drawn or scrolled off: what the tests read to
        /// find a line that does not fit its pane.
        var contents: [PaneID: (rect: Rect, content: PaneContent)] = [:]
    }

    /// What the key table's conditions are judged against in this frame.
    var bindingContext: BindingContext {
        BindingContext(snapshot: snapshot, scenarioPlaying: scenario != nil)
    }

    package func render(width: Int, height: Int) -> Rendered {
        var grid = Grid(width: width, height: height, asciiOnly: glyphs == .ascii)
        let kind = LayoutKind(width: width, height: height)
        guard kind != .tooSmall else {
            drawTooSmall(on: &grid)
            return Rendered(grid: grid, scrollLimits: [:])
        }
        Header(snapshot: snapshot, state: state, scenario: scenario, glyphs: glyphs).draw(on: &grid, kind: kind)
        func builder(_ rect: Rect, compact: Bool = kind == .compact) -> PaneBuilder {
            PaneBuilder(
                snapshot: snapshot, state: state, config: config, glyphs: glyphs,
                width: rect.width - 2, compact: compact, scenario: scenario,
                height: rect.height - 2)
        }
        // Narration gets the lines its current step needs, measured at the width it will have.
        // Its height does not change what it holds, so the measured text is the one drawn.
        var narration: PaneContent?
        // With a cluster the Brokers pane is the lesson (`paneRects`).
        let brokersFirst = snapshot.cluster != nil
        if scenario != nil,
            let slot = paneRects(width: width, height: height, kind: kind, brokersFirst: brokersFirst)[.events]
        {
            narration = builder(slot).narration()
        }
        let laidOut = paneRects(
            width: width, height: height, kind: kind, narrationLines: narration.map { $0.fixed.count + $0.body.count },
            brokersFirst: brokersFirst)
        var rects = laidOut
        var zoomedCompact: Bool?
        // `z`: the focused pane alone, between the header and the footer, in its full layout.
        if state.zoomed, let focus = state.focus, laidOut[focus] != nil {
            let top = laidOut.values.map(\.y).min() ?? 0
            let bottom = laidOut.values.map(\.maxY).max() ?? height
            let whole = Rect(x: 0, y: top, width: width, height: bottom - top)
            rects = [focus: whole]
            zoomedCompact = false
            if focus == .narration { narration = builder(whole, compact: false).narration() }
        }
        var limits: [PaneID: Int] = [:]
        var visibleRows: [PaneID: Int] = [:]
        var contents: [PaneID: (rect: Rect, content: PaneContent)] = [:]
        for (pane, rect) in rects.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let content =
                pane == .narration
                ? narration ?? PaneContent()
                : builder(rect, compact: zoomedCompact ?? (kind == .compact)).content(for: pane)
            visibleRows[pane] = max(0, rect.inner.height - content.fixed.count)
            contents[pane] = (rect, content)
            limits[pane] = drawPane(pane, content, in: rect, on: &grid)
        }
        // A storage failure stays on screen: the class must not watch a run that lost writes.
        let footer =
            if let failure = snapshot.storageFailure, kind == .compact {
                Line(
                    " storage failed: "
                        + shortStorageFailure(failure).clippedAtWord(to: grid.width - 17, ellipsis: glyphs.ellipsis),
                    .fg(.red, bold: true))
            } else if state.showsMessage && kind == .compact {
                Line(
                    " " + (state.message ?? "").clippedAtWord(to: grid.width - 1, ellipsis: glyphs.ellipsis),
                    .fg(.cyan, bold: true))
            } else {
                Footer(context: bindingContext).line(width: grid.width)
            }
        grid.draw(footer, x: 0, y: grid.height - 1, maxX: grid.width)
        switch state.overlay {
        case .help: HelpOverlay(glyphs: glyphs, context: bindingContext).draw(on: &grid)
        case .paneHelp(let pane): PaneHelpOverlay(pane: pane, glyphs: glyphs).draw(on: &grid)
        case .reconciliation: if let sweep { ReconciliationOverlay(sweep: sweep, glyphs: glyphs).draw(on: &grid) }
        case .journey(let id): JourneyOverlay(orderId: id, journey: journey, glyphs: glyphs).draw(on: &grid)
        case .record(let reference): RecordOverlay(detail: record, reference: reference, glyphs: glyphs).draw(on: &grid)
        case nil: break
        }
        return Rendered(
            grid: grid, scrollLimits: limits, panes: PaneID.allCases.filter { laidOut[$0] != nil },
            visibleRows: visibleRows, contents: contents)
    }

    /// One pane: its content at its scroll offset inside its panel, the scroll position in the
    /// title while it has focus. Returns how far the pane can scroll.
    func drawPane(_ pane: PaneID, _ content: PaneContent, in rect: Rect, on grid: inout Grid) -> Int {
        let offset = state.scrollOffset(pane)
        let limit = grid.draw(content, in: rect.inner, offset: offset)
        var note = limit > 0 && state.focus == pane ? "\(min(offset, limit))/\(limit)" : ""
        // A story that does not fit says so, focused or not.
        if pane == .narration && offset < limit { note = glyphs == .ascii ? "more v" : "more ↓" }
        if state.zoomed && state.focus == pane && note.isEmpty { note = "z or Esc: back" }
        Panel(title: pane.title(cluster: snapshot.cluster != nil), focused: state.focus == pane, note: note).draw(
            in: rect, on: &grid, glyphs: glyphs)
        return limit
    }

    /// One pane alone in a grid of its own size, as the screen would draw it in a slot that size:
    /// what the pane tests compare.
    func renderPane(_ pane: PaneID, width: Int, height: Int, compact: Bool) -> Grid {
        var grid = Grid(width: width, height: height, asciiOnly: glyphs == .ascii)
        let rect = Rect(x: 0, y: 0, width: width, height: height)
        let builder = PaneBuilder(
            snapshot: snapshot, state: state, config: config, glyphs: glyphs, width: width - 2, compact: compact,
            scenario: scenario, height: height - 2)
        _ = drawPane(pane, builder.content(for: pane), in: rect, on: &grid)
        return grid
    }

    /// What the window needs, readable at any size: the words shorten before the numbers go.
    func drawTooSmall(on grid: inout Grid) {
        let need = "\(LayoutKind.minimum.width)×\(LayoutKind.minimum.height)"
        let have = "\(grid.width)×\(grid.height)"
        let wordings = [
            [
                "orderflow needs at least \(need);", "this terminal is \(have).",
                "Enlarge the window, or press q to quit.",
            ],
            ["orderflow needs \(need);", "this is \(have).", "Enlarge it, or q quits."],
            ["needs \(need)", "is \(have)", "q quits"],
            [need, have],
        ]
        let lines =
            wordings.first { lines in lines.allSatisfy { $0.displayWidth <= grid.width } && lines.count <= grid.height }
            ?? [need]
        let top = max(0, (grid.height - lines.count) / 2)
        for (i, text) in lines.enumerated() {
            let clipped = text.clipped(to: grid.width, ellipsis: glyphs.ellipsis)
            grid.put(
                clipped, x: max(0, (grid.width - clipped.displayWidth) / 2), y: top + i, style: i == 0 ? .bold : .plain)
        }
    }

}
