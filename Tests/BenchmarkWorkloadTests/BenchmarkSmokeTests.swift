import BenchmarkWorkloads
import Foundation
import Testing

/// Every benchmark's workload at a tiny size: they must keep compiling and keep doing the work
/// they claim, or the published figures would measure something else.
@Suite struct BenchmarkSmokeTests {
    @Test func busEndToEndConsumesEveryRecordAndTheBaselineReadsThemAll() {
        let (keys, values) = Workloads.records(5000)
        #expect(Workloads.busEndToEnd(keys: keys, values: values, retention: 5000) == 5000)
        #expect(Workloads.arrayBaseline(keys: keys, values: values) == 5000 * (36 + 150))
    }

    @Test func replicatedWorkloadsConsumeAndSettleEverything() throws {
        let (keys, values) = Workloads.records(5000)
        #expect(
            Workloads.busEndToEnd(keys: keys, values: values, retention: 5000, config: Workloads.replicatedCluster)
                == 5000)
        #expect(try Workloads.fastForward(orders: 200, cluster: Workloads.replicatedCluster) == 200)
    }

    /// Records retained cost memory, and RF 3 keeps each record once where the replicas agree:
    /// less than twice one broker's bytes per record (three copies would be about three times).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/statm"), "reads Linux's /proc"))
    func retainedRecordsCostMemoryAndRf3DoesNotTripleIt() throws {
        // Other suites allocate and free beside this one: the median of three rounds keeps one
        // disturbed round from deciding.
        let measured = try #require(Workloads.retainedBytesPerRecord(60_000, rounds: 3))
        print("bytes per retained record: one broker \(measured.oneBroker), RF 3 \(measured.replicated)")
        #expect(measured.oneBroker > 100, "a record is about 190 bytes of key and value")
        #expect(measured.replicated < 2 * measured.oneBroker)
    }

    @Test func partitioningCoversEveryKey() {
        let (keys, _) = Workloads.records(300)
        let sum = Workloads.partitionAll(keys)
        #expect(sum > 0 && sum <= 300 * 2)
        #expect(Workloads.touchAll(keys) > 0)
    }

    @Test func fastForwardSettlesEveryOrderAndTheBaselineInsertsThem() throws {
        #expect(try Workloads.fastForward(orders: 200) == 200)
        #expect(try Workloads.sqliteInsertBaseline(rows: 200) == 200)
    }

    @Test func outageDrainsAfterThePaymentServiceReturns() throws {
        #expect(try Workloads.outage(orders: 20, minutes: 2) == 0)
    }

    @Test func theShippedScenarioDrains() throws {
        #expect(try Workloads.shippedScenario("happy-path"))
    }

    @Test func frameRendersAFullGrid() throws {
        let controller = try Workloads.loadedDashboard(records: 2000, orders: 100)
        #expect(Workloads.frame(controller) == 200 * 60)
        #expect(Workloads.plainGridFill() == 200 * 60)
        #expect(controller.lastSnapshot?.orderCounts.values.reduce(0, +) == 100)
    }
}
