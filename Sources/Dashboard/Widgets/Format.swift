import Bus

/// Orders per virtual second, as the header and messages print a rate.
func rateText(_ rate: Double) -> String {
    rate == rate.rounded() && abs(rate) < 1e15 ? "\(Int(rate))/s" : "\(rate)/s"
}

/// Cents as "12.05 EUR".
func money(_ cents: Int, _ currency: String) -> String {
    let sign = cents < 0 ? "-" : ""
    let magnitude = cents.magnitude
    let frac = String(magnitude % 100)
    return "\(sign)\(magnitude / 100).\(frac.count == 1 ? "0" + frac : frac) \(currency)"
}

/// A short age: seconds, then minutes, then hours.
func age(_ d: VirtualDuration) -> String {
    let s = max(0, d.milliseconds / 1000)
    if s < 60 { return "\(s)s" }
    if s < 3600 { return "\(s / 60)m" }
    return "\(s / 3600)h"
}

/// Whole seconds until `time`, rounded up: "back in 3s".
func secondsUntil(_ time: VirtualTime, from now: VirtualTime) -> Int {
    Int((time - now).seconds.rounded(.up))
}

/// A storage failure for the screen: the database's file name, not its whole path (the exit's
/// line carries the path), so the reason fits at 80 columns.
func shortStorageFailure(_ failure: String) -> String {
    guard let colon = failure.range(of: ": ") else { return failure }
    let path = failure[..<colon.lowerBound]
    return String(path.split(separator: "/").last ?? path) + failure[colon.lowerBound...]
}
