import Bus
import Events
import Services

/// Everything a trainer, a scenario or a test can do to a running simulation: traffic, the
/// lesson switches and the fault injector. The dashboard's keys and the scenario files both
/// map onto these.
package enum SimulationAction: Sendable, Equatable {
    case placeOrders(Int)
    /// Orders of this amount (in cents), placed now: a lesson's order above the provider's limit.
    case placeOrdersOfAmount(count: Int, amountCents: Int)
    /// `count` orders spread evenly over `over`, whatever the traffic generator does.
    case placeOrdersOver(count: Int, over: VirtualDuration)
    case setTraffic(on: Bool)
    case setTrafficRate(Double)
    /// Applies to orders placed from now on.
    case setDesign(OrderDesign)
    /// Applies to orders placed from now on; rows already in the outbox are still relayed.
    case setPublish(PublishStrategy)
    case setIdempotency(Idempotency)
    /// A graceful stop, as in a deploy: each instance finishes its record, commits and leaves the group.
    case stop(ServiceName)
    /// Starts every stopped or killed instance of the service.
    case start(ServiceName)
    /// A rolling deploy: the instances stop gracefully one after another, `every` apart, each
    /// starting again `downtime` after it stopped (`RollingDeploy.swift` measures what it cost).
    case rollingDeploy(ServiceName, downtime: VirtualDuration, every: VirtualDuration)
    /// Every instance stops; once the group is empty it takes the new settings (assignor,
    /// protocol, static membership) and they all start again.
    case regroup(ServiceName, GroupChange)
    /// Abrupt death without LeaveGroup: one instance (its 1-based number) or, with nil, all of them.
    case kill(ServiceName, instance: Int?)
    /// The next payment-service instance to finish a record dies before committing its offset,
    /// and comes back after `services.payment-service.restartAfterCrash`.
    case killPaymentBeforeCommit
    /// The next order is committed and its publish never happens; the order service is then
    /// down for `downtime` (nil: the config's crash downtime).
    case crashMidPublish(downtime: VirtualDuration?)
    /// The outbox relay's next pass dies between its first publish and the mark.
    case crashOutboxRelay
    /// The payment provider answers `factor` times slower than its configured latency (1: normal):
    /// a slow downstream call, the classic cause of batches outlasting `max.poll.interval.ms`.
    case slowProvider(factor: Int)
    /// The consumers are redeployed with another `max.poll.records`: the usual fix when a batch
    /// outlasts `max.poll.interval.ms`. Takes effect at each consumer's next poll.
    case setMaxPollRecords(Int)
    /// The broker rejects the next N sends.
    case rejectSends(Int)
    /// A broker of the cluster (1-based id) crashes: the controller fences it once its session
    /// times out (`bus.brokerSessionTimeout`), and only then moves its leaderships.
    case killBroker(Int)
    /// A controlled shutdown: the controller moves the broker's leaderships and takes it out of
    /// every ISR first, then it stops.
    case stopBroker(Int)
    /// A dead or stopped broker returns: it registers (once its old session expired), its
    /// replicas truncate to their leaders and catch up.
    case restartBroker(Int)
    /// A live broker's replica fetcher stops (a long GC pause, a saturated link): its follower
    /// replicas fall behind and leave the ISR after `replicaLagTime`, without any death.
    case stallBroker(Int)
    /// Its fetcher runs again: the replicas catch up and rejoin the ISR.
    case resumeBroker(Int)
    /// The services' producers send with these acks from now on (sends in flight keep theirs).
    case setAcks(Acks)
    /// The services' producers restart with `enable.idempotence` on or off (KIP-98): on, the
    /// broker drops a retry of a batch it already appended. Off with acks=all is what a client
    /// older than Kafka 3.0 ran by default.
    case setProducerIdempotence(Bool)
    /// `unclean.leader.election.enable` changes; on, offline partitions get a leader at the
    /// controller's next periodic check (`bus.uncleanElectionInterval`).
    case setUncleanLeaderElection(Bool)
    /// An operator's unclean election (`kafka-leader-election.sh --election-type unclean`): every
    /// offline partition with a live replica gets one as leader now, whatever
    /// `unclean.leader.election.enable` says; what that replica lacks is lost.
    case electUnclean
    /// The payment provider refuses charges above this many cents (nil: no limit) with an error
    /// that no retry changes; raising the limit is the fix a redrive waits for.
    case setProviderLimit(cents: Int?)
    /// What the dead-letter topics hold goes back to the topics it came from (`Simulation.redrive`).
    case redrive
    /// Appends a record whose bytes are no event at all.
    case poison(topic: String)
    /// A customer cancels one order (only PENDING_PAYMENT can be).
    case cancel(orderId: String)
    /// Customers cancel the N newest orders still PENDING_PAYMENT.
    case cancelNewestPending(Int)
    /// A reconciliation sweep, kept in `Simulation.sweeps`.
    case reconcile
    /// A sweep, then the missing OrderCreatedEvents republished.
    case repair
}

extension SimulationAction {
    /// The broker a brokers action names.
    package var brokerId: Int? {
        switch self {
        case .killBroker(let id), .stopBroker(let id), .restartBroker(let id), .stallBroker(let id),
            .resumeBroker(let id):
            id
        default: nil
        }
    }
}
