import Bus

/// This build's version, written into every recording so a replay by another build says so.
package enum OrderflowVersion {
    package static let current = "0.26.0"
}

/// Where a recorded scenario came from: its `recorded:` block.
package struct RecordingOrigin: Sendable, Equatable {
    /// The orderflow version that recorded it.
    package var version: String
    /// The live run wrote its databases to `--db-dir`; the replay keeps them in memory.
    package var dbDir: Bool
    /// The scenario the live run was playing, if any.
    package var scenario: String?

    package init(version: String = OrderflowVersion.current, dbDir: Bool = false, scenario: String? = nil) {
        self.version = version
        self.dbDir = dbDir
        self.scenario = scenario
    }

    /// What a trainer should know before the replay: each line says it still replays.
    package var notes: [String] {
        var notes: [String] = []
        if version != OrderflowVersion.current {
            notes.append(
                "recorded by orderflow \(version), replayed by \(OrderflowVersion.current): it still replays, and may end elsewhere where the two versions differ"
            )
        }
        if dbDir {
            notes.append(
                "recorded from a --db-dir run: the replay keeps its databases in memory (the run is the same)")
        }
        return notes
    }
}

/// A live session as a scenario file: the config and seed it ran with, and every input at its
/// virtual time, so `--scenario FILE` lands on the identical state (`RecordingTests`).
///
/// The inputs before the recording was started are written too (the replay needs them) but
/// without a narration placeholder; each input after gets an empty `say:` for the trainer to fill.
package struct Recording: Sendable {
    package struct Entry: Sendable, Equatable {
        package var at: VirtualTime
        package var action: SimulationAction?
        package var narration: String?
        package var focus: String?
        /// Written with an empty `say:` for the trainer to fill (an input the trainer made while recording).
        package var placeholder: Bool
        /// A lesson step's own `expect:` claims, kept.
        package var claims: [Claim] = []

        package init(
            at: VirtualTime, action: SimulationAction?, narration: String? = nil, focus: String? = nil,
            placeholder: Bool = false
        ) {
            self.at = at
            self.action = action
            self.narration = narration
            self.focus = focus
            self.placeholder = placeholder
        }
    }

    package var name: String
    package var description: String
    package var config: OrderflowConfig
    package var speed: Double??
    package var origin: RecordingOrigin
    /// In the order they ran.
    package var entries: [Entry]
    /// When the recording stopped: the last step, so the replay runs at least that far.
    package var endsAt: VirtualTime

    package init(
        name: String, description: String, config: OrderflowConfig, speed: Double?? = nil,
        origin: RecordingOrigin, entries: [Entry], endsAt: VirtualTime
    ) {
        self.name = name
        self.description = description
        self.config = config
        self.speed = speed
        self.origin = origin
        self.entries = entries
        self.endsAt = endsAt
    }

    /// The scenario file's text.
    package func yaml() -> String {
        var lines = [
            "# A session recorded live by orderflow \(origin.version). It replays as it ran:",
            "#   orderflow --scenario THIS-FILE --guided      orderflow simulate --scenario THIS-FILE",
            "# Fill in each empty say: with what the class should watch (a step that says something",
            "# holds a guided run until g); add expect: claims for 'orderflow scenarios check'.",
            "name: \(Self.quoted(name))",
            "description: \(Self.quoted(description))",
        ]
        if let speed { lines.append("speed: \(speed.map { "\(Int($0))x" } ?? "max")") }
        lines += ["recorded:", "  orderflow: \(Self.quoted(origin.version))", "  dbDir: \(origin.dbDir)"]
        if let scenario = origin.scenario { lines.append("  scenario: \(Self.plainOrQuoted(scenario))") }
        lines +=
            [
                "# The whole config the run had (config/orderflow.yaml explains each key), so the replay",
                "# runs the same whatever config file is around it.", "config:",
            ]
            + config.yamlLines(indent: "  ")
        lines.append("steps:")
        for entry in entries {
            var fields = [("at", Self.time(entry.at))] + (entry.action?.scenarioFields.map { ($0.key, $0.value) } ?? [])
            if let focus = entry.focus { fields.append(("focus", focus)) }
            for (i, field) in fields.enumerated() {
                let value = Self.plainOrQuoted(field.1)
                lines.append((i == 0 ? "  - " : "    ") + "\(field.0): \(value)")
            }
            if let text = entry.narration {
                lines.append("    say: \(Self.quoted(text))")
            } else if entry.placeholder {
                lines.append("    say:")
            }
            lines += Claim.yamlLines(entry.claims, indent: "    ")
        }
        lines += ["  - at: \(Self.time(endsAt))", "    say: \(Self.quoted("The recorded session ends here."))"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Seconds with their milliseconds (`75.25s`): exact, and what a trainer reads most easily.
    static func time(_ t: VirtualTime) -> String {
        let ms = max(0, t.milliseconds)
        guard ms % 1000 != 0 else { return "\(ms / 1000)s" }
        var fraction = String(ms % 1000)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(ms / 1000).\(fraction)s"
    }

    /// Numbers, booleans, names and ids go plain (the loader reads a quoted number as text).
    static func isPlain(_ text: String) -> Bool {
        !text.isEmpty && !["null", "Null", "NULL", "~"].contains(text)
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
    }

    static func plainOrQuoted(_ text: String) -> String { isPlain(text) ? text : quoted(text) }

    /// A YAML double-quoted scalar: any text reads back as itself (JSON's escapes are YAML's).
    static func quoted(_ text: String) -> String { EventExport.jsonString(text) }
}
