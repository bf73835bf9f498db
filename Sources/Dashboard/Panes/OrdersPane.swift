import Bus
import Services
import Simulation

extension PaneBuilder {
    /// Counts per status with bars, the rejected count, then the newest orders, the selected
    /// one highlighted while the pane has focus.
    func orders() -> PaneContent {
        var content = PaneContent()
        let total = snapshot.orderCounts.values.reduce(0, +)
        let countWidth = max(5, String(total).count)
        let barWidth = max(0, width - 16 - countWidth - 2)
        for status in OrderStatus.allCases {
            let n = snapshot.orderCounts[status] ?? 0
            content.fixed.append(
                Line(status.rawValue.padded(to: 16), .fg(status.color, bold: true))
                    .appending(String(n).padded(to: countWidth, alignRight: true) + " ")
                    .appending(bar(n, of: total, width: barWidth, glyphs: glyphs), .fg(status.color)))
        }
        // Two different numbers, each named for what it counts: orders the API turned away
        // (order-service down), and orders it accepted into its table.
        content.fixed.append(
            Line("API rejected ")
                .appending("\(snapshot.rejectedOrders)", snapshot.rejectedOrders > 0 ? .fg(.red, bold: true) : .plain)
                .appending(" · accepted \(total)"))
        let table = Table(
            [
                Column(title: "ORDER", width: 8, priority: 9),
                Column(title: "AMOUNT", width: 10, alignRight: true, priority: 5),
                Column(title: "STATUS", width: 14, priority: 8, flexible: true),
                Column(title: "AGE", width: 4, alignRight: true, priority: 6),
            ], width: width)
        content.fixed.append(table.header())
        for order in snapshot.recentOrders.reversed() {
            let cells = [
                shortOrderId(order.orderId), money(order.amountCents, order.currency), order.status.rawValue,
                age(snapshot.now - order.createdAt),
            ]
            var line = table.row(cells) { $0 == 2 ? .fg(order.status.color) : .plain }
            line.highlight = state.focus == .orders && order.orderId == state.selectedOrderId
            content.body.append(line)
        }
        if snapshot.recentOrders.isEmpty { content.body.append(Line("no orders yet: press o", .dim)) }
        return content
    }
}
