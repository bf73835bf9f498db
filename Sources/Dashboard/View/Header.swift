import Simulation

/// The run's state on the first line, always with the design, the publish strategy and
/// idempotency; the last key's answer beside it, or on a line of its own in the full layout.
struct Header {
    let snapshot: Snapshot
    let state: DashboardState
    let scenario: ScenarioProgress?
    let glyphs: Glyphs

    func draw(on grid: inout Grid, kind: LayoutKind) {
        let full = kind == .full
        let flow = snapshot.settings
        var line = Line(" orderflow ", Style(foreground: .cyan, bold: true, reverse: true))
            .appending(full ? "  design " : "  ")
            .appending(flow.design.rawValue, flow.design == .optimistic ? .fg(.red, bold: true) : .bold)
            .appending(full ? "  publish " : " · ").appending(flow.publish.rawValue, .bold)
            .appending(full ? "  idempotency " : " · idem ").appending(flow.idempotency.rawValue, .bold)
            .appending("  ").appending(state.speed.label, .bold)
            .appending("  ").appending(snapshot.now.description, .bold)
            .appending(full ? "  traffic " : "  ")
            .appending(
                snapshot.trafficOn ? "on \(rateText(snapshot.trafficRate))" : "off",
                snapshot.trafficOn ? .plain : .fg(.yellow, bold: true)
            )
            .appending("  ")
        if scenario?.waiting == true {
            line = line.appending(" g: NEXT STEP ", Style(foreground: .magenta, bold: true, reverse: true))
        } else if state.paused {
            line = line.appending(" PAUSED ", Style(foreground: .yellow, bold: true, reverse: true))
        } else {
            line = line.appending("RUNNING", .fg(.green, bold: true))
        }
        grid.draw(line, x: 0, y: 0, maxX: grid.width)
        if full {
            let seed = "seed \(snapshot.seed) "
            grid.put(seed, x: grid.width - seed.count, y: 1, style: .dim)
            let room = grid.width - seed.count - 2
            if let message = state.message {
                grid.put(" " + message.clipped(to: room, ellipsis: glyphs.ellipsis), x: 0, y: 1, style: .fg(.cyan))
            } else {
                grid.put(
                    " ? lists every key · m p i switch design, publish, idempotency · r reconciles"
                        .clipped(to: room, ellipsis: glyphs.ellipsis), x: 0, y: 1, style: .dim)
            }
            return
        }
        guard let message = state.message else { return }
        let used = line.displayWidth
        let room = grid.width - used - 2
        if room >= 10 {
            grid.put(message.clipped(to: room, ellipsis: glyphs.ellipsis), x: used + 2, y: 0, style: .fg(.cyan))
        }
    }
}
