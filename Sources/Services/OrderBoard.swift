import Bus

/// Counts per status and the most recent orders, updated on every committed write.
package struct OrderBoard: Sendable {
    package private(set) var counts: [OrderStatus: Int] = Dictionary(
        uniqueKeysWithValues: OrderStatus.allCases.map { ($0, 0) })
    /// Newest last.
    package private(set) var recent: [OrderSummary] = []
    let recentCapacity: Int

    init(recentCapacity: Int) { self.recentCapacity = recentCapacity }

    package var total: Int { counts.values.reduce(0, +) }

    mutating func inserted(_ order: OrderSummary) {
        counts[order.status, default: 0] += 1
        recent.append(order)
        if recent.count > recentCapacity { recent.removeFirst(recent.count - recentCapacity) }
    }

    mutating func moved(_ orderId: String, from old: OrderStatus, to new: OrderStatus, at time: VirtualTime) {
        counts[old, default: 0] -= 1
        counts[new, default: 0] += 1
        if let i = recent.lastIndex(where: { $0.orderId == orderId }) {
            recent[i].status = new
            recent[i].updatedAt = time
        }
    }
}
