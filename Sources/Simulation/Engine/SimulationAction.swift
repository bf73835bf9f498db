import Events

/// Everything a trainer, a scenario or a test can do to a running simulation: traffic and
/// the fault injector. The dashboard's keys and the scenario files both map onto these.
public enum SimulationAction: Sendable, Equatable {
    case placeOrders(Int)
    case setTraffic(on: Bool)
    case setTrafficRate(Double)
    /// A graceful stop, as in a deploy: each instance finishes its record, commits and leaves the group.
    case stop(ServiceName)
    /// Starts every stopped or killed instance of the service.
    case start(ServiceName)
    /// Abrupt death without LeaveGroup: one instance (1-based) or, with nil, all of them.
    case kill(ServiceName, instance: Int?)
    /// The next order is committed and never published; the order service is then down for its downtime.
    case crashOrderServiceMidPublish
    /// The broker rejects the next N sends.
    case rejectSends(Int)
    /// Appends a record whose bytes are no event at all.
    case poison(topic: String)
}
