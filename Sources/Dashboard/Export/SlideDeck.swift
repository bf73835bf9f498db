import Simulation

/// `orderflow simulate --scenario NAME --screens DIR`: a lesson's slide deck without a
/// terminal. The scenario plays guided, flat out from one narrated step to the next (as `]`
/// does), and each step's screen goes to `emit` as the class would see it held there.
package enum SlideDeck {
    package static func play(
        _ c: DashboardController, width: Int, height: Int, glyphs: Glyphs = .unicode,
        emit: (_ stem: String, _ grid: Grid) throws -> Void
    ) rethrows {
        guard let player = c.player else { return }
        player.guided = true
        c.runsClockWorkInSlices = false
        if !player.waiting { c.nextStepNow() }
        while player.waiting {
            // The slide shows the step, not the key's answer that brought the clock here.
            c.state.message = nil
            let grid = c.frame(width: width, height: height, glyphs: glyphs)
            try emit(ScreenExport.fileStem(scenario: player.progress, now: c.simulation.now), grid)
            guard player.nextNarratedAt != nil else { return }
            c.nextStepNow()
        }
    }
}
