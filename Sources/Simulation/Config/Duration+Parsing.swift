import Bus
import Foundation

extension VirtualDuration {
    /// Parses the config's duration syntax: a number and a unit, `250ms`, `10s`, `1.5m`, `2h`.
    public init?(parsing text: String) {
        let s = text.trimmingCharacters(in: .whitespaces)
        // "ms" before "m" and "s": the longest unit that leaves a number wins.
        for (suffix, factor) in [("ms", 1.0), ("s", 1000), ("m", 60_000), ("h", 3_600_000)] where s.hasSuffix(suffix) {
            if let value = Double(s.dropLast(suffix.count)), value >= 0, value.isFinite {
                self.init(milliseconds: Int64((value * factor).rounded()))
                return
            }
        }
        return nil
    }
}
