extension SimulationReport {
    /// A lag in time: JSON null while the lag itself is unknown.
    package struct TimeLagEntry: Encodable, Sendable {
        package var oldestMs: Int64
        package var catchUpMs: Int64?
        /// caught-up, consuming, stalled (nothing consumed: ∞) or unknown (no rate yet).
        package var catchingUp: String

        init(_ t: TimeLag) {
            oldestMs = t.oldest.milliseconds
            catchUpMs = t.catchUp.milliseconds
            catchingUp = t.catchUp.word
        }

        enum CodingKeys: String, CodingKey { case oldestMs, catchUpMs, catchingUp }

        package func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(oldestMs, forKey: .oldestMs)
            try c.encode(catchUpMs, forKey: .catchUpMs)
            try c.encode(catchingUp, forKey: .catchingUp)
        }
    }
}
