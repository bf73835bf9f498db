import Bus
import Events
import Foundation
import GRDB
import Services

/// One order's path through the flow, step by step with virtual times, read from where each
/// step leaves its trace: the orders table and outbox, the log (the order id is the key and
/// the correlation id everywhere), the payments table, the provider's ledger and the emails.
package struct OrderJourney: Encodable, Sendable, Equatable {
    package enum Mark: String, Encodable, Sendable {
        /// It happened.
        case done
        /// It has not happened yet and still can.
        case waiting
        /// It did not happen and nothing will make it happen.
        case missing
        /// It happened and should not have, or happened again.
        case wrong
        /// It happened and failed: a declined charge. Not an anomaly, but no success either.
        case failed
    }

    package struct Step: Encodable, Sendable, Equatable {
        package var time: VirtualTime?
        package var what: String
        package var detail: String
        package var mark: Mark

        private enum CodingKeys: String, CodingKey { case virtualSeconds, what, detail, mark }

        package func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(time?.seconds, forKey: .virtualSeconds)
            try c.encode(what, forKey: .what)
            try c.encode(detail, forKey: .detail)
            try c.encode(mark, forKey: .mark)
        }
    }

    package var orderId: String
    package var status: OrderStatus
    package var design: OrderDesign
    package var steps: [Step]

    /// The text `simulate --trace` prints.
    package func text() -> String {
        var lines = ["order \(orderId) · \(status.rawValue) · \(design.rawValue) design"]
        for step in steps {
            let time = step.time.map(\.description) ?? "-"
            let mark =
                switch step.mark {
                case .done: "ok"
                case .waiting: ".."
                case .missing: "!!"
                case .wrong: "!!"
                case .failed: "no"
                }
            lines.append(
                "  \(time.padding(toLength: 13, withPad: " ", startingAt: 0)) \(mark)  \(step.what): \(step.detail)")
        }
        return lines.joined(separator: "\n")
    }
}

extension OrderJourney {
    /// The journey of one order, or nil when the orders table does not have it.
    package static func trace(_ orderId: String, in records: FlowRecords) throws -> OrderJourney? {
        try JourneyBuilder(orderId: orderId, records: records).build()
    }
}

/// Reads the order's rows in every database and scans the one partition per topic its id hashes to.
private struct JourneyBuilder {
    let orderId: String
    let records: FlowRecords

    /// Scans the one partition of each topic the order id hashes to.
    private func records(on topic: String) -> [Bus.Record] {
        let key = Array(orderId.utf8)
        let tp = TopicPartition(
            topic, KafkaPartitioner.partition(forKey: key, partitionCount: records.log.partitionCount(of: topic)))
        var found: [Bus.Record] = []
        records.forEachRecord(tp) { if $0.hasKey(key) { found.append($0) } }
        return found
    }

    /// Steps in virtual-time order; a step without a time (it has not happened) keeps its place
    /// after the step before it, and steps at the same instant keep the flow's order.
    static func inTimeOrder(_ steps: [OrderJourney.Step]) -> [OrderJourney.Step] {
        var last = VirtualTime.zero
        let keyed = steps.enumerated().map { i, step -> (VirtualTime, Int, OrderJourney.Step) in
            if let time = step.time { last = max(last, time) }
            return (step.time ?? last, i, step)
        }
        return keyed.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
    }

    /// With a cluster: whether every in-sync replica has the record (the high watermark passed
    /// it) and the producer was told so, or the leader alone has it yet.
    private func replication(of record: Bus.Record) -> OrderJourney.Step? {
        guard let state = records.log.replicaState(record.topicPartition) else { return nil }
        let isr = state.isr.map(String.init).joined(separator: ",")
        guard record.offset < state.highWatermark else {
            return OrderJourney.Step(
                time: nil, what: "replication",
                detail: "on leader \(state.leader.map(String.init) ?? "none") only; ISR \(isr) has not fetched it",
                mark: .waiting)
        }
        let acknowledged = records.log.isAcknowledged(record.topicPartition, offset: record.offset)
        return OrderJourney.Step(
            time: nil, what: "replication",
            detail: "every in-sync replica has it (ISR \(isr))"
                + (acknowledged ? ", acknowledged" : ", not acknowledged"),
            mark: .done)
    }

    func build() throws -> OrderJourney? {
        guard
            let order = try records.orders.read({ db in
                try Row.fetchOne(
                    db, sql: "SELECT status, design, created_at, updated_at FROM orders WHERE id = ?",
                    arguments: [orderId])
            })
        else { return nil }
        let status = OrderStatus(rawValue: order["status"]) ?? .pendingPayment
        let design = OrderDesign(rawValue: order["design"]) ?? .honest
        let created = VirtualTime(milliseconds: order["created_at"])
        let outbox = try records.orders.read { db in
            try Row.fetchOne(
                db, sql: "SELECT id, published_at FROM outbox WHERE order_id = ? ORDER BY id LIMIT 1",
                arguments: [orderId])
        }
        let payments = try records.payments.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM payments WHERE order_id = ? ORDER BY id", arguments: [orderId])
        }
        let charges = try records.ledger.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM charges WHERE order_id = ? ORDER BY id", arguments: [orderId])
        }
        let emails = try records.emails.read { db in
            try Row.fetchAll(
                db, sql: "SELECT trigger, sent_at FROM emails WHERE order_id = ? ORDER BY id", arguments: [orderId])
        }
        var steps: [OrderJourney.Step] = []
        func add(_ time: VirtualTime?, _ what: String, _ detail: String, _ mark: OrderJourney.Mark = .done) {
            steps.append(OrderJourney.Step(time: time, what: what, detail: detail, mark: mark))
        }

        let firstStatus = design == .optimistic ? OrderStatus.confirmed : .pendingPayment
        add(
            created, "database commit",
            "orders row \(firstStatus.rawValue)" + (outbox.map { " + outbox row #\($0["id"] as Int64)" } ?? ""),
            design == .optimistic ? .wrong : .done)
        for email in emails where email["trigger"] == NotificationService.Trigger.orderWriteHook.rawValue {
            add(
                VirtualTime(milliseconds: email["sent_at"]), "email sent", "by the write's hook, before any payment",
                .wrong)
        }
        let announced = records(on: Topic.orderCreated).filter { $0.eventType == OrderCreatedEvent.eventType }
        let lost = records.log.lostRecords.filter { $0.key == orderId }
        for record in lost {
            let location = "\(record.topicPartition.topic) \(record.topicPartition.partition)@\(record.offset)"
            add(record.appendedAt, "publish", location + ", acknowledged")
            add(
                record.lostAt, "lost in a truncation",
                "a replica without \(location) became leader: the acknowledged record is gone", .wrong)
        }
        if announced.isEmpty && !lost.contains(where: { $0.topicPartition.topic == Topic.orderCreated }) {
            add(
                nil, "publish",
                outbox == nil ? "never published to \(Topic.orderCreated)" : "not yet on \(Topic.orderCreated)",
                outbox == nil ? .missing : .waiting)
        }
        for (n, record) in announced.enumerated() {
            add(
                record.timestamp, "publish",
                "\(Topic.orderCreated) \(record.partition)@\(record.offset)" + (n > 0 ? " (again)" : ""),
                n > 0 ? .wrong : .done)
            replication(of: record).map { steps.append($0) }
        }

        if let outbox {
            if let at = outbox["published_at"] as Int64? {
                add(VirtualTime(milliseconds: at), "outbox relay", "row marked published")
            } else {
                add(nil, "outbox relay", "row waiting to be published", .waiting)
            }
        }

        if payments.isEmpty {
            add(
                nil, "consumed by payment-service",
                announced.isEmpty ? "nothing to consume" : "waiting in the partition",
                announced.isEmpty ? .missing : .waiting)
        }
        for (n, payment) in payments.enumerated() {
            let consumed = VirtualTime(milliseconds: payment["consumed_at"])
            let wait = announced.first.map { consumed - $0.timestamp }
            add(
                consumed, "consumed by payment-service",
                (wait.map { "after waiting \($0)" } ?? "") + (n > 0 ? " (again)" : ""),
                n > 0 ? .wrong : .done)
        }

        let successful = charges.filter { $0["outcome"] == "succeeded" }
        if charges.isEmpty {
            add(nil, "provider charge", "never charged", payments.isEmpty && !announced.isEmpty ? .waiting : .missing)
        }
        for charge in charges {
            let key =
                (charge["idempotency_key"] as String?).map { "idempotency key \(shortOrderId($0))" }
                ?? "no idempotency key"
            let again =
                successful.count > 1 && charge["id"] as Int64 != successful[0]["id"] as Int64
                && charge["outcome"] == "succeeded"
            let outcome: String = charge["outcome"]
            add(
                VirtualTime(milliseconds: charge["charged_at"]), "provider charge",
                "\(outcome) \(charge["charge_id"] as String), \(key)" + (again ? " (double charge)" : ""),
                again ? .wrong : outcome == "succeeded" ? .done : .failed)
        }

        let results = (records(on: Topic.paymentCompleted) + records(on: Topic.paymentFailed))
            .sorted { ($0.timestamp, $0.topic) < ($1.timestamp, $1.topic) }
        if results.isEmpty && !payments.isEmpty {
            add(nil, "publish result", "not on payment.completed or payment.failed", .missing)
        }
        for (n, record) in results.enumerated() {
            add(
                record.timestamp, "publish result",
                "\(record.topic) \(record.partition)@\(record.offset)" + (n > 0 ? " (again)" : ""),
                n > 0 ? .wrong : .done)
        }

        let updated = VirtualTime(milliseconds: order["updated_at"])
        switch status {
        case .pendingPayment:
            // No event and none to come: no outbox row, or one marked published whose record is gone.
            let noEventToCome = announced.isEmpty && (outbox == nil || outbox?["published_at"] as Int64? != nil)
            add(nil, "order-service", "still PENDING_PAYMENT", noEventToCome ? .missing : .waiting)
        case .confirmed where design == .optimistic:
            add(
                created, "order-service",
                successful.isEmpty ? "CONFIRMED since creation, never paid" : "CONFIRMED since creation",
                successful.isEmpty ? .wrong : .done)
        case .cancelled:
            add(
                updated, "order-service", successful.isEmpty ? "CANCELLED" : "CANCELLED, then charged: refund needed",
                successful.isEmpty ? .done : .wrong)
        default: add(updated, "order-service", "→ \(status.rawValue)")
        }

        let confirmations = emails.filter { $0["trigger"] == NotificationService.Trigger.paymentCompleted.rawValue }
        if confirmations.isEmpty && status == .confirmed && design == .honest {
            add(nil, "email sent", "not yet", .waiting)
        }
        for (n, email) in confirmations.enumerated() {
            add(
                VirtualTime(milliseconds: email["sent_at"]), "email sent",
                "on payment.completed" + (n > 0 ? " (again)" : ""),
                n > 0 ? .wrong : .done)
        }
        return OrderJourney(orderId: orderId, status: status, design: design, steps: Self.inTimeOrder(steps))
    }
}
