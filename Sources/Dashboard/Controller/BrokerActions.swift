import Bus
import Simulation

/// The brokers lesson's keys: a broker killed or restarted by its number, the producers' acks,
/// unclean leader election. Only bound while the cluster runs (`BindingCondition.clusterRunning`).
extension LessonAction {
    static let brokerTable: [DashboardAction: LessonAction] = {
        var table: [DashboardAction: LessonAction] = [
            .cycleAcks: LessonAction(
                plan: { sim, _ in
                    let next: Acks =
                        switch sim.orderProducer.config.acks {
                        case .all: .leader
                        case .leader: .none
                        case .none: .all
                        }
                    return .perform(.setAcks(next))
                },
                message: { _, sim in
                    switch sim.orderProducer.config.acks {
                    case .all: "acks=all: answered once every in-sync replica has the record"
                    case .leader: "acks=1: answered once the leader appended it, before any follower has it"
                    case .none: "acks=0: no answer at all; a refused send is lost without a word"
                    }
                }),
            .toggleUncleanElection: LessonAction(
                plan: { sim, _ in .perform(.setUncleanLeaderElection(!sim.cluster.config.uncleanLeaderElection)) },
                message: { _, sim in
                    sim.cluster.config.uncleanLeaderElection
                        ? "unclean leader election on: an out-of-sync replica may lead, and what it lacks is lost"
                        : "unclean leader election off: a partition without an in-sync replica waits offline"
                }),
        ]
        for id in 1...9 {
            table[.toggleBroker(id)] = LessonAction(
                plan: { sim, _ in
                    guard id <= sim.cluster.config.brokers else {
                        return .answer("there is no broker \(id): this cluster runs \(sim.cluster.config.brokers)")
                    }
                    let up = sim.cluster.brokerStates[id - 1].up
                    return .perform(up ? .killBroker(id) : .restartBroker(id))
                },
                message: { _, sim in
                    sim.cluster.brokerStates[id - 1].up
                        ? "broker \(id) is back: its replicas truncate to their leaders and catch up"
                        : "broker \(id) killed: it leaves every ISR and its partitions get new leaders"
                })
        }
        return table
    }()
}
