import Bus
import Events
import Simulation
import Testing

@Suite struct DeterminismTests {
    func run(seed: UInt64) throws -> (json: String, events: [String]) {
        var config = OrderflowConfig()
        config.seed = seed
        config.trafficRate = 20
        let sim = try Simulation(config: config)
        var events: [String] = []
        sim.recordObservers.append { events.append(EventExport.line(for: $0)) }
        let scenario = try Scenario.parse(
            """
            - {at: 3s, do: kill, service: payment-service, instance: 1}
            - {at: 5s, do: crash-mid-publish}
            - {at: 8s, do: reject-sends, count: 2}
            - {at: 20s, do: start, service: payment-service}
            """, file: "inline.yaml", name: "inline")
        let drained = HeadlessRun(orders: 400, scenario: scenario).run(sim)
        return (try SimulationReport(simulation: sim, drained: drained).json(), events)
    }

    @Test func sameSeedAndInputsGiveIdenticalReportsAndEvents() throws {
        let a = try run(seed: 7)
        let b = try run(seed: 7)
        #expect(a.json == b.json)
        #expect(a.events == b.events)
        // The crash at 5 s takes the order service down for 15 s: many of the 400 are rejected.
        #expect(a.events.count > 200)
        let c = try run(seed: 8)
        #expect(c.events != a.events, "another seed gives another run")
    }

    @Test func reportKeepsTheContractKeysAndNullsUnknowns() throws {
        let sim = try Simulation(config: testConfig())
        sim.perform(.stop(.notification))
        sim.perform(.placeOrders(1))
        sim.advance(to: seconds(5))
        let json = try SimulationReport(simulation: sim, drained: sim.isDrained).json()
        for key in [
            "\"seed\"", "\"virtualSeconds\"", "\"orders\"", "\"rejectedOrders\"", "\"topics\"", "\"groups\"",
            "\"emailsSent\"", "\"charges\"", "\"redeliveries\"", "\"invariants\"", "\"logStartOffset\"",
            "\"logEndOffset\"", "\"currentOffset\"", "\"consumerId\"", "\"confirmedWithoutCharge\"",
            "\"emailsWithoutCharge\"", "\"ordersWithoutEvent\"", "\"doubleCharges\"", "\"stuckPending\"",
            "\"PENDING_PAYMENT\"", "\"CONFIRMED\"", "\"PAYMENT_FAILED\"", "\"CANCELLED\"", "\"groupSummaries\"",
            "\"assignmentStrategy\"", "\"pollIntervalExceeded\"", "\"commitFailures\"",
        ] {
            #expect(json.contains(key), "missing \(key)")
        }
        // payment-service's partitions that got no order never committed: their lag is unknown, not 0.
        #expect(json.contains("\"currentOffset\" : null"))
        #expect(json.contains("\"lag\" : null"))
        // The stopped notification group is Empty: Kafka prints no strategy for it.
        #expect(json.contains("\"assignmentStrategy\" : null"))
    }

    /// The text report's consumer groups read as `kafka-consumer-groups.sh` prints them: the
    /// `--state` and `--members` views, then each group's offsets under Kafka's message when it
    /// is not Stable.
    @Test func theTextReportPrintsKafkasDescribeMessages() throws {
        let sim = try Simulation(config: testConfig())
        sim.perform(.placeOrders(3))
        sim.advance(to: seconds(2))
        sim.perform(.stop(.notification))
        sim.perform(.kill(.payment, instance: 1))
        sim.perform(.start(.payment))
        sim.advance(to: seconds(3))
        let text = SimulationReport(simulation: sim, drained: sim.isDrained).text()
        let emptyState = "notification-service localhost:9092 (1)        -                    Empty                0"
        #expect(text.contains(emptyState))
        // Instance 1's dead member waits for its session timeout beside its new incarnation.
        let rebalancingState =
            "payment-service      localhost:9092 (1)        range                PreparingRebalance   3"
        #expect(text.contains(rebalancingState))
        #expect(text.contains("\nConsumer group 'notification-service' has no active members.\nGROUP "))
        #expect(text.contains("\nWarning: Consumer group 'payment-service' is rebalancing.\nGROUP "))
        // Rebalancing: no owners, only committed partitions.
        let payment = sim.coordinator.describe(group: ServiceName.payment.rawValue)
        #expect(payment.rows.allSatisfy { $0.consumerId == nil && $0.currentOffset != nil })
    }

    @Test func eventExportLinesCarryTheDecodedEvent() throws {
        let sim = try Simulation(config: testConfig())
        var lines: [String] = []
        sim.recordObservers.append { lines.append(EventExport.line(for: $0)) }
        let placed = try #require(sim.placeOrder())
        sim.perform(.poison(topic: "order.created"))
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("{\"key\":\"\(placed.orderId)\",\"offset\":0,"))
        #expect(lines[0].contains("\"topic\":\"order.created\",\"type\":\"OrderCreated\",\"value\":{\"amountCents\":"))
        #expect(lines[0].contains("\"orderId\":\"\(placed.orderId)\""))
        #expect(lines[1].hasSuffix("\"type\":\"Poison\",\"value\":null}"))
    }
}
