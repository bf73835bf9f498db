import Bus
import Simulation

/// Focus, scrolling and the order selection: the keys that move the class's eye, not the flow.
extension DashboardController {
    func navigate(_ action: DashboardAction) {
        switch action {
        case .focusNext, .focusPrevious:
            let all = visiblePanes
            if let focus = state.focus, let i = all.firstIndex(of: focus) {
                state.focus = all[(i + (action == .focusNext ? 1 : all.count - 1)) % all.count]
            } else {
                state.focus = action == .focusNext ? all.first : all.last
            }
        case .scrollUp: move(by: -1)
        case .scrollDown: move(by: 1)
        case .pageUp: move(by: -10)
        case .pageDown: move(by: 10)
        case .scrollTop: move(by: -1_000_000)
        case .scrollBottom: move(by: 1_000_000)
        default: break
        }
    }

    /// Scrolls a list pane just enough that row `index` of its scrolling part is on screen.
    func scroll(_ pane: PaneID, toShow index: Int) {
        let rows = max(1, visibleRows[pane] ?? 1)
        let offset = state.scrollOffset(pane)
        if index < offset {
            state.scroll[pane] = index
        } else if index >= offset + rows {
            state.scroll[pane] = index - rows + 1
        }
    }

    /// After a frame: new orders push the selected one down; the list follows it so the row
    /// that Enter and `x` act on is always the one highlighted on screen.
    func keepSelectionVisible(in snapshot: Snapshot) {
        guard let id = state.selectedOrderId,
            let index = Array(snapshot.recentOrders.reversed()).firstIndex(where: { $0.orderId == id })
        else { return }
        scroll(.orders, toShow: index)
    }

    /// The row a selection moves to, newest first; with nothing selected yet, the newest.
    private func step<T: Equatable>(from selected: T?, in rows: [T], by delta: Int) -> Int {
        let current = selected.flatMap { rows.firstIndex(of: $0) }
        return current.map { max(0, min(rows.count - 1, $0 + delta)) } ?? 0
    }

    /// Arrow keys: move the order selection in the Orders pane, scroll any other focused pane.
    private func move(by delta: Int) {
        guard let focus = state.focus else {
            state.message = "Tab first: the arrow keys scroll the focused pane"
            return
        }
        if focus == .orders, let orders = lastSnapshot?.recentOrders.reversed().map(\.orderId), !orders.isEmpty {
            let next = step(from: state.selectedOrderId, in: orders, by: delta)
            state.selectedOrderId = orders[next]
            scroll(.orders, toShow: next)
            return
        }
        if focus == .events, let records = lastSnapshot?.recentRecords.reversed(), !records.isEmpty {
            let refs = records.map { RecordMetadata(topic: $0.topic, partition: $0.partition, offset: $0.offset) }
            let next = step(from: state.selectedRecord, in: refs, by: delta)
            state.selectedRecord = refs[next]
            scroll(.events, toShow: next)
            return
        }
        let limit = scrollLimits[focus] ?? 0
        state.scroll[focus] = max(0, min(limit, state.scrollOffset(focus) + delta))
    }
}
