import Bus
import Simulation

extension DashboardController {
    /// Snapshot, then render: one frame.
    package func frame(width: Int, height: Int, glyphs: Glyphs) -> Grid {
        let snapshot = currentSnapshot(fresh: true)
        if let id = state.selectedOrderId, !snapshot.recentOrders.contains(where: { $0.orderId == id }) {
            state.selectedOrderId = nil
        }
        keepSelectionVisible(in: snapshot)
        if let (text, expiry) = messageExpiry, state.message == text, !expiry.holds(snapshot) {
            state.message = nil
            messageExpiry = nil
        }
        var view = DashboardView(snapshot: snapshot, state: state, config: simulation.config, glyphs: glyphs)
        view.scenario = player?.progress
        switch state.overlay {
        case .reconciliation:
            // Live: the repair's effect shows as the classes empty out.
            framesSinceSweep += 1
            if let taken = sweep?.at, snapshot.now - taken >= .seconds(1), framesSinceSweep >= Self.framesBetweenSweeps
            {
                framesSinceSweep = 0
                let republished = sweep?.republished
                sweep = simulation.reconcile()
                sweep?.republished = republished
            }
            view.sweep = sweep
        case .journey(let id):
            if journey?.orderId != id || journeyTakenAt.map({ snapshot.now - $0 >= .seconds(1) }) ?? true {
                journey = simulation.journey(of: id)
                journeyTakenAt = snapshot.now
            }
            view.journey = journey
        case .record(let reference):
            view.record = simulation.record(reference.topicPartition, at: reference.offset).map(RecordDetail.init)
        case .help, .paneHelp, nil:
            break
        }
        if let step = view.scenario?.current?.number, step != shownStep {
            // A new step: its text opens at the top, and an answer about the last one is no longer true.
            if shownStep != nil, !(state.message?.hasPrefix("at step") ?? false) { state.message = nil }
            shownStep = step
            state.scroll[.narration] = 0
        }
        let rendered = view.render(width: width, height: height)
        if screenRequested {
            screenRequested = false
            let stem = ScreenExport.fileStem(scenario: player?.progress, now: snapshot.now)
            state.message = saveScreen?(rendered.grid, stem) ?? "this dashboard has nowhere to save a screen"
        }
        scrollLimits = rendered.scrollLimits
        visibleRows = rendered.visibleRows
        // A too-small terminal shows no panes: the focus waits for the window to grow again.
        if !rendered.panes.isEmpty {
            renderedPanes = rendered.panes
            if let focus = state.focus, !rendered.panes.contains(focus) { state.focus = nil }
        }
        for (pane, limit) in scrollLimits where state.scrollOffset(pane) > limit { state.scroll[pane] = limit }
        return rendered.grid
    }
}
