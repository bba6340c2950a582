// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "ConsentGate",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "consentgate", targets: ["consentgate"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // The C view of libcrypto. Only `Signing` imports it.
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        // Error categories, exit codes, languages: the vocabulary every module's errors share.
        .target(name: "Diagnostics", swiftSettings: strict),
        // The JSON of signed and logged documents: integer-only values, a strict parser, RFC 8785 bytes.
        .target(name: "StrictJSON", dependencies: ["Diagnostics"], swiftSettings: strict),
        .target(name: "Signing", dependencies: [
            "COpenSSL", "Diagnostics", "StrictJSON",
            .product(name: "Yams", package: "Yams"),
        ], swiftSettings: strict),
        .target(name: "PolicyEngine", dependencies: [
            "Signing", "Diagnostics",
            .product(name: "Yams", package: "Yams"),
        ], swiftSettings: strict),
        // Why a store operation failed, in words: SQLite's result codes as sentences (never the SQL), shared by the
        // three modules that own tables.
        .target(name: "StoreDiagnostics", dependencies: [
            "Diagnostics",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ], swiftSettings: strict),
        .target(name: "ConsentRecords", dependencies: [
            "Signing", "PolicyEngine", "StrictJSON", "Diagnostics", "StoreDiagnostics",
            .product(name: "GRDB", package: "GRDB.swift"),
        ], swiftSettings: strict),
        .target(name: "AuditLog", dependencies: [
            "Signing", "StrictJSON", "Diagnostics", "StoreDiagnostics",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ], swiftSettings: strict),
        .target(name: "Gate", dependencies: [
            "Signing", "PolicyEngine", "ConsentRecords", "AuditLog", "StrictJSON", "Diagnostics", "StoreDiagnostics",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .target(name: "DriveExport", dependencies: [
            "Gate", "Signing", "PolicyEngine", "ConsentRecords", "AuditLog", "StrictJSON", "Diagnostics",
        ], swiftSettings: strict),
        .target(name: "WebService", dependencies: [
            "Gate", "DriveExport", "Signing", "PolicyEngine", "ConsentRecords", "AuditLog", "StrictJSON", "Diagnostics",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .executableTarget(name: "consentgate", dependencies: [
            "Gate", "DriveExport", "WebService", "Signing", "PolicyEngine", "ConsentRecords", "AuditLog", "StrictJSON", "Diagnostics",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),
        .executableTarget(name: "consentgate-bench", dependencies: [
            "Signing", "PolicyEngine", "ConsentRecords", "AuditLog", "Gate", "DriveExport", "StrictJSON", "Diagnostics",
            "ChildProcess",
        ], path: "Benchmarks/consentgate-bench", swiftSettings: strict),
        // Hummingbird alone, answering /health and a decision-shaped POST without any ConsentGate work: the framework's
        // ceiling for the web benchmark's ratio (Benchmarks/web/framework-ceiling.sh).
        .executableTarget(name: "web-ceiling", dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
        ], path: "Benchmarks/web-ceiling", swiftSettings: strict),
        // Starts child processes with posix_spawn for the tests and the bench tool (Foundation's Process.run()
        // crashes intermittently on Linux). Not a product; no module under Sources may depend on it.
        .target(name: "ChildProcess", path: "Tests/ChildProcess", swiftSettings: strict),
        // Temporary folders that tests own and that are removed when the test lets go of them. Tests only.
        .target(name: "TestFolders", path: "Tests/TestFolders", swiftSettings: strict),
        // Seeded mutation fuzzing shared by the test targets that fuzz their parsers. Tests only.
        .target(name: "FuzzSupport", path: "Tests/FuzzSupport", swiftSettings: strict),

        .testTarget(name: "ChildProcessTests", dependencies: ["ChildProcess"], swiftSettings: strict),
        .testTarget(name: "StrictJSONTests", dependencies: ["StrictJSON", "Diagnostics", "FuzzSupport"], swiftSettings: strict),
        .testTarget(name: "SigningTests", dependencies: ["Signing", "Diagnostics", "ChildProcess", "TestFolders", "FuzzSupport"],
                    resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "PolicyEngineTests", dependencies: [
            "PolicyEngine", "Signing", "Diagnostics", "FuzzSupport", "TestFolders",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "ConsentRecordsTests", dependencies: ["StoreDiagnostics", "ConsentRecords", "PolicyEngine", "Signing", "StrictJSON", "Diagnostics", "ChildProcess", "TestFolders", "FuzzSupport", .product(name: "GRDB", package: "GRDB.swift")],
                    resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "AuditLogTests", dependencies: ["StoreDiagnostics", "AuditLog", "Signing", "StrictJSON", "Diagnostics", "ChildProcess", "TestFolders", "FuzzSupport", .product(name: "GRDB", package: "GRDB.swift")],
                    resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "GateTests", dependencies: ["StoreDiagnostics", "Gate", "PolicyEngine", "ConsentRecords", "AuditLog", "Signing", "StrictJSON", "Diagnostics", "ChildProcess", "TestFolders", .product(name: "GRDB", package: "GRDB.swift")],
                    resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "DriveExportTests", dependencies: ["DriveExport", "Gate", "PolicyEngine", "AuditLog", "Signing", "StrictJSON", "Diagnostics", "ChildProcess", "TestFolders", "FuzzSupport",
                                                         .product(name: "GRDB", package: "GRDB.swift")],
                    resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "WebServiceTests", dependencies: [
            "WebService", "Gate", "StoreDiagnostics", "DriveExport", "StrictJSON", "Diagnostics", "Signing", "AuditLog", "ChildProcess", "TestFolders", "FuzzSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "CLITests", dependencies: ["Signing", "Diagnostics", "ChildProcess", "TestFolders"],
                    resources: [.copy("Fixtures")], swiftSettings: strict),
    ]
)
