/// A point on the simulation's virtual clock, in milliseconds since the run began.
///
/// Nothing in the core reads the wall clock: every timestamp, timeout and latency is virtual,
/// which is what makes a run reproducible from its seed.
package struct VirtualTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    package var milliseconds: Int64

    package init(milliseconds: Int64) { self.milliseconds = milliseconds }
    package static let zero = VirtualTime(milliseconds: 0)

    package static func < (a: VirtualTime, b: VirtualTime) -> Bool { a.milliseconds < b.milliseconds }
    package static func + (t: VirtualTime, d: VirtualDuration) -> VirtualTime {
        VirtualTime(milliseconds: t.milliseconds.saturatingAdd(d.milliseconds))
    }
    package static func - (a: VirtualTime, b: VirtualTime) -> VirtualDuration {
        VirtualDuration(milliseconds: a.milliseconds.saturatingSubtract(b.milliseconds))
    }
    package static func - (t: VirtualTime, d: VirtualDuration) -> VirtualTime {
        VirtualTime(milliseconds: t.milliseconds.saturatingSubtract(d.milliseconds))
    }

    package var seconds: Double { Double(milliseconds) / 1000 }

    /// `HH:MM:SS.mmm`, the form the dashboard header and the event feed use.
    package var description: String {
        let ms = max(0, milliseconds)
        let h = ms / 3_600_000
        let m = ms / 60_000 % 60
        let s = ms / 1000 % 60
        let frac = ms % 1000
        return "\(pad(h)):\(pad(m)):\(pad(s)).\(pad(frac, 3))"
    }
}

/// A span of virtual time in milliseconds.
package struct VirtualDuration: Hashable, Comparable, Sendable, CustomStringConvertible {
    package var milliseconds: Int64

    package init(milliseconds: Int64) { self.milliseconds = milliseconds }
    package static func milliseconds(_ ms: Int64) -> VirtualDuration { VirtualDuration(milliseconds: ms) }
    package static func seconds(_ s: Double) -> VirtualDuration {
        VirtualDuration(milliseconds: Int64(clampingMilliseconds: s * 1000))
    }
    package static func minutes(_ m: Double) -> VirtualDuration { .seconds(m * 60) }
    package static let zero = VirtualDuration(milliseconds: 0)
    /// The longest virtual duration orderflow takes as input (a config value, a step's `at`,
    /// `--duration`): 30 days. Longer would run for hours of real time and teach nothing more.
    package static let maximum = VirtualDuration(milliseconds: 30 * 24 * 3_600_000)

    package static func < (a: VirtualDuration, b: VirtualDuration) -> Bool { a.milliseconds < b.milliseconds }
    package static func + (a: VirtualDuration, b: VirtualDuration) -> VirtualDuration {
        VirtualDuration(milliseconds: a.milliseconds.saturatingAdd(b.milliseconds))
    }
    package static func * (d: VirtualDuration, k: Int64) -> VirtualDuration {
        let (value, overflow) = d.milliseconds.multipliedReportingOverflow(by: k)
        return VirtualDuration(milliseconds: overflow ? ((d.milliseconds < 0) != (k < 0) ? .min : .max) : value)
    }

    package var seconds: Double { Double(milliseconds) / 1000 }

    /// The shortest exact spelling in the config's own syntax: `250ms`, `10s`, `20m`, `1h`.
    package var description: String {
        let ms = milliseconds
        if ms != 0 && ms % 3_600_000 == 0 { return "\(ms / 3_600_000)h" }
        if ms != 0 && ms % 60_000 == 0 { return "\(ms / 60_000)m" }
        if ms % 1000 == 0 { return "\(ms / 1000)s" }
        return "\(ms)ms"
    }
}

private func pad(_ v: Int64, _ width: Int = 2) -> String {
    let s = String(v)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

extension Int64 {
    /// Virtual-time arithmetic never traps: past the ends of Int64 it stays at the end, far
    /// beyond any run (inputs are capped at `VirtualDuration.maximum`).
    func saturatingAdd(_ other: Int64) -> Int64 {
        let (value, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : value
    }

    func saturatingSubtract(_ other: Int64) -> Int64 {
        let (value, overflow) = subtractingReportingOverflow(other)
        return overflow ? (other > 0 ? .min : .max) : value
    }

    /// Milliseconds from a Double that may be huge, negative or not a number at all.
    package init(clampingMilliseconds value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= 9.2e18 {
            self = .max
        } else if value <= -9.2e18 {
            self = .min
        } else {
            self = Int64(value.rounded())
        }
    }
}
