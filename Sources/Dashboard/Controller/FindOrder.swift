import Services
import Simulation

/// `/`: find an order by the first characters of its id, as every pane shows them (8 of them).
extension DashboardController {
    func typeSearch(_ key: Key) {
        guard var typed = state.search else { return }
        switch key {
        case .escape:
            state.search = nil
            state.message = "find cancelled"
            return
        case .backspace:
            typed = String(typed.dropLast())
        case .enter:
            state.search = nil
            select(prefix: typed)
            return
        case .character(let ch) where ch.isHexDigit || ch == "-":
            if typed.count < 36 { typed.append(Character(ch.lowercased())) }
        default:
            break
        }
        state.search = typed
        state.message = "find an order: /\(typed)"
    }

    /// Selects the newest listed order whose id starts with `prefix` and scrolls to it; an order
    /// too old for the list opens its journey instead.
    private func select(prefix: String) {
        guard !prefix.isEmpty else {
            state.message = "find: type the first characters of an order id"
            return
        }
        let listed = Array(currentSnapshot().recentOrders.reversed())
        if let index = listed.firstIndex(where: { $0.orderId.hasPrefix(prefix) }) {
            state.focus = .orders
            state.selectedOrderId = listed[index].orderId
            scroll(.orders, toShow: index)
            state.message = "order \(shortOrderId(listed[index].orderId)) selected: Enter follows it, x cancels it"
        } else if let id = simulation.findOrder(prefix) {
            journey = nil
            state.overlay = .journey(orderId: id)
            state.message = "order \(shortOrderId(id)) is older than the list: its journey"
        } else {
            state.message = "no order starts with \(prefix)"
        }
    }
}
