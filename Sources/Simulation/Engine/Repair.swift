import Bus
import Events
import Services

/// The reconciliation sweep's repair. It writes to the bus, so it lives with the engine, not
/// with the read-only observers.
extension Simulation {
    /// Each order without an event gets a fresh OrderCreatedEvent, built from its row, so the
    /// payment service finally sees it; a CANCELLED one is skipped (republishing it would charge it). Returns the sweep it acted on, with the count.
    package func repair() -> ReconciliationReport {
        var report = reconcile()
        var republished = 0
        for id in report[.ordersWithoutEvent] {
            do {
                // A cancelled order must not be charged: its missing event stays missing.
                guard let order = try orderService.order(id), order.status != .cancelled else { continue }
                let event = OrderCreatedEvent(
                    eventId: repairRandom.uuid(), orderId: id, customerId: order.customerId,
                    amountCents: order.amountCents, currency: order.currency,
                    createdAt: order.createdAt.milliseconds)
                // Written as an operator's tool would, with acks=1: not through order-service's producer.
                try cluster.produce(
                    topic: OrderCreatedEvent.topic, key: event.recordKey, value: EventCodec.encode(event),
                    headers: event.recordHeaders, timestamp: now, acks: .leader)
                republished += 1
            } catch {
                logger.warning("repair could not republish \(id): \(error)")
            }
        }
        report.republished = republished
        return report
    }
}
