// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "orderflow",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "orderflow", targets: ["orderflow"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // The shared event definitions: one module so the wire format cannot drift between services.
        .target(name: "Events"),
        // Kafka's broker side, in process: the cluster's logs, replicas and controller, and the
        // group coordinator. Standard library only.
        .target(name: "Bus"),
        // Kafka's client side: the producer (acks, retries, idempotence) and the consumer
        // (join, poll, commit). It calls the broker side; nothing there calls back into it.
        .target(name: "KafkaClient", dependencies: ["Bus"]),
        // The three services, each with its own SQLite database; they reach Kafka through the client.
        .target(
            name: "Services",
            dependencies: [
                "Events", "Bus", "KafkaClient",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // Virtual clock, scheduler, traffic, faults, invariants, config, reports.
        .target(
            name: "Simulation",
            dependencies: [
                "Events", "Bus", "KafkaClient", "Services",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // Snapshot → grid of styled cells, the keymap and the controller: pure, no terminal.
        .target(name: "Dashboard", dependencies: ["Bus", "Events", "Services", "Simulation"]),
        // ncurses itself, and a C shim for what Swift cannot import (macros, globals, signal flags).
        .systemLibrary(name: "CNCurses", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),
        .target(name: "CursesShim", dependencies: ["CNCurses"], linkerSettings: [.linkedLibrary("ncursesw")]),
        // The only code that talks to the terminal: blits grids, reads keys, runs the frame loop.
        .target(name: "TerminalUI", dependencies: ["Dashboard", "CNCurses", "CursesShim"]),
        .executableTarget(
            name: "orderflow",
            dependencies: [
                "Bus", "Services", "Simulation", "Dashboard", "TerminalUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // The benchmarked work and its baselines, shared by the benchmarks and their smoke test.
        .target(
            name: "BenchmarkWorkloads",
            dependencies: [
                "Bus", "Events", "Services", "Simulation", "Dashboard",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .executableTarget(
            name: "OrderflowBenchmarks",
            dependencies: [
                "BenchmarkWorkloads", "Dashboard",
                .product(name: "Benchmark", package: "benchmark"),
            ], path: "Benchmarks/OrderflowBenchmarks", plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .testTarget(name: "BenchmarkWorkloadTests", dependencies: ["BenchmarkWorkloads", "Dashboard", "Simulation"]),
        .testTarget(name: "BusTests", dependencies: ["Bus"]),
        .testTarget(name: "EventsTests", dependencies: ["Events"]),
        .testTarget(
            name: "ServicesTests",
            dependencies: [
                "Services", "KafkaClient", "Events", "Bus",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "SimulationTests",
            dependencies: [
                "Simulation", "Services", "KafkaClient", "Events", "Bus",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(name: "DashboardTests", dependencies: ["Dashboard", "Simulation", "Services", "Events", "Bus"]),
        // Runs the built executable: exit codes, one-line errors, and the dashboard under tmux.
        .testTarget(name: "CommandLineTests", dependencies: ["orderflow"]),
    ],
    swiftLanguageModes: [.v6]
)
