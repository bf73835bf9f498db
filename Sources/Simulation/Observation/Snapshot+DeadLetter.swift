import Events

extension Snapshot {
    /// The dead-letter topics as the Services and Invariants panes show them.
    package struct DeadLetterRow: Sendable, Equatable {
        /// Reads after the first failure before a record is dead-lettered.
        package var retries: Int
        /// Records each service's listener sent to a DLT (acknowledged).
        package var sent: [ServiceName: Int]
        /// Orders still PENDING_PAYMENT with a record in a DLT: the `deadLettered` row.
        package var ordersWaiting: Int
        package var redriven: Int

        package init(retries: Int, sent: [ServiceName: Int] = [:], ordersWaiting: Int = 0, redriven: Int = 0) {
            self.retries = retries
            self.sent = sent
            self.ordersWaiting = ordersWaiting
            self.redriven = redriven
        }
    }
}
