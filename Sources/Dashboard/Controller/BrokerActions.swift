import Bus
import Simulation

/// The brokers lesson's keys: a broker killed or restarted by its number, the producers' acks,
/// unclean leader election. Only bound while the cluster runs (`BindingCondition.clusterRunning`).
extension LessonAction {
    static let brokerTable: [DashboardAction: LessonAction] = {
        var table: [DashboardAction: LessonAction] = [
            .cycleAcks: LessonAction(
                plan: { key in
                    let next: Acks =
                        switch key.snapshot.cluster?.acks ?? key.config.producer.acks {
                        case .all: .leader
                        case .leader: .none
                        case .none: .all
                        }
                    // A producer with the new acks is a new KafkaProducer: the config's explicit
                    // enable.idempotence=true refuses anything but acks=all (ConfigException).
                    var producer = key.config.producer
                    producer.acks = next
                    if producer.idempotenceConflict != nil {
                        return .answer("acks stays all: the config sets enable.idempotence=true, which needs it")
                    }
                    return .perform(.setAcks(next))
                },
                message: { _, action, key in
                    guard case .setAcks(let acks) = action else { return "" }
                    // What a producer with these acks runs, as KafkaProducer decides its idempotence.
                    var producer = key.config.producer
                    producer.acks = acks
                    let idempotence = producer.isIdempotent ? ", idempotent" : ", idempotence off"
                    switch acks {
                    case .all: return "acks=all\(idempotence): answered once every in-sync replica has it"
                    case .leader: return "acks=1\(idempotence): answered once the leader appended it"
                    case .none: return "acks=0\(idempotence): no answer; a leader's crash loses it unseen"
                    }
                }),
            .toggleUncleanElection: LessonAction(
                plan: { key in
                    let on = key.snapshot.cluster?.uncleanLeaderElection ?? key.config.cluster.uncleanLeaderElection
                    return .perform(.setUncleanLeaderElection(!on))
                },
                message: { _, action, key in
                    action == .setUncleanLeaderElection(true)
                        ? "unclean on: the next periodic check (every \(key.config.cluster.uncleanElectionInterval)) "
                            + "elects; what it lacks is lost"
                        : "unclean off: a partition without an in-sync replica waits offline"
                }),
            .electUnclean: LessonAction(
                plan: { _ in .perform(.electUnclean) },
                message: { outcome, _, _ in
                    guard case .elected(let partitions) = outcome, !partitions.isEmpty else {
                        return "unclean election: no offline partition has a live replica to elect"
                    }
                    let n = partitions.count
                    return "elected unclean: \(n) partition\(n == 1 ? "" : "s"); what \(n == 1 ? "its" : "their") "
                        + "new leader\(n == 1 ? "" : "s") never had is lost"
                }),
        ]
        for id in 1...9 {
            table[.toggleBroker(id)] = LessonAction(
                plan: { key in
                    guard let broker = key.snapshot.brokers.first(where: { $0.id == id }) else {
                        return .answer("there is no broker \(id): this cluster runs \(key.snapshot.brokers.count)")
                    }
                    if key.state.brokerStopArmed {
                        return broker.up
                            ? .perform(.stopBroker(id)) : .answer("broker \(id) is not running: nothing to stop")
                    }
                    return .perform(broker.up ? .killBroker(id) : .restartBroker(id))
                },
                message: { _, action, key in
                    let timeout = key.config.cluster.brokerSessionTimeout
                    switch action {
                    case .stopBroker:
                        return "broker \(id) stopped: its leaderships moved and it left every ISR first"
                    case .killBroker:
                        return "broker \(id) crashed: it leads and counts in every ISR until fenced in \(timeout)"
                    default:
                        if case .unresponsive = key.snapshot.brokers.first(where: { $0.id == id })?.liveness {
                            return "broker \(id) restarting: it registers once its old session expires"
                        }
                        return "broker \(id) is back: its replicas truncate to their leaders and catch up"
                    }
                })
        }
        return table
    }()
}
