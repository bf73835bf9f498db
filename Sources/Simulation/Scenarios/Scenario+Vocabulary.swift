import Bus
import Events

extension Scenario {
    /// The dashboard's speeds, as a scenario may name them.
    static let speeds: [String: Double?] = [
        "1x": 1, "2x": 2, "5x": 5, "10x": 10, "50x": 50, "100x": 100, "max": .none,
    ]

    /// Every `do:` the parser knows, for the error that names them (a test holds it to the
    /// verbs the shipped scenarios and the README use).
    package static let verbs = [
        "place-orders", "traffic", "design", "publish", "idempotency", "stop", "start", "kill", "kill-before-commit",
        "crash-mid-publish", "crash-relay", "reject-sends", "poison", "cancel", "reconcile", "repair", "slow-provider",
        "max-poll-records", "kill-broker", "stop-broker", "restart-broker", "stall-broker", "resume-broker", "acks",
        "producer-idempotence", "unclean-election", "elect-unclean", "provider-limit", "redrive",
        "rolling-deploy", "regroup",
    ]

    /// The consumer-group verbs: a rolling deploy, and new group settings.
    static func groupAction(_ verb: String, _ m: YAMLMapping, service: ServiceName) throws(InputError)
        -> SimulationAction
    {
        if verb == "rolling-deploy" {
            let downtime = try m.duration("downtime") ?? .seconds(3)
            let every = try m.duration("every", positive: true) ?? .seconds(15)
            guard downtime < every else {
                throw m.error("downtime", "must be shorter than every: an instance is back before the next one stops")
            }
            return .rollingDeploy(service, downtime: downtime, every: every)
        }
        var change = GroupChange()
        if let name = try m.string("assignor") {
            guard let kind = AssignorKind(kafkaName: name) else {
                throw m.error(
                    "assignor", "unknown assignor '\(name.prefix(40))'; range, roundrobin or cooperative-sticky")
            }
            change.assignor = kind
        }
        change.groupProtocol = try m.choice("groupProtocol", GroupProtocol.self)
        change.remoteAssignor = try m.choice("groupRemoteAssignor", RemoteAssignorKind.self)
        change.groupInstanceIds = try m.choice("groupInstanceId", OrderflowConfig.GroupInstanceIds.self)
        guard !change.isEmpty else {
            throw m.error("do", "'regroup' needs assignor, groupProtocol, groupRemoteAssignor or groupInstanceId")
        }
        return .regroup(service, change)
    }
}
