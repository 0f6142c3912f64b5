// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "HotDesk",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "hotdesk", targets: ["hotdesk"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        // Metrics: libraries count through swift-metrics' API; the executable exposes them with swift-prometheus.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
    ],
    targets: [
        // C libraries: a module map and a shim header each, nothing else.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .systemLibrary(
            name: "CMicroHTTPD",
            pkgConfig: "libmicrohttpd",
            providers: [.apt(["libmicrohttpd-dev"])]
        ),
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]
        ),

        // The thin wrappers: the only Swift code that sees a C type.
        .target(
            name: "PostgresClient",
            dependencies: [
                "CLibPQ", .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "WebServer",
            dependencies: [
                "CMicroHTTPD", .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        .target(name: "Crypto", dependencies: ["CSodium"]),

        // The compiled Mustache engine: knows nothing of hot desking; fences in its reflection and unsafe reads.
        .target(name: "Templates"),

        // The domain: values, rules, operations (use cases), stores (SQL), the read cache, migrations.
        .target(
            name: "HotDesk",
            dependencies: [
                "PostgresClient", "Crypto", .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),

        // Screens: HTTP handlers and view models; they call HotDesk's operations.
        .target(
            name: "Portal",
            dependencies: [
                "HotDesk", "WebServer", "Templates", "Crypto",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),

        // The executable: configuration and wiring only.
        .executableTarget(
            name: "hotdesk",
            dependencies: [
                "Portal", "HotDesk", "WebServer", "PostgresClient", "Crypto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),

        .target(
            name: "TestSupport",
            dependencies: ["PostgresClient", "HotDesk", "WebServer"],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "PostgresClientTests", dependencies: ["PostgresClient", "TestSupport"]),
        .testTarget(name: "WebServerTests", dependencies: ["WebServer", "TestSupport"]),
        .testTarget(name: "CryptoTests", dependencies: ["Crypto"]),
        .testTarget(name: "TemplatesTests", dependencies: ["Templates"]),
        .testTarget(
            name: "HotDeskTests", dependencies: ["HotDesk", "PostgresClient", "Crypto", "TestSupport"],
            // Expected files, read through TestPostgres.repositoryRoot.
            exclude: ["Fixtures"]),
        .testTarget(
            name: "PortalTests",
            dependencies: ["Portal", "HotDesk", "WebServer", "PostgresClient", "Crypto", "Templates", "TestSupport"]),
        .testTarget(
            name: "HotDeskCommandTests",
            dependencies: ["hotdesk", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // Load and fault tests: a real `hotdesk serve` process on a private PostgreSQL cluster of its own.
        .testTarget(name: "ResilienceTests", dependencies: ["PostgresClient", "WebServer", "TestSupport"]),
        // Production set-ups: a real `hotdesk serve` behind a real nginx, on TLS, with metrics and JSON logs.
        .testTarget(name: "ProductionTests", dependencies: ["PostgresClient", "WebServer", "TestSupport"]),
    ]
)
