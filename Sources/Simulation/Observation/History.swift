/// A fixed-size window of per-second samples, oldest first: sparklines for the last minute
/// without memory growing over a day-long run.
package struct History: Sendable, Equatable {
    package let capacity: Int
    private var buffer: [Int64]
    private var start = 0
    package private(set) var count = 0

    package init(capacity: Int) {
        self.capacity = capacity
        buffer = Array(repeating: 0, count: capacity)
    }

    package mutating func append(_ value: Int64) {
        if count < capacity {
            buffer[(start + count) % capacity] = value
            count += 1
        } else {
            buffer[start] = value
            start = (start + 1) % capacity
        }
    }

    package var values: [Int64] { (0..<count).map { buffer[(start + $0) % capacity] } }
    package var first: Int64? { count == 0 ? nil : buffer[start] }
    package var last: Int64? { count == 0 ? nil : buffer[(start + count - 1) % capacity] }
}

/// A bounded list that keeps the newest `capacity` items.
package struct RecentFeed<Element: Sendable>: Sendable {
    package let capacity: Int
    private var buffer: [Element] = []
    private var start = 0

    package init(capacity: Int) { self.capacity = capacity }

    package mutating func append(_ item: Element) {
        if buffer.count < capacity {
            buffer.append(item)
        } else {
            buffer[start] = item
            start = (start + 1) % capacity
        }
    }

    /// The newest `n` items, newest last.
    package func newest(_ n: Int) -> [Element] {
        let k = min(n, buffer.count)
        return (buffer.count - k..<buffer.count).map { buffer[(start + $0) % buffer.count] }
    }
}
