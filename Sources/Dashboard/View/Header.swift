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
        let line = kind == .full ? fullLine() : compactLine()
        grid.draw(line, x: 0, y: 0, maxX: grid.width)
        guard kind == .full else { return }
        let seed = "seed \(snapshot.seed) "
        grid.put(seed, x: grid.width - seed.count, y: 1, style: .dim)
        let room = grid.width - seed.count - 2
        if let failure = snapshot.storageFailure {
            grid.put(
                " storage failed: " + shortStorageFailure(failure).clipped(to: room - 17, ellipsis: glyphs.ellipsis),
                x: 0, y: 1,
                style: .fg(.red, bold: true))
        } else if state.showsMessage, let message = state.message {
            grid.put(" " + message.clipped(to: room, ellipsis: glyphs.ellipsis), x: 0, y: 1, style: .fg(.cyan))
        } else {
            grid.put(
                " ? lists every key · m p i switch design, publish, idempotency · r reconciles"
                    .clipped(to: room, ellipsis: glyphs.ellipsis), x: 0, y: 1, style: .dim)
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

    private func fullLine() -> Line {
        let flow = snapshot.settings
        let (traffic, trafficStyle) = trafficText
        // The clock's state and the time come first: what the trainer acts on is never the part cut.
        return Line(" orderflow ", Style(foreground: .cyan, bold: true, reverse: true))
            .appending(" ").appending(line: clockState)
            .appending(" ").appending(snapshot.now.description, .bold)
            .appending("  ").appending(state.speed.label, .bold)
            .appending("  design ").appending(flow.design.rawValue, designStyle)
            .appending("  publish ").appending(flow.publish.rawValue, .bold)
            .appending("  idempotency ").appending(flow.idempotency.rawValue, .bold)
            // The brokers lesson's switches before the generator: a narrow terminal cuts the end.
            .appending(line: clusterText(compact: false))
            .appending("  auto traffic ").appending(traffic, trafficStyle)
    }

    /// With a cluster, the producers' acks and unclean leader election (red when it may lose).
    private func clusterText(compact: Bool) -> Line {
        guard let cluster = snapshot.cluster else { return Line() }
        let acksStyle: Style = cluster.acks == .all ? .bold : .fg(.red, bold: true)
        if compact {
            let line = Line(" · acks=").appending(cluster.acks.rawValue, acksStyle)
            return cluster.uncleanLeaderElection ? line.appending(" unclean", .fg(.red, bold: true)) : line
        }
        return Line("  acks ").appending(cluster.acks.rawValue, acksStyle).appending("  unclean ")
            .appending(
                cluster.uncleanLeaderElection ? "on" : "off",
                cluster.uncleanLeaderElection ? .fg(.red, bold: true) : .bold)
    }

    /// At 80 columns: the clock's state first (it is what the trainer acts on), then the time
    /// to the second, the speed, the three switches, the cluster's two and the generator.
    private func compactLine() -> Line {
        let flow = snapshot.settings
        let (traffic, trafficStyle) = trafficText
        let seconds = snapshot.now.description.split(separator: ".").first.map(String.init) ?? snapshot.now.description
        return Line(" ").appending(line: clockState)
            .appending(" ").appending(seconds, .bold)
            .appending(" ").appending(state.speed.label, .bold)
            .appending("  ").appending(flow.design.rawValue, designStyle)
            .appending(" · ").appending(flow.publish.rawValue, .bold)
            .appending(" · idem ").appending(flow.idempotency.rawValue, .bold)
            // The brokers lesson's switches before the generator: at 80 columns the end is cut first.
            .appending(line: clusterText(compact: true))
            .appending("  auto ").appending(traffic, trafficStyle)
    }
}
