import Bus
import Foundation
import KafkaClient
import Services
import Simulation
import Testing

@Suite struct InputErrorTests {
    @Test func shippedConfigDocumentsExactlyTheBuiltInDefaults() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../config/orderflow.yaml"
        ).path
        // The file sets enable.idempotence, as a Kafka properties file would; the built-in default
        // leaves it unset. With acks all the producer is the same.
        var expected = OrderflowConfig()
        expected.producer.enableIdempotence = true
        let shipped = try OrderflowConfig.load(path: path)
        #expect(shipped == expected)
        #expect(shipped.producer.isIdempotent && OrderflowConfig().producer.isIdempotent)
    }

    @Test func overridesApply() throws {
        let c = try OrderflowConfig.parse(
            """
            seed: 7
            bus:
              topics:
                order.created: 6
            consumers:
              sessionTimeout: 45s
              assignor: cooperative-sticky
            services:
              payment-service: {instances: 3}
            provider:
              latency: {min: 10ms, max: 1.5s}
            flow:
              design: optimistic
              publish: outbox
              idempotency: on
            outbox:
              relayInterval: 50ms
            """, file: "c.yaml")
        #expect(c.flow == FlowSettings(design: .optimistic, publish: .outbox, idempotency: .on))
        #expect(c.outboxRelayInterval == .milliseconds(50))
        #expect(c.seed == 7)
        #expect(c.topics.first { $0.name == "order.created" }?.partitions == 6)
        #expect(c.topics.first { $0.name == "payment.failed" }?.partitions == 3)
        #expect(c.sessionTimeout == .seconds(45))
        #expect(c.assignor == .cooperativeSticky)
        #expect(c.instances(of: .payment) == 3)
        #expect(c.providerLatencyMax == .milliseconds(1500))
    }

    @Test(
        "config errors name the file, the line and the key",
        arguments: [
            ("seed: 1\nconsumers:\n  sesionTimeout: 3s\n", "c.yaml:3: consumers.sesionTimeout: unknown key"),
            ("bus:\n  retention: lots\n", "c.yaml:2: bus.retention: expected a whole number, got 'lots'"),
            (
                "consumers:\n  sessionTimeout: soon\n",
                "c.yaml:2: consumers.sessionTimeout: expected a positive duration such as 250ms, 10s or 20m, at most 720h, got 'soon'"
            ),
            (
                "consumers:\n  assignor: sticky\n",
                "c.yaml:2: consumers.assignor: expected one of range, roundrobin, cooperative-sticky (or Kafka's class names, org.apache.kafka.clients.consumer.RangeAssignor etc.), got 'sticky'"
            ),
            (
                "flow:\n  publish: eventually\n",
                "c.yaml:2: flow.publish: expected one of best-effort, outbox, got 'eventually'"
            ),
            ("flow:\n  idempotency: true\n", "c.yaml:2: flow.idempotency: expected one of on, off, got 'true'"),
            (
                "bus:\n  topics:\n    order.placed: 3\n",
                "c.yaml:3: bus.topics.order.placed: unknown topic; the topics are order.created, payment.completed, payment.failed"
            ),
            ("traffic:\n  rate: [1]\n", "c.yaml:2: traffic.rate: expected a number"),
            ("provider:\n  failureRate: 2\n", "c.yaml:2: provider.failureRate: must be between 0.0 and 1.0, got 2"),
            (
                "provider:\n  limitCents: 0\n",
                "c.yaml:2: provider.limitCents: expected none or a whole number of cents from 1 to 100000000, got '0'"
            ),
            (
                "provider:\n  limitCents: lots\n",
                "c.yaml:2: provider.limitCents: expected none or a whole number of cents from 1 to 100000000, got 'lots'"
            ),
            ("consumers:\n  retries: 1001\n", "c.yaml:2: consumers.retries: must be between 0 and 1000, got 1001"),
            ("consumers:\n  retries: -1\n", "c.yaml:2: consumers.retries: must be between 0 and 1000, got -1"),
            (
                "consumers:\n  deadLetter: maybe\n",
                "c.yaml:2: consumers.deadLetter: expected true or false, got 'maybe'"
            ),
            (
                "services:\n  payment-service:\n    processingTime: 5ms\n",
                "c.yaml:3: services.payment-service.processingTime: unknown key"
            ),
        ])
    func configErrors(yaml: String, message: String) {
        #expect(throws: InputError.self) { try OrderflowConfig.parse(yaml, file: "c.yaml") }
        do {
            _ = try OrderflowConfig.parse(yaml, file: "c.yaml")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func malformedYAMLNamesTheLine() {
        do {
            _ = try OrderflowConfig.parse("seed: 1\nbus: [\n", file: "c.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.file == "c.yaml")
            #expect(error.line != nil)
        }
    }

    @Test func scenarioParsesAndSortsStepsAndLocatesErrors() throws {
        let s = try Scenario.parse(
            """
            name: outage
            description: payment-service down for 20 minutes
            steps:
              - {at: 20m, do: start, service: payment-service}
              - {at: 30s, do: stop, service: payment-service}
              - {at: 30s, do: reject-sends, count: 5}
            """, file: "s.yaml", name: "file-name")
        #expect(s.name == "outage")
        #expect(s.steps.map(\.action) == [.stop(.payment), .rejectSends(5), .start(.payment)])
        #expect(s.lastStepTime == .minutes(20))

        let cases = [
            (
                "- {at: 30s, do: stop, service: billing}\n",
                "s.yaml:1: steps[0].service: unknown service 'billing'; the services are order-service, payment-service, notification-service"
            ),
            (
                "- {at: 30s, do: explode}\n",
                "s.yaml:1: steps[0].do: unknown action 'explode'; the actions are place-orders, traffic, design, publish, idempotency, stop, start, kill, kill-before-commit, crash-mid-publish, crash-relay, reject-sends, poison, cancel, reconcile, repair, slow-provider, max-poll-records, kill-broker, stop-broker, restart-broker, stall-broker, resume-broker, acks, producer-idempotence, unclean-election, elect-unclean, provider-limit, redrive, rolling-deploy, regroup"
            ),
            (
                "- {at: 1s, do: stop, service: payment-service}\n- {do: stop, service: payment-service}\n",
                "s.yaml:2: steps[1].at: missing: when the step happens, such as 30s"
            ),
            ("- {at: 1s, do: kill, service: payment-service, instnce: 2}\n", "s.yaml:1: steps[0].instnce: unknown key"),
            (
                "- {at: 1s, do: place-orders, count: 1, amountCents: 0}\n",
                "s.yaml:1: steps[0].amountCents: must be between 1 and 100000000, got 0"
            ),
            (
                "- {at: 1s, do: place-orders, count: 1, amountCents: 100000001}\n",
                "s.yaml:1: steps[0].amountCents: must be between 1 and 100000000, got 100000001"
            ),
            (
                "- {at: 1s, do: provider-limit}\n",
                "s.yaml:1: steps[0].cents: missing: the largest charge the provider takes, in cents"
            ),
            (
                "- {at: 1s, do: provider-limit, cents: 99999999999999999999}\n",
                "s.yaml:1: steps[0].cents: expected a whole number, got '99999999999999999999'"
            ),
            ("- {at: 1s, do: redrive, topic: order.created}\n", "s.yaml:1: steps[0].topic: unknown key"),
            (
                "- {at: 1s, do: place-orders, count: 2, amountCents: 500, over: 10s}\n",
                "s.yaml:1: steps[0].over: 'place-orders' with amountCents places them at once; drop over"
            ),
        ]
        for (yaml, message) in cases {
            do {
                _ = try Scenario.parse(yaml, file: "s.yaml", name: "s")
                Issue.record("expected an error for \(yaml)")
            } catch {
                #expect(error.description == message)
            }
        }
    }

    @Test func durationsParseInTheConfigSyntax() {
        #expect(VirtualDuration(parsing: "250ms") == .milliseconds(250))
        #expect(VirtualDuration(parsing: "1.5m") == .seconds(90))
        #expect(VirtualDuration(parsing: "2h") == .minutes(120))
        #expect(VirtualDuration(parsing: "20m9s") == .seconds(1209))
        #expect(VirtualDuration(parsing: "1h30m") == .minutes(90))
        #expect(VirtualDuration(parsing: "9s20m") == nil, "units run from the largest down")
        #expect(VirtualDuration(parsing: "10") == nil)
        #expect(VirtualDuration(parsing: "-3s") == nil)
    }
}

/// What a scenario file says that only the config can refute, and the scenario's own settings.
@Suite struct ScenarioSettingErrorTests {
    @Test func aStepNamingAnInstanceTheConfigDoesNotRunIsAnError() throws {
        let text = """
            steps:
              - {at: 1s, do: kill, service: payment-service, instance: 1}
              - {at: 2s, do: kill, service: payment-service, instance: 3}
            """
        let scenario = try Scenario.parse(text, file: "s.yaml", name: "s")
        var three = OrderflowConfig()
        three.services[.payment]?.instances = 3
        #expect(throws: Never.self) { try scenario.validate(against: three) }
        #expect {
            try scenario.validate(against: OrderflowConfig())
        } throws: { error in
            (error as? InputError)?.description
                == "s.yaml:3: steps[1].instance: payment-service runs 2 instances in this config; there is no instance 3"
        }
    }

    @Test func aStepNamingABrokerTheConfigDoesNotRunIsAnError() throws {
        let text = """
            steps:
              - {at: 1s, do: kill-broker, broker: 3}
              - {at: 2s, do: restart-broker, broker: 4}
            """
        let scenario = try Scenario.parse(text, file: "s.yaml", name: "s")
        var four = OrderflowConfig()
        four.cluster = ClusterConfig(brokers: 4, replicationFactor: 3)
        #expect(throws: Never.self) { try scenario.validate(against: four) }
        #expect {
            try scenario.validate(against: OrderflowConfig())
        } throws: { error in
            (error as? InputError)?.description
                == "s.yaml:2: steps[0].broker: the config runs 1 broker (bus.brokers); there is no broker 3"
        }
    }

    @Test func kafkasAssignorNamesAreAccepted() throws {
        for (name, kind) in [
            ("range", AssignorKind.range), ("roundrobin", .roundRobin), ("round-robin", .roundRobin),
            ("cooperative-sticky", .cooperativeSticky),
            ("org.apache.kafka.clients.consumer.RangeAssignor", .range),
            ("org.apache.kafka.clients.consumer.RoundRobinAssignor", .roundRobin),
            ("org.apache.kafka.clients.consumer.CooperativeStickyAssignor", .cooperativeSticky),
        ] {
            #expect(
                try OrderflowConfig.parse("consumers:\n  assignor: \(name)\n", file: "c.yaml").assignor == kind,
                "\(name)")
        }
    }

    @Test func aStepTooFarAwayIsRefusedWithTheLimit() throws {
        #expect {
            try Scenario.parse("steps:\n  - {at: 100000h, say: hi}\n", file: "s.yaml", name: "s")
        } throws: { error in
            (error as? InputError)?.description.contains("at most 720h") == true
        }
    }

    @Test func speedLessonAndFocusAreReadAndChecked() throws {
        let s = try Scenario.parse(
            "lesson: 2\nspeed: 10x\nsteps:\n  - {at: 1s, say: hi, focus: payment-service}\n", file: "s.yaml", name: "s")
        #expect(s.lesson == 2)
        #expect(s.speed == .some(10))
        #expect(s.steps.first?.focus == "payment-service")
        #expect(
            try Scenario.parse("speed: max\nsteps:\n  - {at: 1s, say: hi}\n", file: "s.yaml", name: "s").speed
                == .some(nil))
        for (text, message) in [
            (
                "speed: 3x\nsteps:\n  - {at: 1s, say: hi}\n",
                "s.yaml:1: speed: expected one of 1x, 2x, 5x, 10x, 50x, 100x, max, got '3x'"
            ),
            (
                "steps:\n  - {at: 1s, say: hi, focus: kafka}\n",
                "s.yaml:2: steps[0].focus: expected a service, one of order-service, payment-service, notification-service, got 'kafka'"
            ),
        ] {
            #expect {
                try Scenario.parse(text, file: "s.yaml", name: "s")
            } throws: { error in
                (error as? InputError)?.description == message
            }
        }
    }
}

/// Config files as a careless or hostile user writes them: each gets one line that says what
/// is wrong and where, and none crashes, hangs or costs much.
@Suite struct HostileConfigTests {
    static let cases: [(name: String, bytes: [UInt8], message: String)] = [
        (
            "dup", Array("seed: 1\ntraffic:\n  rate: 2\nseed: 2\n".utf8),
            "dup.yaml:4: seed: 'seed' appears twice in the same mapping; keep one"
        ),
        (
            "nested", Array("consumers:\n  sessionTimeout: 5s\n  assignor: range\n  sessionTimeout: 6s\n".utf8),
            "nested.yaml:4: consumers.sessionTimeout: 'sessionTimeout' appears twice in the same mapping; keep one"
        ),
        ("tab", Array("seed: 1\n\tbad: 2\n".utf8), "(a tab: YAML indents with spaces only)"),
        (
            "nul", Array("seed: 1".utf8) + [0] + Array("\n".utf8),
            "nul.yaml:1: a control character (U+0000) has no place in YAML"
        ),
        ("utf16", [0xFF, 0xFE, 0x73, 0x00], "utf16.yaml: is UTF-16; save it as UTF-8"),
        ("latin1", Array("seed: 1\nx: ".utf8) + [0xE9], "latin1.yaml:2: is not valid UTF-8; save it as UTF-8"),
        (
            "latency", Array("provider:\n  latency:\n    min: 10s\n".utf8),
            "latency.yaml:3: provider.latency.min: is above the default max (300ms); set max too"
        ),
        (
            "emoji", Array("traffic:\n  currencies: [\"💶\"]\n".utf8),
            "expected ISO 4217 codes such as EUR or USD (three capital letters), got '💶'"
        ),
        ("number", Array("traffic:\n  currencies: [978]\n".utf8), "got '978'"),
        (
            "long", Array("traffic:\n  currencies: [\(String(repeating: "E", count: 10_000))]\n".utf8),
            "got 'EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE'"
        ),
        ("huge", Array("consumers:\n  sessionTimeout: 99999999999999999999h\n".utf8), "at most 720h"),
        (
            "big", Array(("seed: " + String(repeating: "9", count: 2 << 20)).utf8),
            "big.yaml: is larger than 1 MiB; a config or scenario is a few KB"
        ),
    ]

    @Test(arguments: cases.map(\.name))
    func eachBadFileGetsALineThatSaysWhatIsWrong(name: String) throws {
        let c = try #require(Self.cases.first { $0.name == name })
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("orderflow-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("\(name).yaml").path
        try Data(c.bytes).write(to: URL(fileURLWithPath: path))
        #expect {
            try OrderflowConfig.load(path: path)
        } throws: { error in
            let text = (error as? InputError)?.description ?? ""
            return text.contains(c.message) && !text.contains("\n") && text.count < 600
        }
    }
}
