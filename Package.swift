// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "orderflow",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "orderflow", targets: ["orderflow"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // The shared event definitions: one module so the wire format cannot drift between services.
        .target(name: "Events"),
        // The in-process Kafka-like broker: standard library only.
        .target(name: "Bus"),
        // The three services, each with its own SQLite database.
        .target(name: "Services", dependencies: [
            "Events", "Bus",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // Virtual clock, scheduler, traffic, faults, invariants, config, reports.
        .target(name: "Simulation", dependencies: [
            "Events", "Bus", "Services",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "orderflow", dependencies: [
            "Simulation",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "BusTests", dependencies: ["Bus"]),
        .testTarget(name: "SimulationTests", dependencies: [
            "Simulation", "Services", "Events", "Bus",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // Runs the built executable: exit codes and one-line errors.
        .testTarget(name: "CommandLineTests", dependencies: ["orderflow"]),
    ],
    swiftLanguageModes: [.v6]
)
