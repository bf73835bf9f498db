import Simulation

extension PaneBuilder {
    /// "Step 2 of 5 — …" and what comes next; in guided mode, the key that goes on.
    func narration() -> PaneContent {
        guard let scenario else { return PaneContent() }
        var content = PaneContent(fixed: [
            Line(scenario.name, .bold).appending(scenario.guided ? " · guided" : "", .dim)
        ])
        if let current = scenario.current {
            let prefix = "Step \(current.number) of \(scenario.narratedSteps) — "
            for (n, text) in (prefix + current.text).wrapped(to: width).enumerated() {
                if n == 0 && text.hasPrefix(prefix) {
                    content.body.append(
                        Line(prefix, .fg(.magenta, bold: true)).appending(String(text.dropFirst(prefix.count))))
                } else {
                    content.body.append(Line(text))
                }
            }
        } else {
            content.body += scenario.description.wrapped(to: width).map { Line($0) }
        }
        // A claim of this step that the run contradicts comes first: the lesson says something false.
        let claims = (scenario.current?.falseClaims ?? []).flatMap { claim in
            // The value stays with "actually" when the line wraps (a no-break space).
            ("✗ FALSE: " + claim.replacingOccurrences(of: " — actually ", with: " — actually\u{00A0}")).wrapped(
                to: width
            )
            .map { Line($0, .fg(.red, bold: true)) }
        }
        // The compact pane has four lines: the name and a shorter status share one.
        if compact {
            let short =
                scenario.waiting
                ? Line("g: next step", .fg(.magenta, bold: true))
                : scenario.nextStepAt.map { Line("next at \($0)", .dim) } ?? Line("all steps run", .dim)
            content.fixed = [Line(scenario.name, .bold).appending(" · ").appending(line: short)]
        } else if scenario.waiting {
            content.fixed.append(Line("paused here · g: next step", .fg(.magenta, bold: true)))
        } else if let next = scenario.nextStepAt {
            content.fixed.append(Line("next step at \(next)", .dim))
        } else {
            content.fixed.append(Line("every step has run; the flow runs on", .dim))
        }
        content.fixed.insert(contentsOf: claims, at: min(1, content.fixed.count))
        return content
    }
}
