// swift-tools-version:6.1
import PackageDescription

/// The targets mirror the architecture (STYLE.md habit 1): a pure core, configuration files,
/// wire types shared by daemon and CLI, the store, the daemon's services, and two thin
/// executables that only wire things together.
let package = Package(
    name: "ltfu",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ltfud", targets: ["ltfud"]),
        .executable(name: "ltfuctl", targets: ["ltfuctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // Issue #22: every text a person reads, in English (the source) and Simplified Chinese.
        // Translators edit Translations/zh_CN.po; the build embeds it, so nothing is looked up at run time.
        .target(name: "LTFUL10n", exclude: ["Translations/glossary.tsv", "Translations/README.md"],
                resources: [.embedInCode("Translations/zh_CN.po")]),
        // Pure domain: dates, risk tiers, templates, calendars, statuses. No I/O, no clock.
        .target(name: "LTFUCore", dependencies: ["LTFUL10n"]),
        // TOML files (ltfud.toml, products.d, schedules.d) parsed and validated as a whole.
        // Its TOML parser is its own (Sources/LTFUConfig/TOML): a config typo must never abort the daemon.
        .target(name: "LTFUConfig", dependencies: ["LTFUCore", "LTFUL10n"]),
        // JSON shapes of SPEC §8, shared by ltfud and ltfuctl.
        .target(name: "LTFUWire", dependencies: ["LTFUCore"]),
        // Output formats rendered from the wire types, with no I/O of their own: the site report.
        .target(name: "LTFUFormats", dependencies: ["LTFUCore", "LTFUL10n", "LTFUWire"]),
        // The SQLite database (GRDB): schema, migrations, domain actions, audit chain.
        .target(name: "LTFUStore", dependencies: [
            "LTFUCore", "LTFUL10n",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // A thin shim over libsystemd: sd_journal_sendv, sd_notify, sd_watchdog_enabled.
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        // The daemon's parts: the subject registry, the control API, the services.
        .target(name: "LTFUDaemon", dependencies: [
            "LTFUCore", "LTFUL10n", "LTFUConfig", "LTFUWire", "LTFUStore", "LTFUFormats", "CSystemd",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ]),
        .executableTarget(name: "ltfud", dependencies: [
            "LTFUDaemon", "LTFUConfig",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "ltfuctl", dependencies: [
            "LTFUCore", "LTFUL10n", "LTFUConfig", "LTFUWire", "LTFUFormats",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Measures enrollment and query speed at site scale (README "Performance"); not a test.
        .executableTarget(name: "ltfu-bench", dependencies: [
            "LTFUCore", "LTFUConfig", "LTFUStore", "LTFUWire", "LTFUDaemon",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOFoundationCompat", package: "swift-nio"),
        ]),
        // Issue #11: `ltfuctl import` against raw GRDB inserts, per visit row (README "Performance").
        .executableTarget(name: "ltfu-import-bench", dependencies: [
            "LTFUCore", "LTFUStore",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "LTFUCoreTests", dependencies: ["LTFUCore", "LTFUWire"]),
        .testTarget(name: "LTFUL10nTests", dependencies: ["LTFUL10n", "LTFUCore"]),
        // Fixtures are read through #filePath, not bundled as resources.
        .testTarget(name: "LTFUConfigTests", dependencies: ["LTFUConfig"], exclude: ["Fixtures"]),
        .testTarget(name: "LTFUFormatsTests", dependencies: ["LTFUFormats", "LTFUWire"]),
        .testTarget(name: "LTFUStoreTests", dependencies: ["LTFUStore", "LTFUConfig"]),
        .testTarget(name: "LTFUDaemonTests", dependencies: [
            "LTFUDaemon",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .testTarget(name: "ltfuctlTests", dependencies: ["ltfuctl", "LTFUWire"]),
        // Starts the real binaries; depending on them makes `swift test` build them first.
        .testTarget(name: "EndToEndTests", dependencies: ["ltfud", "ltfuctl", "LTFUWire", "LTFUFormats"], exclude: ["Fixtures"]),
    ]
)
