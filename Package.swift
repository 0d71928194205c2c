// swift-tools-version:6.1
import PackageDescription

/// The targets mirror the architecture (STYLE.md habit 1):
/// a pure core, configuration files, wire types shared by daemon and CLI, and thin executables.
let package = Package(
    name: "ltfu",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ltfuctl", targets: ["ltfuctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // Pure domain: dates, risk tiers, templates, calendars. No I/O, no clock.
        .target(name: "LTFUCore"),
        // TOML files (products.d, schedules.d, ltfud.toml) parsed and validated as a whole.
        .target(name: "LTFUConfig", dependencies: [
            "LTFUCore",
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        // JSON shapes of SPEC §8, shared by ltfud and ltfuctl.
        .target(name: "LTFUWire", dependencies: ["LTFUCore"]),
        .executableTarget(name: "ltfuctl", dependencies: [
            "LTFUCore", "LTFUConfig", "LTFUWire",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "LTFUCoreTests", dependencies: ["LTFUCore"]),
        .testTarget(name: "LTFUConfigTests", dependencies: ["LTFUConfig"]),
        // Starts the real binaries; depending on them makes `swift test` build them first.
        .testTarget(name: "EndToEndTests", dependencies: ["ltfuctl", "LTFUWire"]),
    ]
)
