import Bus
import Events
import Services
import Yams

extension Scenario {
    /// One step of the list: when, what it does (`do:` and the verb's keys), what it says.
    static func step(_ node: Node, file: String, path: String) throws(InputError) -> Step {
        let m = try YAMLMapping(node, file: file, path: path)
        guard let at = try m.duration("at") else { throw m.error("at", "missing: when the step happens, such as 30s") }
        // `say:` left empty is a recorded step's placeholder: it narrates nothing until filled in.
        let narration = m.isEmpty("say") ? nil : try m.string("say")
        let line = node.mark?.line
        let claims = try m.mapping("expect").map { block throws(InputError) in try Claim.parse(block) } ?? []
        var focus: String?
        if let named = try m.string("focus") {
            guard ServiceName(rawValue: named) != nil else {
                throw m.error(
                    "focus",
                    "expected a service, one of \(ServiceName.allCases.map(\.rawValue).joined(separator: ", ")), got '\(named.prefix(40))'"
                )
            }
            focus = named
        }
        guard let verb = try m.string("do") else {
            guard narration != nil || !claims.isEmpty else {
                throw m.error("do", "missing: what the step does (or say: for narration only, expect: for claims only)")
            }
            try m.finish()
            var parsed = Step(at: at, action: nil, narration: narration, focus: focus, line: line)
            parsed.path = path
            parsed.claims = claims
            return parsed
        }

        func service() throws(InputError) -> ServiceName {
            guard let s = try m.string("service") else { throw m.error("service", "missing for '\(verb)'") }
            guard let name = ServiceName(rawValue: s) else {
                throw m.error(
                    "service",
                    "unknown service '\(s)'; the services are \(ServiceName.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            return name
        }
        func count() throws(InputError) -> Int {
            guard let n = try m.int("count", in: 1...1_000_000) else { throw m.error("count", "missing for '\(verb)'") }
            return n
        }

        let action: SimulationAction
        switch verb {
        case "place-orders":
            let n = try count()
            let over = try m.duration("over", positive: true)
            if let cents = try m.int("amountCents", in: 1...100_000_000) {
                guard over == nil else {
                    throw m.error("over", "'place-orders' with amountCents places them at once; drop over")
                }
                action = .placeOrdersOfAmount(count: n, amountCents: cents)
            } else if let over {
                action = .placeOrdersOver(count: n, over: over)
            } else {
                action = .placeOrders(n)
            }
        case "design":
            guard let mode = try m.choice("mode", OrderDesign.self) else {
                throw m.error("mode", "missing: honest or optimistic")
            }
            action = .setDesign(mode)
        case "publish":
            guard let strategy = try m.choice("strategy", PublishStrategy.self) else {
                throw m.error("strategy", "missing: best-effort or outbox")
            }
            action = .setPublish(strategy)
        case "idempotency":
            guard let on = try m.bool("on") else { throw m.error("on", "missing: 'idempotency' takes on: true|false") }
            action = .setIdempotency(on ? .on : .off)
        case "producer-idempotence":
            guard let on = try m.bool("on") else {
                throw m.error("on", "missing: 'producer-idempotence' takes on: true|false")
            }
            action = .setProducerIdempotence(on)
        case "kill-before-commit": action = .killPaymentBeforeCommit
        case "crash-relay": action = .crashOutboxRelay
        case "cancel":
            if let order = try m.string("order") {
                action = .cancel(orderId: order)
            } else {
                action = .cancelNewestPending(try count())
            }
        case "reconcile": action = .reconcile
        case "repair": action = .repair
        case "traffic":
            if let rate = try m.double("rate", in: 0...100_000) {
                action = .setTrafficRate(rate)
            } else if let on = try m.bool("on") {
                action = .setTraffic(on: on)
            } else {
                throw m.error("on", "missing: 'traffic' takes on: true|false or rate: N")
            }
        case "stop": action = .stop(try service())
        case "start": action = .start(try service())
        case "kill":
            let s = try service()
            action = .kill(s, instance: try m.int("instance", in: 1...16))
        case "crash-mid-publish": action = .crashMidPublish(downtime: try m.duration("downtime"))
        case "reject-sends": action = .rejectSends(try count())
        case "slow-provider":
            guard let factor = try m.int("factor", in: 1...1000) else {
                throw m.error("factor", "missing: how many times slower the provider answers (1: normal)")
            }
            action = .slowProvider(factor: factor)
        case "kill-broker", "stop-broker", "restart-broker", "stall-broker", "resume-broker":
            guard let id = try m.int("broker", in: 1...9) else {
                throw m.error("broker", "missing: which broker, by its id (1 to bus.brokers)")
            }
            action =
                switch verb {
                case "kill-broker": .killBroker(id)
                case "stop-broker": .stopBroker(id)
                case "restart-broker": .restartBroker(id)
                case "stall-broker": .stallBroker(id)
                default: .resumeBroker(id)
                }
        case "acks":
            guard let acks = try m.choice("value", Acks.self) else { throw m.error("value", "missing: 0, 1 or all") }
            action = .setAcks(acks)
        case "unclean-election":
            guard let on = try m.bool("on") else {
                throw m.error("on", "missing: 'unclean-election' takes on: true|false")
            }
            action = .setUncleanLeaderElection(on)
        case "elect-unclean": action = .electUnclean
        case "provider-limit":
            if try m.string("cents") == "none" {
                action = .setProviderLimit(cents: nil)
                break
            }
            guard let cents = try m.int("cents", in: 1...100_000_000) else {
                throw m.error("cents", "missing: the largest charge the provider takes, in cents")
            }
            action = .setProviderLimit(cents: cents)
        case "redrive": action = .redrive
        case "max-poll-records":
            guard let n = try m.int("count", in: 1...100_000) else {
                throw m.error("count", "missing: how many records a poll returns at most (Kafka's default: 500)")
            }
            action = .setMaxPollRecords(n)
        case "rolling-deploy", "regroup": action = try groupAction(verb, m, service: try service())
        case "poison":
            let topic = try m.string("topic") ?? Topic.orderCreated
            guard Topic.all.contains(topic) else { throw m.error("topic", "unknown topic '\(topic)'") }
            action = .poison(topic: topic)
        default:
            throw m.error("do", "unknown action '\(verb.prefix(40))'; the actions are \(verbs.joined(separator: ", "))")
        }
        try m.finish()
        var parsed = Step(at: at, action: action, narration: narration, focus: focus, line: line)
        parsed.path = path
        parsed.claims = claims
        return parsed
    }
}
