import Bus
import Events
import Services
import Simulation
import Testing

@testable import Dashboard

/// Every lesson and brokers key as a reducer over values: from a literal snapshot, the action it
/// plans, and the answer that action and an outcome become. No simulation runs here.
@Suite struct LessonKeyValueTests {
    /// A key's plan from `snapshot`, and its answer for `outcome`.
    func press(
        _ action: DashboardAction, _ snapshot: Snapshot = Literal.snapshot, state: DashboardState = DashboardState(),
        outcome: ActionOutcome = .changed, config: OrderflowConfig = OrderflowConfig()
    ) -> (plan: SimulationAction?, answer: String) {
        guard let lesson = LessonAction.table[action] ?? LessonAction.brokerTable[action] else {
            Issue.record("\(action) is not a lesson key")
            return (nil, "")
        }
        let key = KeyContext(snapshot: snapshot, config: config, state: state)
        switch lesson.plan(key) {
        case .answer(let text): return (nil, text)
        case .perform(let planned): return (planned, lesson.message(outcome, planned, key))
        }
    }

    static var cluster: Snapshot {
        var s = Literal.snapshot
        s.brokers = [.init(id: 1), .init(id: 2, liveness: .fenced), .init(id: 3)]
        s.cluster = Snapshot.ClusterRow(
            acks: .all, uncleanLeaderElection: false, metrics: ClusterMetrics(), retrying: 0, gaveUp: 0, errors: [:])
        return s
    }

    /// Every key of both tables has a case below: a key added without one fails here.
    @Test func everyLessonKeyIsCoveredHere() {
        let tested: Set<DashboardAction> = [
            .placeOrder, .placeTenOrders, .toggleTraffic, .raiseRate, .lowerRate, .toggleDesign, .togglePublish,
            .toggleIdempotency, .killPaymentBeforeCommit, .crashOutboxRelay, .crashMidPublish, .toggleSlowProvider,
            .toggleMaxPollRecords, .rejectSends, .cancelSelectedOrder, .togglePaymentConsumer,
            .killOnePaymentInstance, .toggleNotificationConsumer, .cycleAcks, .toggleUncleanElection, .electUnclean,
            .redrive,
        ]
        let brokerDigits = Set((1...9).map { DashboardAction.toggleBroker($0) })
        #expect(Set(LessonAction.table.keys).union(LessonAction.brokerTable.keys) == tested.union(brokerDigits))
    }

    @Test func trafficKeysFollowTheSnapshot() {
        var s = Literal.snapshot
        #expect(press(.toggleTraffic, s) == (.setTraffic(on: false), "auto traffic off"))
        s.trafficOn = false
        #expect(press(.toggleTraffic, s) == (.setTraffic(on: true), "auto traffic on at 2/s"))
        #expect(press(.raiseRate, s) == (.setTrafficRate(5), "traffic rate 5/s (traffic is off: t)"))
        s.trafficOn = true
        #expect(press(.lowerRate, s) == (.setTrafficRate(1), "traffic rate 1/s"))
        let placed = PlacedOrder(orderId: "bbbbbbbb-2222", status: .pendingPayment)
        #expect(
            press(.placeOrder, outcome: .placed(accepted: [placed], rejected: 0))
                == (.placeOrders(1), "order bbbbbbbb accepted: PENDING_PAYMENT"))
        #expect(
            press(.placeOrder, outcome: .placed(accepted: [], rejected: 1))
                == (.placeOrders(1), "order rejected: order-service is down"))
        #expect(
            press(.placeTenOrders, outcome: .placed(accepted: [placed], rejected: 9))
                == (.placeOrders(10), "1 accepted, 9 rejected"))
    }

    /// The redrive key says what it sent back, that there was nothing, or that the run has no DLTs.
    @Test func redriveSaysWhatWentBack() {
        #expect(
            press(.redrive, outcome: .redriven(2))
                == (.redrive, "redrove 2 records from the DLTs to their topics: fixed causes pass now"))
        #expect(
            press(.redrive, outcome: .redriven(0)).answer
                == "the dead-letter topics hold nothing a redrive has not sent back")
        #expect(press(.redrive, outcome: .redriven(nil)).answer == "no dead-letter topics in this run")
        // The key is bound only while the snapshot shows dead-letter topics.
        var s = Literal.snapshot
        #expect(Keymap.action(for: .character("D"), in: BindingContext(snapshot: s, scenarioPlaying: false)) == nil)
        s.deadLetter = Snapshot.DeadLetterRow(retries: 9)
        #expect(
            Keymap.action(for: .character("D"), in: BindingContext(snapshot: s, scenarioPlaying: false)) == .redrive)
    }

    @Test func flowSwitchesFlipWhatTheSnapshotShows() {
        var s = Literal.snapshot
        #expect(press(.toggleDesign, s).plan == .setDesign(.optimistic))
        #expect(press(.toggleDesign, s).answer.hasPrefix("design optimistic"))
        #expect(press(.togglePublish, s).plan == .setPublish(.outbox))
        #expect(press(.toggleIdempotency, s).plan == .setIdempotency(.on))
        #expect(press(.toggleIdempotency, s).answer.hasPrefix("idempotency on"))
        s.settings.publish = .outbox
        #expect(press(.togglePublish, s).answer == "publish best-effort: commit, then send (the dual write)")
        #expect(press(.crashMidPublish, s).answer.hasPrefix("armed: the next order commits with its outbox row"))
        s.providerSlowdown = 10
        #expect(
            press(.toggleSlowProvider, s) == (
                .slowProvider(factor: 1), "the payment provider answers as configured again"
            ))
        s.maxPollRecords = 10
        #expect(
            press(.toggleMaxPollRecords, s)
                == (.setMaxPollRecords(500), "consumers redeployed with max.poll.records 500"))
    }

    @Test func faultsArmAndTheirAnswersExpireWithTheFault() throws {
        let lesson = try #require(LessonAction.table[.killPaymentBeforeCommit])
        let key = KeyContext(snapshot: Literal.snapshot, config: OrderflowConfig(), state: DashboardState())
        let expiry = try #require(lesson.expiry?(key))
        var armed = Literal.snapshot
        armed.killBeforeCommitArmed = true
        #expect(expiry.holds(armed) && !expiry.holds(Literal.snapshot))
        #expect(
            press(.crashOutboxRelay, outcome: .armed(inUse: false)).answer.hasSuffix("only runs with the outbox (p)"))
        #expect(press(.rejectSends).plan == .rejectSends(5))
    }

    @Test func consumerKeysCountTheInstancesTheFrameShows() throws {
        // The literal snapshot has no payment-service instance running: k starts them.
        #expect(
            press(.togglePaymentConsumer, outcome: .instances(["payment-service-1"]))
                == (.start(.payment), "payment-service restarted: it rejoins and resumes from the committed offsets"))
        #expect(
            press(.killOnePaymentInstance)
                == (nil, "no payment-service instance is running (k restarts them)"))
        var s = Literal.snapshot
        s.instances = [
            Literal.instance(.payment, 1, .running, processed: 0),
            Literal.instance(.payment, 2, .running, processed: 0),
        ]
        #expect(
            press(.killOnePaymentInstance, s, outcome: .instances(["payment-service-2"]))
                == (
                    .kill(.payment, instance: 2),
                    "killed payment-service-2: a survivor takes its partitions after the 10s timeout"
                ))
        #expect(
            press(.togglePaymentConsumer, s, outcome: .instances(["payment-service-1", "payment-service-2"]))
                == (
                    .kill(.payment, instance: nil),
                    "killed 2 payment-service instances: their partitions wait out the 10s timeout"
                ))
        let lesson = try #require(LessonAction.table[.killOnePaymentInstance])
        let key = KeyContext(snapshot: s, config: OrderflowConfig(), state: DashboardState())
        guard case .at(let time) = lesson.expiry?(key) else {
            Issue.record("a kill's answer lasts the session timeout")
            return
        }
        #expect(time == Literal.now + .seconds(10))
        #expect(press(.toggleNotificationConsumer).plan == .start(.notification))
    }

    @Test func cancelNeedsASelection() {
        #expect(press(.cancelSelectedOrder) == (nil, LessonAction.noSelection))
        var state = DashboardState()
        state.selectedOrderId = "bbbbbbbb-2222"
        #expect(
            press(.cancelSelectedOrder, state: state, outcome: .cancelled(["bbbbbbbb-2222"]))
                == (
                    .cancel(orderId: "bbbbbbbb-2222"),
                    "order bbbbbbbb CANCELLED: a payment that lands now means a refund"
                ))
    }

    /// At 80 columns a key's answer takes the footer's line (after one space): every brokers
    /// key's answer fits it whole, in every state the key can meet.
    @Test func brokerKeyAnswersFitTheFooterAt80Columns() {
        var s = Self.cluster
        var answers: [String] = []
        for liveness in [BrokerLiveness.running, .unresponsive(fencedAt: .zero + .seconds(9)), .fenced] {
            s.brokers[0].liveness = liveness
            answers.append(press(.toggleBroker(1), s).answer)
            var armed = DashboardState()
            armed.brokerStopArmed = true
            answers.append(press(.toggleBroker(1), s, state: armed).answer)
        }
        for acks in Acks.allCases {
            s.cluster?.acks = acks
            answers.append(press(.cycleAcks, s).answer)
        }
        for on in [false, true] {
            s.cluster?.uncleanLeaderElection = on
            answers.append(press(.toggleUncleanElection, s).answer)
        }
        let partitions = (0..<9).map { TopicPartition("order.created", $0) }
        for outcome in [ActionOutcome.elected([]), .elected(Array(partitions.prefix(1))), .elected(partitions)] {
            answers.append(press(.electUnclean, s, outcome: outcome).answer)
        }
        answers.append(press(.toggleBroker(4), s).answer)
        for answer in answers { #expect(answer.count <= 79, "\(answer.count): \(answer)") }
    }

    /// With `enable.idempotence: true` in the config, a producer with acks 1 would not start
    /// (ConfigException): the key says so and changes nothing.
    @Test func acksStayAllWhenTheConfigSetsIdempotence() {
        var config = OrderflowConfig()
        config.producer.enableIdempotence = true
        let pressed = press(.cycleAcks, Self.cluster, config: config)
        #expect(pressed.plan == nil)
        #expect(pressed.answer == "acks stays all: the config sets enable.idempotence=true, which needs it")
    }

    @Test func brokerKeysReadTheClusterRow() {
        let s = Self.cluster
        #expect(
            press(.toggleBroker(1), s)
                == (.killBroker(1), "broker 1 crashed: it leads and counts in every ISR until fenced in 9s"))
        #expect(
            press(.toggleBroker(2), s)
                == (.restartBroker(2), "broker 2 is back: its replicas truncate to their leaders and catch up"))
        #expect(press(.toggleBroker(4), s) == (nil, "there is no broker 4: this cluster runs 3"))
        #expect(press(.cycleAcks, s).plan == .setAcks(.leader))
        #expect(press(.cycleAcks, s).answer == "acks=1, idempotence off: answered once the leader appended it")
        #expect(press(.toggleUncleanElection, s).plan == .setUncleanLeaderElection(true))
        #expect(
            press(.toggleUncleanElection, s).answer
                == "unclean on: the next periodic check (every 10s) elects; what it lacks is lost")
        var armed = DashboardState()
        armed.brokerStopArmed = true
        #expect(
            press(.toggleBroker(1), s, state: armed)
                == (.stopBroker(1), "broker 1 stopped: its leaderships moved and it left every ISR first"))
        let partition0 = TopicPartition("order.created", 0)
        #expect(
            press(.electUnclean, s, outcome: .elected([partition0]))
                == (
                    .electUnclean,
                    "elected unclean: 1 partition; what its new leader never had is lost"
                ))
        #expect(
            press(.electUnclean, s, outcome: .elected([])).answer.hasSuffix(
                "no offline partition has a live replica to elect"))
    }

    /// The key table, the footer and the help overlay judge by one rule, from the snapshot.
    @Test func brokersKeysAreBoundWhileTheSnapshotShowsACluster() {
        #expect(!BindingContext(snapshot: Literal.snapshot, scenarioPlaying: false).clusterRunning)
        #expect(BindingContext(snapshot: Self.cluster, scenarioPlaying: true).clusterRunning)
    }
}
