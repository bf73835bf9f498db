import Events
import Simulation

@testable import Dashboard

/// A small, fixed world: seed 42, no auto traffic, five orders placed and left to settle,
/// then three more placed just now, so every pane has something to show.
func fixtureController(_ change: (inout OrderflowConfig) -> Void = { _ in }) throws -> DashboardController {
    var config = OrderflowConfig()
    config.trafficAuto = false
    change(&config)
    let controller = DashboardController(simulation: try Simulation(config: config))
    controller.simulation.perform(.placeOrders(5))
    controller.simulation.advance(by: .seconds(3))
    controller.simulation.perform(.placeOrders(3))
    return controller
}

func render(_ controller: DashboardController, _ width: Int, _ height: Int, glyphs: Glyphs = .unicode) -> Grid {
    controller.frame(width: width, height: height, glyphs: glyphs)
}

/// One pane alone, in a grid of its own size: how the pane tests look at a widget (the view's own drawing).
func renderPane(_ pane: PaneID, _ controller: DashboardController, width: Int, height: Int, compact: Bool = false)
    -> Grid
{
    DashboardView(
        snapshot: controller.simulation.snapshot(), state: controller.state, config: controller.simulation.config,
        glyphs: .unicode
    ).renderPane(pane, width: width, height: height, compact: compact)
}
