import Services
import Simulation

/// The order's steps with their virtual times; what never happened is marked red.
struct JourneyOverlay {
    var orderId: String
    var journey: OrderJourney?
    var glyphs: Glyphs

    func draw(on grid: inout Grid) {
        var lines: [Line]
        if let journey {
            lines = [
                Line(" \(journey.orderId)", .bold).appending(" · ")
                    .appending(journey.status.rawValue, .fg(journey.status.color, bold: true))
                    .appending(" · \(journey.design.rawValue) design", .dim)
            ]
            lines.append(Line())
            for step in journey.steps {
                let (mark, color): (String, Color) =
                    switch step.mark {
                    case .done: (glyphs == .ascii ? "+" : "✓", .green)
                    case .waiting: (glyphs == .ascii ? "." : "…", .yellow)
                    case .missing: (glyphs == .ascii ? "x" : "✗", .red)
                    case .wrong: ("!", .red)
                    case .failed: (glyphs == .ascii ? "-" : "✗", .red)
                    }
                lines.append(
                    Line(" " + (step.time?.description ?? "-").padded(to: 13), .dim)
                        .appending(mark + " ", .fg(color, bold: true))
                        .appending(step.what.padded(to: 28), step.mark == .done ? .plain : .fg(color, bold: true))
                        .appending(step.detail))
            }
        } else {
            lines = [Line(" order \(orderId) is not in the orders table", .fg(.red))]
        }
        lines.append(Line())
        lines.append(Line(" the order id is the key and the correlation id throughout · Esc closes", .dim))
        OverlayBox(title: "Journey of \(shortOrderId(orderId))", lines: lines, maxWidth: 104, glyphs: glyphs).draw(
            on: &grid)
    }
}
