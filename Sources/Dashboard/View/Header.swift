import Simulation

/// The run's state on the first line: the design, the publish strategy and idempotency, the
/// speed, the virtual time, the traffic generator, and whether the clock runs, is paused or
/// waits for the trainer. The full layout spells it out and gives the last key's answer a line
/// of its own; the compact one uses short words so that nothing essential is cut at 80 columns
/// (the answer then takes the footer's place).
struct Header {
    let snapshot: Snapshot
    let state: DashboardState
    let scenario: ScenarioProgress?
    let glyphs: Glyphs

    func draw(on grid: inout Grid, kind: LayoutKind) {
        let line = fitParts(kind == .full ? fullParts() : compactParts(), width: grid.width)
        grid.draw(line, x: 0, y: 0, maxX: grid.width)
        guard kind == .full else { return }
        let seed = "seed \(snapshot.seed) "
        grid.put(seed, x: grid.width - seed.count, y: 1, style: .dim)
        let room = grid.width - seed.count - 2
        if let failure = snapshot.storageFailure {
            grid.put(
                " storage failed: "
                    + shortStorageFailure(failure).clippedAtWord(to: room - 17, ellipsis: glyphs.ellipsis),
                x: 0, y: 1,
                style: .fg(.red, bold: true))
        } else if state.showsMessage, let message = state.message {
            grid.put(" " + message.clippedAtWord(to: room, ellipsis: glyphs.ellipsis), x: 0, y: 1, style: .fg(.cyan))
        } else {
            grid.put(
                " ? lists every key · m p i switch design, publish, idempotency · r reconciles"
                    .clippedAtWord(to: room, ellipsis: glyphs.ellipsis), x: 0, y: 1, style: .dim)
        }
    }

    private var designStyle: Style { snapshot.settings.design == .optimistic ? .fg(.red, bold: true) : .bold }

    /// What the automatic traffic generator does: "auto", because a scenario (or the `o` key)
    /// places orders of its own while the generator is off.
    private var trafficText: (String, Style) {
        snapshot.trafficOn ? ("on \(rateText(snapshot.trafficRate))", .plain) : ("off", .fg(.yellow, bold: true))
    }

    private var clockState: Line {
        if scenario?.waiting == true {
            return Line(" g: NEXT STEP ", Style(foreground: .magenta, bold: true, reverse: true))
        }
        if state.paused { return Line(" PAUSED ", Style(foreground: .yellow, bold: true, reverse: true)) }
        return Line("RUNNING", .fg(.green, bold: true))
    }

    /// The header's parts in display order, each with its priority: too wide, the lowest go
    /// whole (`fitParts`), so no word or number is ever cut at the screen's edge.
    private func fullParts() -> [LinePart] {
        let flow = snapshot.settings
        let (traffic, trafficStyle) = trafficText
        // The clock's state and the time come first and go last: they are what the trainer acts
        // on. The brokers lesson's switches outrank the generator.
        return [
            LinePart(Line(" orderflow ", Style(foreground: .cyan, bold: true, reverse: true)), priority: 3),
            LinePart(Line(" ").appending(line: clockState), priority: 10),
            LinePart(Line(" ").appending(snapshot.now.description, .bold), priority: 10),
            LinePart(Line("  ").appending(state.speed.label, .bold), priority: 8),
            LinePart(Line("  design ").appending(flow.design.rawValue, designStyle), priority: 7),
            LinePart(Line("  publish ").appending(flow.publish.rawValue, .bold), priority: 7),
            LinePart(Line("  idempotency ").appending(flow.idempotency.rawValue, .bold), priority: idempotencyPriority),
        ] + commitParts(compact: false) + clusterParts(compact: false)
            + [LinePart(Line("  auto traffic ").appending(traffic, trafficStyle), priority: 4)] + recordingParts
    }

    /// `w` is recording: the trainer sees it, so a session is never recorded unawares.
    private var recordingParts: [LinePart] {
        state.recording ? [LinePart(Line("  ").appending("● REC", .fg(.red, bold: true)), priority: 9)] : []
    }

    /// The services' idempotency beside a producer without idempotence: both lines of defence
    /// are the lesson then, and outlast design and publish.
    private var idempotencyPriority: Int {
        let producerUnsafe = snapshot.cluster.map { $0.acks == .all && !$0.idempotentProducers } ?? false
        return producerUnsafe ? 8 : 6
    }

    /// A commit mode other than the default (Spring Kafka's batch): at most once is red.
    private func commitParts(compact: Bool) -> [LinePart] {
        guard snapshot.commit != .batch else { return [] }
        let atMostOnce = snapshot.commit == .beforeProcessing
        let style: Style = atMostOnce ? .fg(.red, bold: true) : .bold
        let long = Line(compact ? " · commit " : "  commit ").appending(snapshot.commit.rawValue, style)
        // At most once is a lesson's subject: it outranks the switches, in its terse form at 80.
        return [
            LinePart(
                long, short: atMostOnce ? Line(" · ").appending("at-most-once", style) : nil,
                priority: atMostOnce ? 8 : 6)
        ]
    }

    /// With a cluster, the producers' acks and unclean leader election (red when it may lose).
    private func clusterParts(compact: Bool) -> [LinePart] {
        guard let cluster = snapshot.cluster else { return [] }
        let acksStyle: Style = cluster.acks == .all ? .bold : .fg(.red, bold: true)
        // acks=all without an idempotent producer: a retry of an appended send is appended again.
        let duplicates =
            cluster.acks == .all && !cluster.idempotentProducers
            ? [
                LinePart(
                    Line(compact ? " · " : "  ").appending("producer idempotence off", .fg(.red, bold: true)),
                    short: Line(compact ? " · " : "  ").appending("no idempotence", .fg(.red, bold: true)), priority: 8)
            ] : []
        if compact {
            let acks = LinePart(Line(" · acks=").appending(cluster.acks.rawValue, acksStyle), priority: 9)
            let unclean = LinePart(Line(" unclean", .fg(.red, bold: true)), priority: 9)
            return [acks] + duplicates + (cluster.uncleanLeaderElection ? [unclean] : [])
        }
        let on = cluster.uncleanLeaderElection
        return [LinePart(Line("  acks ").appending(cluster.acks.rawValue, acksStyle), priority: 9)] + duplicates + [
            LinePart(Line("  unclean ").appending(on ? "on" : "off", on ? .fg(.red, bold: true) : .bold), priority: 9)
        ]
    }

    /// At 80 columns: the clock's state first (it is what the trainer acts on), then the time
    /// to the second, the speed, the three switches, the cluster's two and the generator.
    private func compactParts() -> [LinePart] {
        let flow = snapshot.settings
        let (traffic, trafficStyle) = trafficText
        let seconds = snapshot.now.description.split(separator: ".").first.map(String.init) ?? snapshot.now.description
        return [
            LinePart(Line(" ").appending(line: clockState), priority: 10),
            LinePart(Line(" ").appending(seconds, .bold), priority: 10),
            LinePart(Line(" ").appending(state.speed.label, .bold), priority: 8),
            LinePart(Line("  ").appending(flow.design.rawValue, designStyle), priority: 7),
            LinePart(Line(" · ").appending(flow.publish.rawValue, .bold), priority: 7),
            LinePart(Line(" · idem ").appending(flow.idempotency.rawValue, .bold), priority: idempotencyPriority),
        ] + commitParts(compact: true) + clusterParts(compact: true) + [
            LinePart(Line("  auto ").appending(traffic, trafficStyle), priority: 4)
        ] + recordingParts
    }
}
