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
    ]
}
