// swift-tools-version:6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

// Linux only: the worker's process layer uses PR_SET_PDEATHSIG, /proc and glibc's POSIX_SPAWN_SETSID
// (Sources/QueueWorker/Process/LinuxOnly.swift stops a build elsewhere with one line). No Apple platform is
// declared because none is supported.
let package = Package(
    name: "queuectl",
    products: [
        // The lean command line (SQLite store, workers) and its sibling with the server half (PostgreSQL store,
        // dashboard), which `queuectl` executes in its place when a command needs it: see `ServerHalf`.
        .executable(name: "queuectl", targets: ["queuectl"]),
        .executable(name: "queuectl-server", targets: ["queuectl-server"]),
        .executable(name: "queuectl-store-bench", targets: ["StoreBenchmark"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // Glibc-only rendering that QueueCore and the start-up fast path share (the fast path loads no Foundation).
        .target(name: "QueueFormatting", swiftSettings: strictSettings),
        .target(
            name: "QueueCore",
            dependencies: ["QueueFormatting", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        // sqlite3_db_config is variadic, out of Swift's reach: one small C wrapper.
        .target(name: "CQueueSQLite", linkerSettings: [.linkedLibrary("sqlite3")]),
        // The wake-up sockets of processes sharing a SQLite file (Glibc only): the store's and the fast path's enqueue.
        .target(name: "QueueWakeup", swiftSettings: strictSettings),
        .target(
            name: "QueueStoreSQLite",
            dependencies: ["QueueCore", "CQueueSQLite", "QueueWakeup", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "QueueStorePostgres",
            dependencies: [
                "QueueCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(name: "CQueueSpawn"),
        .target(
            name: "QueueWorker",
            dependencies: [
                "QueueCore", "CQueueSpawn",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // Every user-level operation once, under both surfaces (the CLI and the dashboard).
        .target(
            name: "QueueOperations",
            dependencies: ["QueueCore", "QueueWorker"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "QueueDashboard",
            dependencies: [
                "QueueCore", "QueueOperations",
                .product(name: "Hummingbird", package: "hummingbird"),
                // The idle timeout and the connection cap (`HTTP1Channel`, `MaximumAvailableConnections`).
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "QueueCLI",
            // Nothing here may pull in NIO, BoringSSL, Hummingbird or postgres-nio: the lean `queuectl` links
            // this module alone (BlackBoxTests/LeanExecutableTests checks the binary).
            dependencies: [
                "QueueCore", "QueueFormatting", "QueueOperations", "QueueStoreSQLite", "QueueWorker",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The server half: the PostgreSQL store and the dashboard, behind `QueueCLI.ServerHalf`.
        .target(
            name: "QueueCLIServer",
            dependencies: ["QueueCLI", "QueueCore", "QueueStorePostgres", "QueueDashboard"],
            swiftSettings: strictSettings
        ),
        // The start-up fast path of the hot commands on SQLite (issue 16): the C API and Glibc only, tried before
        // the full command line (see `FastPath`).
        .target(name: "QueueFastPath", dependencies: ["CQueueSQLite", "QueueFormatting", "QueueWakeup"], swiftSettings: strictSettings),
        // A release `queuectl` is one static executable (glibc, libstdc++ and SQLite linked in): no dynamic loader
        // and no shared libraries to map and relocate at each start, half the CPU of a `status` (bench/RESULTS.md).
        // `queuectl-server` stays dynamic: NIO resolves host names through glibc's NSS, which a static glibc
        // can only reach by loading the same glibc's modules at run time.
        .executableTarget(
            name: "queuectl", dependencies: ["QueueCLI", "QueueFastPath"], swiftSettings: strictSettings,
            linkerSettings: [
                .unsafeFlags(["-static-executable"], .when(platforms: [.linux], configuration: .release)),
                // The functions the worker daemon runs, next to each other at the start of the code (lld places
                // them in the file's order): it maps 64 KiB around each page it touches, so scattered they made
                // most of its resident memory (bench/symbol_order.py; bench/RESULTS.md, "Worker daemon memory").
                .unsafeFlags(
                    ["-use-ld=lld", "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/scripts/queuectl.order",
                     "-Xlinker", "--no-warn-symbol-ordering"],
                    .when(platforms: [.linux], configuration: .release)),
            ]),
        .executableTarget(
            name: "queuectl-server", dependencies: ["QueueCLI", "QueueCLIServer"], swiftSettings: strictSettings),
        // bench/store_throughput.sh: claim + complete through the store API, no processes spawned.
        .executableTarget(
            name: "StoreBenchmark",
            dependencies: ["QueueCore", "QueueStoreSQLite", "QueueStorePostgres"],
            path: "bench/StoreBenchmark",
            swiftSettings: strictSettings
        ),
        .target(
            name: "QueueTestSupport",
            dependencies: [
                "QueueCore", "QueueStoreSQLite", "QueueStorePostgres",
                // Only for SQLiteSchema, the fixture that reads sqlite_master.
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Tests/QueueTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(name: "QueueCoreTests", dependencies: ["QueueCore"], swiftSettings: strictSettings),
        .testTarget(
            name: "StoreContractTests",
            dependencies: ["QueueCore", "QueueTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WorkerTests",
            dependencies: ["QueueCore", "QueueWorker", "QueueTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "QueueOperationsTests",
            dependencies: ["QueueCore", "QueueOperations", "QueueTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DashboardTests",
            dependencies: [
                "QueueCore", "QueueDashboard", "QueueTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "QueueCLITests",
            dependencies: ["QueueCLI", "QueueCLIServer", "QueueCore", "QueueStorePostgres", "QueueTestSupport"],
            swiftSettings: strictSettings
        ),
        // Runs the built `queuectl` and `queuectl-server` as a user would (processes, exit codes, stdout/stderr);
        // QueueCLITests calls the QueueCLI module in-process.
        .testTarget(
            name: "BlackBoxTests",
            dependencies: ["QueueCore", "QueueTestSupport"],
            swiftSettings: strictSettings
        ),
    ]
)
