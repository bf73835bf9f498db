import Bus
import Services

extension SimulationAction {
    /// The step's keys that say what it does, `do:` first, spelled as `Scenario.parse` reads
    /// them: parsing them back gives the same action (`RecordingTests` holds every case to it).
    package var scenarioFields: [(key: String, value: String)] {
        switch self {
        case .placeOrders(let n): [("do", "place-orders"), ("count", "\(n)")]
        case .placeOrdersOfAmount(let n, let cents):
            [("do", "place-orders"), ("count", "\(n)"), ("amountCents", "\(cents)")]
        case .placeOrdersOver(let n, let over): [("do", "place-orders"), ("count", "\(n)"), ("over", "\(over)")]
        case .setTraffic(let on): [("do", "traffic"), ("on", "\(on)")]
        case .setTrafficRate(let rate): [("do", "traffic"), ("rate", "\(rate)")]
        case .setDesign(let mode): [("do", "design"), ("mode", mode.rawValue)]
        case .setPublish(let strategy): [("do", "publish"), ("strategy", strategy.rawValue)]
        case .setIdempotency(let mode): [("do", "idempotency"), ("on", "\(mode.isOn)")]
        case .stop(let service): [("do", "stop"), ("service", service.rawValue)]
        case .start(let service): [("do", "start"), ("service", service.rawValue)]
        case .rollingDeploy(let service, let downtime, let every):
            [
                ("do", "rolling-deploy"), ("service", service.rawValue), ("downtime", "\(downtime)"),
                ("every", "\(every)"),
            ]
        case .regroup(let service, let change):
            [("do", "regroup"), ("service", service.rawValue)]
                + [
                    change.assignor.map { ("assignor", $0.kafkaName) },
                    change.groupProtocol.map { ("groupProtocol", $0.rawValue) },
                    change.remoteAssignor.map { ("groupRemoteAssignor", $0.rawValue) },
                    change.groupInstanceIds.map { ("groupInstanceId", $0.rawValue) },
                ].compactMap { $0 }
        case .kill(let service, let instance):
            [("do", "kill"), ("service", service.rawValue)] + (instance.map { [("instance", "\($0)")] } ?? [])
        case .killPaymentBeforeCommit: [("do", "kill-before-commit")]
        case .crashMidPublish(let downtime):
            [("do", "crash-mid-publish")] + (downtime.map { [("downtime", "\($0)")] } ?? [])
        case .crashOutboxRelay: [("do", "crash-relay")]
        case .slowProvider(let factor): [("do", "slow-provider"), ("factor", "\(factor)")]
        case .setMaxPollRecords(let n): [("do", "max-poll-records"), ("count", "\(n)")]
        case .rejectSends(let n): [("do", "reject-sends"), ("count", "\(n)")]
        case .killBroker(let id): [("do", "kill-broker"), ("broker", "\(id)")]
        case .stopBroker(let id): [("do", "stop-broker"), ("broker", "\(id)")]
        case .restartBroker(let id): [("do", "restart-broker"), ("broker", "\(id)")]
        case .stallBroker(let id): [("do", "stall-broker"), ("broker", "\(id)")]
        case .resumeBroker(let id): [("do", "resume-broker"), ("broker", "\(id)")]
        case .setAcks(let acks): [("do", "acks"), ("value", acks.rawValue)]
        case .setProducerIdempotence(let on): [("do", "producer-idempotence"), ("on", "\(on)")]
        case .setUncleanLeaderElection(let on): [("do", "unclean-election"), ("on", "\(on)")]
        case .electUnclean: [("do", "elect-unclean")]
        case .setProviderLimit(let cents): [("do", "provider-limit"), ("cents", cents.map(String.init) ?? "none")]
        case .redrive: [("do", "redrive")]
        case .poison(let topic): [("do", "poison"), ("topic", topic)]
        case .cancel(let id): [("do", "cancel"), ("order", id)]
        case .cancelNewestPending(let n): [("do", "cancel"), ("count", "\(n)")]
        case .reconcile: [("do", "reconcile")]
        case .repair: [("do", "repair")]
        }
    }
}
