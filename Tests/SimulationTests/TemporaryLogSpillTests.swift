import Foundation
import Simulation
import Testing

@Suite struct TemporaryLogSpillTests {
    @Test func storesLoadsAndRemovesChunks() throws {
        let spill = try TemporaryLogSpill()
        let big = (0..<2_000_000).map { UInt8($0 % 251) }
        let a = try spill.store(big)
        let b = try spill.store([1, 2, 3])
        #expect(try spill.load(a) == big)
        #expect(try spill.load(b) == [1, 2, 3])
        try spill.remove(a)
        #expect(throws: (any Error).self) { try spill.load(a) }
        #expect(try spill.load(b) == [1, 2, 3])
    }
}
