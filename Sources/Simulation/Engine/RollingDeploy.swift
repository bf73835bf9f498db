import Bus
import Events
import Services

/// New group settings a `regroup` puts in place: any left nil stay as they are.
package struct GroupChange: Sendable, Equatable {
    package var assignor: AssignorKind?
    package var groupProtocol: GroupProtocol?
    package var remoteAssignor: RemoteAssignorKind?
    package var groupInstanceIds: OrderflowConfig.GroupInstanceIds?

    package init(
        assignor: AssignorKind? = nil, groupProtocol: GroupProtocol? = nil, remoteAssignor: RemoteAssignorKind? = nil,
        groupInstanceIds: OrderflowConfig.GroupInstanceIds? = nil
    ) {
        self.assignor = assignor
        self.groupProtocol = groupProtocol
        self.remoteAssignor = remoteAssignor
        self.groupInstanceIds = groupInstanceIds
    }

    var isEmpty: Bool { self == GroupChange() }
}

/// What one rolling deploy cost its group: measured from its first stop to `every` after its
/// last one, so each restart has had time to settle.
package struct RollingDeployRecord: Sendable, Equatable {
    package var service: ServiceName
    /// How the group ran it, in Kafka's words: `eager range`, `cooperative-sticky`,
    /// `static range`, `consumer uniform`.
    package var how: String
    package var startedAt: VirtualTime
    package var endsAt: VirtualTime
    /// Paused partition-time by cause and rebalances, once the window closed (nil: still running).
    package var pauses: PauseTotals?
    /// Records the group read a second time during the window.
    package var redeliveries: Int?

    var baseline: PauseTotals
    var baselineRedeliveries: Int
}

/// The simulation's group settings as lessons change them, and the deploys under way.
struct GroupRuntime {
    var configs: [ServiceName: GroupConfig] = [:]
    var staticMembers: [ServiceName: Bool] = [:]
    /// A regroup waiting for its service's instances to stop (and its group to empty).
    var pendingRegroup: [ServiceName: GroupChange] = [:]
    /// Instances a deploy stopped, and how long each stays down before it starts again.
    var deployRestarts: [Int: VirtualDuration] = [:]
    var deploys: [RollingDeployRecord] = []
}

extension GroupConfig {
    /// How a deploy under this config is told: the protocol's words for what rebalances.
    func deployLabel(static isStatic: Bool) -> String {
        switch groupProtocol {
        case .consumer: return "consumer \(remoteAssignor.rawValue)" + (isStatic ? " static" : "")
        case .classic:
            if isStatic { return "static \(assignor.kafkaName)" }
            return assignor == .cooperativeSticky ? assignor.kafkaName : "eager \(assignor.kafkaName)"
        }
    }

    func applying(_ change: GroupChange) -> GroupConfig {
        var c = self
        if let a = change.assignor { c.assignor = a }
        if let p = change.groupProtocol { c.groupProtocol = p }
        if let r = change.remoteAssignor { c.remoteAssignor = r }
        return c
    }
}

extension Simulation {
    /// Every rolling deploy so far, oldest first.
    package var rollingDeploys: [RollingDeployRecord] { groups.deploys }

    /// The service's instances stop gracefully one after another, `every` apart, each starting
    /// again `downtime` after it stopped: a Kubernetes rolling update. Its cost goes to `deploys`.
    func rollingDeploy(_ service: ServiceName, downtime: VirtualDuration, every: VirtualDuration) -> ActionOutcome {
        let group = service.rawValue
        let running = indices(of: service).filter { instances[$0].isRunning }
        guard !running.isEmpty, groups.pendingRegroup[service] == nil else { return .instances([]) }
        let config = groups.configs[service] ?? self.config.groupConfig
        let record = RollingDeployRecord(
            service: service, how: config.deployLabel(static: groups.staticMembers[service] ?? false), startedAt: now,
            endsAt: now + every * Int64(running.count), baseline: coordinator.pauses(ofGroup: group, now: now),
            baselineRedeliveries: coordinator.redeliveries(ofGroup: group))
        groups.deploys.append(record)
        for (k, i) in running.enumerated() {
            scheduler.schedule(.deployStop(instance: i, downtime: downtime), at: now + every * Int64(k))
        }
        scheduler.schedule(.deployEnds(groups.deploys.count - 1), at: record.endsAt)
        return .instances(running.map { instances[$0].clientId })
    }

    func deployStop(_ i: Int, downtime: VirtualDuration) {
        guard instances[i].isRunning else { return }
        groups.deployRestarts[i] = downtime
        requestStop(i)
    }

    func deployEnded(_ index: Int) {
        guard groups.deploys.indices.contains(index) else { return }
        let d = groups.deploys[index]
        let group = d.service.rawValue
        groups.deploys[index].pauses = coordinator.pauses(ofGroup: group, now: now).since(d.baseline)
        groups.deploys[index].redeliveries = coordinator.redeliveries(ofGroup: group) - d.baselineRedeliveries
    }

    /// Every instance of the service stops gracefully; once all have and the group is empty
    /// (a static member's session must run out first), the group takes `change` and they all
    /// start again. A class's shortcut: Kafka changes these settings in one or two rolling bounces.
    func regroup(_ service: ServiceName, _ change: GroupChange) -> ActionOutcome {
        let mine = indices(of: service)
        guard !change.isEmpty, groups.pendingRegroup[service] == nil,
            mine.allSatisfy({ instances[$0].isRunning || instances[$0].state == .stopped })
        else { return .instances([]) }
        groups.pendingRegroup[service] = change
        for i in mine { requestStop(i) }
        regroupIfReady(service)
        return .instances(mine.map { instances[$0].clientId })
    }

    /// After an instance stopped: a deploy starts it again later; a regroup may be ready.
    func afterStop(_ i: Int) {
        if let downtime = groups.deployRestarts.removeValue(forKey: i) {
            scheduler.schedule(.restart(instance: i, incarnation: instances[i].incarnation), at: now + downtime)
        }
        regroupIfReady(instances[i].service)
    }

    func regroupIfReady(_ service: ServiceName) {
        guard let change = groups.pendingRegroup[service] else { return }
        let mine = indices(of: service)
        guard mine.allSatisfy({ !instances[$0].isRunning }) else { return }
        let config = (groups.configs[service] ?? self.config.groupConfig).applying(change)
        guard coordinator.reconfigure(group: service.rawValue, config: config) else {
            // Static members are away, not gone: look again once a session may have run out.
            scheduler.schedule(.regroupCheck(service), at: now + .seconds(1))
            return
        }
        groups.pendingRegroup[service] = nil
        groups.configs[service] = config
        if let ids = change.groupInstanceIds { groups.staticMembers[service] = ids == .clientId }
        for i in mine { start(i) }
    }

    /// The instance's `group.instance.id` for its next life: its client id when static.
    func groupInstanceId(of instance: ConsumerInstance) -> String? {
        let isStatic = groups.staticMembers[instance.service] ?? (config.groupInstanceIds == .clientId)
        return isStatic ? instance.clientId : nil
    }
}
