import Foundation

/// The one source of randomness in the core: SplitMix64 from the run's seed.
///
/// Each consumer of randomness gets its own stream forked from the seed by a fixed label, so
/// placing one extra order by hand does not shift every later provider decision.
package struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    package init(seed: UInt64) { state = seed }

    /// An independent stream derived from this seed and `label`.
    package init(seed: UInt64, stream label: String) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in label.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        state = seed ^ h
        _ = next()
    }

    package mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 bits of precision.
    package mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in `range`, without `Int.random`'s platform-dependent algorithm.
    package mutating func int(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % span)
    }

    /// A version-4 UUID string: the ids of orders and events, reproducible from the seed.
    package mutating func uuid() -> String {
        var a = next()
        var b = next()
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 {
            bytes[i] = UInt8(truncatingIfNeeded: a)
            a >>= 8
        }
        for i in 8..<16 {
            bytes[i] = UInt8(truncatingIfNeeded: b)
            b >>= 8
        }
        bytes[6] = bytes[6] & 0x0f | 0x40
        bytes[8] = bytes[8] & 0x3f | 0x80
        // Formatted by hand: ids are made for every order and event, and String(radix:) plus
        // joins cost more than the rest of minting one.
        return String(unsafeUninitializedCapacity: 36) { out in
            var j = 0
            for (i, byte) in bytes.enumerated() {
                if i == 4 || i == 6 || i == 8 || i == 10 {
                    out[j] = UInt8(ascii: "-")
                    j += 1
                }
                out[j] = Self.hexDigits[Int(byte >> 4)]
                out[j + 1] = Self.hexDigits[Int(byte & 0x0f)]
                j += 2
            }
            return j
        }
    }

    /// Eight hex digits, for Kafka-style member id suffixes.
    package mutating func shortHex() -> String {
        var v = next() & 0xffff_ffff
        return String(unsafeUninitializedCapacity: 8) { out in
            for i in (0..<8).reversed() {
                out[i] = Self.hexDigits[Int(v & 0x0f)]
                v >>= 4
            }
            return 8
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// An exponentially distributed wait with the given mean rate per second: Poisson arrivals.
    package mutating func exponentialSeconds(rate: Double) -> Double {
        -Foundation.log(1 - unit()) / rate
    }
}

extension String {
    package func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
