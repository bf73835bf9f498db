import Bus
import Simulation
import Testing

@testable import Dashboard

/// The brokers lesson's keys (a digit kills or restarts that broker, `a` cycles acks, `u`
/// switches unclean election) and what the Services and Events panes then show.
@Suite struct ClusterKeysTests {
    func controller(cluster: Bool = true) throws -> DashboardController {
        var config = OrderflowConfig()
        config.trafficAuto = false
        if cluster { config.cluster = ClusterConfig(brokers: 3, replicationFactor: 3, minInsyncReplicas: 2) }
        config.producer.deliveryTimeout = .seconds(5)
        return DashboardController(simulation: try Simulation(config: config))
    }

    /// The same cluster with a killed broker fenced at once, for tests about what follows.
    func fencedAtOnce() throws -> DashboardController {
        var config = OrderflowConfig()
        config.trafficAuto = false
        config.cluster = ClusterConfig(
            brokers: 3, replicationFactor: 3, minInsyncReplicas: 2, brokerSessionTimeout: .zero)
        config.producer.deliveryTimeout = .seconds(5)
        return DashboardController(simulation: try Simulation(config: config))
    }

    /// A digit crashes a running broker (fenced after the session timeout) and restarts one
    /// that is not running; `S` and a digit stop it instead (controlled shutdown).
    @Test func aDigitKillsThenRestartsThatBroker() throws {
        let c = try controller()
        c.handle(.character("2"))
        #expect(c.simulation.cluster.brokerStates.map(\.liveness.serves) == [true, false, true])
        #expect(c.state.message == "broker 2 crashed: it leads and counts in every ISR until fenced in 9s")
        c.handle(.character("2"))
        #expect(c.simulation.cluster.brokerStates[1].liveness == .restarting(registersAt: .zero + .seconds(9)))
        #expect(c.state.message == "broker 2 restarting: it registers once its old session expires")
        c.handle(.character("S"))
        c.handle(.character("3"))
        #expect(c.simulation.cluster.brokerStates[2].liveness == .fenced)
        #expect(c.state.message == "broker 3 stopped: its leaderships moved and it left every ISR first")
        c.handle(.character("3"))
        #expect(c.simulation.cluster.brokerStates[2].liveness.serves, "a digit restarts a stopped broker")
        c.handle(.character("S"))
        c.handle(.character("a"))
        c.handle(.character("1"))
        #expect(c.simulation.cluster.brokerStates[0].liveness == .unresponsive(fencedAt: .zero + .seconds(9)))
        #expect(c.state.message?.hasPrefix("broker 1 crashed") == true, "any other key disarms S")
        c.handle(.character("7"))
        #expect(c.state.message == "there is no broker 7: this cluster runs 3")
    }

    @Test func acksAndUncleanElectionSwitch() throws {
        let c = try controller()
        c.handle(.character("a"))
        #expect(
            c.simulation.orderProducer.config.acks == .leader && c.simulation.paymentProducer.config.acks == .leader)
        c.handle(.character("a"))
        #expect(c.simulation.orderProducer.config.acks == .none)
        c.handle(.character("a"))
        #expect(c.simulation.orderProducer.config.acks == .all)
        c.handle(.character("u"))
        #expect(c.simulation.cluster.config.uncleanLeaderElection)
        let header = render(c, 80, 24).lines[0]
        #expect(header.contains("acks=all unclean"))
    }

    @Test func withOneBrokerTheClusterKeysDoNothing() throws {
        let c = try controller(cluster: false)
        for key in ["2", "a", "u"] { c.handle(.character(Character(key))) }
        #expect(c.state.message == nil)
        #expect(c.simulation.orderProducer.config.acks == .all && !c.simulation.cluster.config.uncleanLeaderElection)
        #expect(!render(c, 80, 24).lines[0].contains("acks"))
        #expect(!render(c, 120, 40).lines.contains { $0.contains("acknowledgedRecordsLost") })
    }

    /// The new invariant sits with the others while the cluster runs.
    @Test func theInvariantsPaneCountsAcknowledgedRecordsLost() throws {
        var snapshot = try controller().simulation.snapshot()
        snapshot.acknowledgedRecordsLost = 8
        let lines = renderAlone(.invariants, snapshot, width: 64, height: 12).lines
        #expect(lines[9] == "│●   8 acknowledgedRecordsLost  acknowledged, then truncated   │")
        // Nine rows in eight lines (the full layout's pane): the violated one comes first.
        let short = renderAlone(.invariants, snapshot, width: 64, height: 10).lines
        #expect(short[1] == "│●   8 acknowledgedRecordsLost  acknowledged, then truncated   │")
    }

    /// Two brokers down under min.insync.replicas 2: the Services pane names the error and the
    /// sends given up first, and the Events pane lists each send's first error as it happens.
    @Test func refusedSendsShowInServicesAndEvents() throws {
        let c = try fencedAtOnce()
        c.handle(.character("2"))
        c.handle(.character("3"))
        c.handle(.character("o"))
        c.simulation.advance(by: .seconds(6))
        let snapshot = c.simulation.snapshot()
        #expect(snapshot.cluster?.gaveUp == 1)
        let wide = renderAlone(.services, snapshot, width: 72, height: 8).lines
        #expect(wide[1].hasPrefix("│brokers 1 up · 2 fenced · 3 fenced"))
        #expect(wide[2].hasPrefix("│acks=all · NotEnoughReplicas 8 · 1 gave up"))
        let narrow = renderAlone(.services, snapshot, width: 36, height: 6).lines
        #expect(narrow[2] == "│NotEnoughReplicas 8 · 1 gave up   │")
        let events = renderAlone(.events, snapshot, width: 72, height: 8).lines
        // Kafka's names whole: TIME goes before TYPE would be cut.
        #expect(events[1] == "│TOPIC             P@OFFSET KEY      TYPE                              │")
        #expect(events[2] == "│order.created          2@- 35fa022a FAILED TimeoutException           │")
        #expect(events[3] == "│order.created          2@- 35fa022a retry NotEnoughReplicas           │")
        // Narrower: the partition as Kafka's logs spell it, so the offset stays beside the name.
        let narrowEvents = renderAlone(.events, snapshot, width: 44, height: 5).lines
        #expect(narrowEvents[1] == "│TOPIC-P@OFFSET    TYPE                    │")
        #expect(narrowEvents[2] == "│order.created-2@- FAILED TimeoutException │")
    }
}
