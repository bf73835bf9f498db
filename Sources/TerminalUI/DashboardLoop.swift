import CursesShim
import Dashboard

/// The frame loop: a key (or a ~50 ms timeout), the clock, a snapshot, a frame.
package enum DashboardLoop {
    /// Wall time a frame may spend on the clock before it is drawn.
    static let workBudgetMilliseconds: Int64 = 150

    /// Runs until `q`, Ctrl-C, SIGTERM or SIGHUP, and restores the terminal on every path.
    /// `onFrame` sees every grid drawn (`--cast`).
    package static func run(
        _ controller: DashboardController, theme: Theme = .dark, onFrame: ((Grid) -> Void)? = nil
    ) throws(TerminalUnavailable) {
        let terminal = try CursesTerminal(theme: theme)
        defer { terminal.close() }
        controller.runsClockWorkInSlices = true
        let clock = ContinuousClock()
        var lastTick = clock.now
        var needsFrame = true
        while true {
            // Paused, nothing changes until a key arrives: wait longer and skip the redraw.
            let paused = controller.state.paused && !controller.isBusy
            let event = terminal.readKey(timeoutMilliseconds: paused ? 500 : 50)
            if orderflow_signal_received() != 0 { return }
            switch event {
            case .key(let key):
                controller.handle(key)
                needsFrame = true
            case .resize, .other:
                needsFrame = true
            case nil:
                break
            }
            if controller.state.quitRequested { return }

            let now = clock.now
            let elapsed = now - lastTick
            lastTick = now
            let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            if controller.wallTimePassed(milliseconds: ms) { needsFrame = true }
            // The watchdog: whatever the clock has to do, a frame is drawn within its budget.
            let frameEnd = now + .milliseconds(Self.workBudgetMilliseconds)
            if controller.isBusy {
                controller.continueWork { clock.now >= frameEnd }
                needsFrame = true
            } else if paused {
                // Time spent paused never reaches the virtual clock, even on the resume key.
            } else if controller.state.speed == .max {
                let flatOutEnd = now + .milliseconds(40)
                controller.runFlatOut { clock.now >= flatOutEnd }
            } else {
                controller.tick(wallMilliseconds: ms) { clock.now >= frameEnd }
            }
            if needsFrame || !controller.state.paused {
                let (width, height) = terminal.size
                let grid = controller.frame(width: width, height: height, glyphs: terminal.glyphs)
                terminal.draw(grid)
                onFrame?(grid)
                needsFrame = false
            }
        }
    }
}
