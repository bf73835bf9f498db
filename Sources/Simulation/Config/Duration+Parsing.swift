import Bus
import Foundation

extension VirtualDuration {
    /// Parses the config's duration syntax: numbers with units, largest first, as in `250ms`,
    /// `10s`, `1.5m`, `2h` or `20m9s`. Nil for anything else, and for more than `maximum`.
    package init?(parsing text: String) {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        var total = 0.0
        var lastFactor = Double.infinity
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(unit.count)
            let factor: Double
            switch unit {
            case "ms": factor = 1
            case "s": factor = 1000
            case "m": factor = 60_000
            case "h": factor = 3_600_000
            default: return nil
            }
            guard let value = Double(number), value.isFinite, factor < lastFactor else { return nil }
            total += value * factor
            lastFactor = factor
        }
        guard total.isFinite, total <= Double(VirtualDuration.maximum.milliseconds) else { return nil }
        self.init(milliseconds: Int64(total.rounded()))
    }
}
