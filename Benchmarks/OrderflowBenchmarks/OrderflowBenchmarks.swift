import Benchmark
import BenchmarkWorkloads
import Foundation

/// Each benchmark times its workload and, in the same run, its baseline; the ratio is a custom
/// metric so a noisy machine shows up in both and cancels out.
let benchmarks: @Sendable () -> Void = {
    let quick = ProcessInfo.processInfo.environment["ORDERFLOW_BENCH_QUICK"] != nil
    let busRecords = quick ? 200_000 : 10_000_000
    let ratio = BenchmarkMetric.custom("time ÷ baseline ×100", polarity: .prefersSmaller, useScalingFactor: false)
    let perSecond = BenchmarkMetric.custom("items/s (thousands)", polarity: .prefersLarger, useScalingFactor: false)
    let nanos = BenchmarkMetric.custom("ns per item", polarity: .prefersSmaller, useScalingFactor: false)
    let oneBrokerBytes = BenchmarkMetric.custom(
        "bytes per record, one broker", polarity: .prefersSmaller, useScalingFactor: false)
    let replicatedBytes = BenchmarkMetric.custom(
        "bytes per record, RF 3", polarity: .prefersSmaller, useScalingFactor: false)
    let memoryRatio = BenchmarkMetric.custom(
        "RF 3 bytes ÷ one broker's ×100", polarity: .prefersSmaller, useScalingFactor: false)
    let micros = BenchmarkMetric.custom("frame median (µs)", polarity: .prefersSmaller, useScalingFactor: false)
    let microsP99 = BenchmarkMetric.custom("frame p99 (µs)", polarity: .prefersSmaller, useScalingFactor: false)
    let snapshotMicros = BenchmarkMetric.custom(
        "of which snapshot, median (µs)", polarity: .prefersSmaller, useScalingFactor: false)
    func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
    let clock = ContinuousClock()

    Benchmark(
        "1 bus end to end (10M records, vs array)",
        configuration: .init(
            metrics: [.wallClock, .peakMemoryResident, ratio, perSecond], maxDuration: .seconds(120),
            maxIterations: 3)
    ) { benchmark in
        let (keys, values) = Workloads.records(busRecords)
        benchmark.startMeasurement()
        var consumed = 0
        let bus = clock.measure { consumed = Workloads.busEndToEnd(keys: keys, values: values) }
        benchmark.stopMeasurement()
        var sink = 0
        let base = clock.measure { sink = Workloads.arrayBaseline(keys: keys, values: values) }
        blackHole(sink)
        precondition(consumed == busRecords)
        benchmark.measurement(perSecond, Int(Double(busRecords) / seconds(bus) / 1000))
        benchmark.measurement(ratio, Int(seconds(bus) / seconds(base) * 100))
    }

    Benchmark(
        "1m memory per retained record, RF 3 (vs one broker)",
        configuration: .init(
            // Once, without warm-up: the resident set keeps what an earlier run freed.
            metrics: [.wallClock, oneBrokerBytes, replicatedBytes, memoryRatio], warmupIterations: 0,
            maxDuration: .seconds(120), maxIterations: 1)
    ) { benchmark in
        let records = busRecords / 10
        benchmark.startMeasurement()
        let measured = Workloads.retainedBytesPerRecord(records)
        benchmark.stopMeasurement()
        guard let measured else { return }
        benchmark.measurement(oneBrokerBytes, Int(measured.oneBroker))
        benchmark.measurement(replicatedBytes, Int(measured.replicated))
        benchmark.measurement(memoryRatio, Int(measured.replicated / measured.oneBroker * 100))
    }

    Benchmark(
        "1r bus end to end, RF 3 and acks=all (vs one broker)",
        configuration: .init(
            metrics: [.wallClock, .peakMemoryResident, ratio, perSecond], maxDuration: .seconds(120),
            maxIterations: 3)
    ) { benchmark in
        let records = busRecords / 5
        let (keys, values) = Workloads.records(records)
        benchmark.startMeasurement()
        var consumed = 0
        let replicated = clock.measure {
            consumed = Workloads.busEndToEnd(keys: keys, values: values, config: Workloads.replicatedCluster)
        }
        benchmark.stopMeasurement()
        var single = 0
        let base = clock.measure { single = Workloads.busEndToEnd(keys: keys, values: values) }
        precondition(consumed == records && single == records)
        benchmark.measurement(perSecond, Int(Double(records) / seconds(replicated) / 1000))
        benchmark.measurement(ratio, Int(seconds(replicated) / seconds(base) * 100))
    }

    Benchmark(
        "2 murmur2 on 36-byte keys (vs reading the bytes)",
        configuration: .init(metrics: [.wallClock, ratio, nanos], maxDuration: .seconds(30), maxIterations: 5)
    ) { benchmark in
        let (keys, _) = Workloads.records(1_000_000)
        benchmark.startMeasurement()
        var sum = 0
        let hash = clock.measure { sum = Workloads.partitionAll(keys) }
        benchmark.stopMeasurement()
        let base = clock.measure { sum &+= Workloads.touchAll(keys) }
        blackHole(sum)
        benchmark.measurement(nanos, Int(seconds(hash) / Double(keys.count) * 1e9))
        benchmark.measurement(ratio, Int(seconds(hash) / seconds(base) * 100))
    }

    Benchmark(
        "3 fast-forward simulation (orders completed per second)",
        configuration: .init(
            metrics: [.wallClock, .peakMemoryResident, perSecond, ratio], maxDuration: .seconds(120),
            maxIterations: 3)
    ) { benchmark in
        let orders = quick ? 2_000 : 100_000
        benchmark.startMeasurement()
        var completed = 0
        let run = clock.measure { completed = (try? Workloads.fastForward(orders: orders)) ?? 0 }
        benchmark.stopMeasurement()
        precondition(completed == orders)
        var inserted = 0
        let base = clock.measure { inserted = (try? Workloads.sqliteInsertBaseline(rows: orders)) ?? 0 }
        precondition(inserted == orders)
        benchmark.measurement(perSecond, Int(Double(completed) / seconds(run) / 1000))
        benchmark.measurement(ratio, Int(seconds(run) / seconds(base) * 100))
    }

    Benchmark(
        "3r fast-forward with RF 3 and acks=all (vs one broker)",
        configuration: .init(
            metrics: [.wallClock, .peakMemoryResident, perSecond, ratio], maxDuration: .seconds(120),
            maxIterations: 3)
    ) { benchmark in
        let orders = quick ? 2_000 : 30_000
        benchmark.startMeasurement()
        var completed = 0
        let run = clock.measure {
            completed = (try? Workloads.fastForward(orders: orders, cluster: Workloads.replicatedCluster)) ?? 0
        }
        benchmark.stopMeasurement()
        var single = 0
        let base = clock.measure { single = (try? Workloads.fastForward(orders: orders)) ?? 0 }
        precondition(completed == orders && single == orders)
        benchmark.measurement(perSecond, Int(Double(completed) / seconds(run) / 1000))
        benchmark.measurement(ratio, Int(seconds(run) / seconds(base) * 100))
    }

    Benchmark(
        "3b 20-minute outage with 312 orders, headless",
        configuration: .init(metrics: [.wallClock], maxDuration: .seconds(30), maxIterations: 10)
    ) { _ in
        let pending = try Workloads.outage()
        precondition(pending == 0)
    }

    Benchmark(
        "3c outage-312 as shipped, headless (the whole scenario)",
        configuration: .init(metrics: [.wallClock, .peakMemoryResident], maxDuration: .seconds(60), maxIterations: 10)
    ) { _ in
        let drained = try Workloads.shippedScenario("outage-312")
        precondition(drained)
    }

    Benchmark(
        "4 dashboard frame at 200x60 (1M records, 100k orders)",
        configuration: .init(
            metrics: [.peakMemoryResident, micros, microsP99, snapshotMicros, ratio], maxDuration: .seconds(300),
            maxIterations: 1)
    ) { benchmark in
        // The loaded world is built outside the measurement; then each frame is timed alone.
        let controller = try Workloads.loadedDashboard(
            records: quick ? 20_000 : 1_000_000, orders: quick ? 2_000 : 100_000)
        var times: [Double] = []
        var snapshots: [Double] = []
        var fills: [Double] = []
        for _ in 0..<(quick ? 50 : 1000) {
            var cells = 0
            times.append(seconds(clock.measure { cells = Workloads.frame(controller) }) * 1e6)
            snapshots.append(seconds(clock.measure { blackHole(controller.simulation.snapshot()) }) * 1e6)
            fills.append(seconds(clock.measure { cells &+= Workloads.plainGridFill() }) * 1e6)
            blackHole(cells)
        }
        times.sort()
        snapshots.sort()
        fills.sort()
        benchmark.measurement(ratio, Int(times[times.count / 2] / fills[fills.count / 2] * 100))
        benchmark.measurement(micros, Int(times[times.count / 2]))
        benchmark.measurement(microsP99, Int(times[times.count * 99 / 100]))
        benchmark.measurement(snapshotMicros, Int(snapshots[snapshots.count / 2]))
    }
}
