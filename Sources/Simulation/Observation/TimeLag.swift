import Bus

/// Lag in time: what a business reads from a lag. "Lag 308" says little; "the oldest unpaid
/// order has waited 19 minutes, and at this rate the backlog clears in 4" is the outage in a
/// line. Kafka UIs show it beside the count (kafka-lag-exporter's time lag, kafkatop's time to
/// catch up); Kafka's own tool does not, so describe prints it after Kafka's columns.
package struct TimeLag: Sendable, Equatable {
    /// How long the oldest record not yet committed has waited since its append; zero when the
    /// lag is 0.
    package var oldest: VirtualDuration
    package var catchUp: CatchUp

    package enum CatchUp: Sendable, Equatable {
        case caughtUp
        /// The lag consumed at the rate of the last `Sampler.rateWindow` seconds.
        case after(VirtualDuration)
        /// No commit moved over that window while records wait: at this rate, never (∞). Lag is
        /// measured by commits, as Kafka's tools measure it: a batch in progress shows ∞ until
        /// its commit.
        case never
        /// No rate measured yet (the group just committed for the first time).
        case unknown
    }

    package init(oldest: VirtualDuration, catchUp: CatchUp) {
        self.oldest = oldest
        self.catchUp = catchUp
    }

    /// `lag` records consumed at `rate` a second: nil rate is unknown, 0 is never.
    static func catchUp(lag: Int64, rate: Double?) -> CatchUp {
        if lag == 0 { return .caughtUp }
        guard let rate else { return .unknown }
        guard rate > 0 else { return .never }
        return .after(
            VirtualDuration(milliseconds: Int64(clampingMilliseconds: (Double(lag) / rate * 1000).rounded(.up))))
    }
}

extension TimeLag.CatchUp {
    /// "4m10s", "∞", "0s", "-": how describe's CATCH-UP column and the report spell it.
    package var text: String {
        switch self {
        case .caughtUp: "0s"
        case .after(let d): shortDuration(d)
        case .never: "∞"
        case .unknown: "-"
        }
    }

    /// Milliseconds for the report: nil when never or unknown (`catchingUp` says which).
    package var milliseconds: Int64? {
        switch self {
        case .caughtUp: 0
        case .after(let d): d.milliseconds
        case .never, .unknown: nil
        }
    }

    /// The report's word for it: caught-up, consuming, stalled (∞) or unknown.
    package var word: String {
        switch self {
        case .caughtUp: "caught-up"
        case .after: "consuming"
        case .never: "stalled"
        case .unknown: "unknown"
        }
    }
}

/// Whole seconds, minutes and seconds, or hours and minutes: "45s", "4m10s", "2h5m".
package func shortDuration(_ d: VirtualDuration) -> String {
    let s = max(0, (d.milliseconds + 999) / 1000)
    if s < 60 { return "\(s)s" }
    if s < 3600 { return s % 60 == 0 ? "\(s / 60)m" : "\(s / 60)m\(s % 60)s" }
    let m = (s % 3600) / 60
    return m == 0 ? "\(s / 3600)h" : "\(s / 3600)h\(m)m"
}

extension Simulation {
    /// A describe row's lag in time: nil while its lag is unknown (nothing committed).
    package func timeLag(_ row: GroupDescriptionRow) -> TimeLag? {
        guard let lag = row.lag, let committed = row.currentOffset else { return nil }
        guard lag > 0 else { return TimeLag(oldest: .zero, catchUp: .caughtUp) }
        let tp = TopicPartition(row.topic, row.partition)
        // The next record the group has not committed; retention may have removed it already.
        let appended = cluster.record(tp, at: max(committed, cluster.logStartOffset(tp)))?.timestamp ?? now
        return TimeLag(
            oldest: max(.zero, now - appended), catchUp: TimeLag.catchUp(lag: lag, rate: sampler.consumptionRate(row)))
    }

    /// A group's: its oldest waiting record, and its whole lag at its whole rate (∞ only when
    /// the group commits nothing; a partition whose owner died shows ∞ on its own row). Nil
    /// while no partition of it has a commit.
    package func timeLag(group rows: [GroupDescriptionRow]) -> TimeLag? {
        guard let total = totalLag(of: rows) else { return nil }
        let known = rows.filter { $0.lag != nil }
        let rates = known.map(sampler.consumptionRate)
        let rate: Double? = rates.contains { $0 == nil } ? nil : rates.compactMap(\.self).reduce(0, +)
        return TimeLag(
            oldest: known.compactMap(timeLag).map(\.oldest).max() ?? .zero,
            catchUp: TimeLag.catchUp(lag: total, rate: rate))
    }
}
