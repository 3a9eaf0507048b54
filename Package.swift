// swift-tools-version: 6.2
import Foundation
import PackageDescription

/// Settings every target shares: Swift 6 language mode plus the upcoming features that keep
/// imports honest (see style.md §1).
let strictSettings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
  .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
  name: "salvage",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "salvage", targets: ["salvage"]),
    .executable(name: "salvage-bench", targets: ["salvage-bench"]),
  ],
  dependencies: [
    .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
    .package(url: "https://github.com/grpc/grpc-swift-2", exact: "2.4.3"),
    .package(url: "https://github.com/grpc/grpc-swift-nio-transport", exact: "2.9.2"),
    .package(url: "https://github.com/grpc/grpc-swift-protobuf", exact: "2.4.1"),
    .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
    .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
    .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
  ],
  targets: [
    .target(
      name: "SalvageCore",
      dependencies: [.product(name: "Crypto", package: "swift-crypto")],
      swiftSettings: strictSettings
    ),
    // The hand-written JSON reader and canonical encoder: storage code the adapters import, so
    // Core stays on Codable (style.md §9). Foundation only.
    .target(
      name: "SalvageJSON",
      swiftSettings: strictSettings
    ),
    .target(
      name: "SalvageJournal",
      dependencies: [
        "SalvageCore",
        "SalvageJSON",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      swiftSettings: strictSettings
    ),
    .target(
      name: "SalvageTemporal",
      dependencies: [
        "SalvageCore", "SalvageJSON",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
        .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
        .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        .product(name: "TOMLKit", package: "TOMLKit"),
      ],
      swiftSettings: strictSettings
    ),
    .target(
      name: "SalvageCLI",
      dependencies: [
        "SalvageCore",
        "SalvageJournal",
        "SalvageTemporal",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
      ],
      swiftSettings: strictSettings,
      plugins: ["BuildCommit"]
    ),
    // `salvage --version` names the commit it was built from: the plugin runs this tool whenever
    // git's HEAD moves.
    .executableTarget(
      name: "salvage-build-commit",
      swiftSettings: strictSettings
    ),
    .plugin(
      name: "BuildCommit",
      capability: .buildTool(),
      dependencies: ["salvage-build-commit"]
    ),
    .executableTarget(
      name: "salvage",
      dependencies: ["SalvageCLI"],
      swiftSettings: strictSettings
    ),
    .executableTarget(
      name: "salvage-bench",
      dependencies: ["SalvageCore", "SalvageJournal", "SalvageTemporal"],
      swiftSettings: strictSettings
    ),
    // Fakes for tests that link only Core: the in-process cluster, in-memory journals, clocks.
    .target(
      name: "SalvageFakes",
      dependencies: ["SalvageCore"],
      swiftSettings: strictSettings
    ),
    .target(
      name: "SalvageTestSupport",
      dependencies: [
        "SalvageCore", "SalvageFakes", "SalvageTemporal",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
      ],
      swiftSettings: strictSettings
    ),
    .testTarget(
      name: "SalvageCoreTests",
      dependencies: ["SalvageCore", "SalvageFakes"],
      swiftSettings: strictSettings
    ),
    .testTarget(
      name: "SalvageJSONTests",
      dependencies: [
        "SalvageJSON", "SalvageCore", "SalvageJournal", "SalvageFakes",
      ],
      swiftSettings: strictSettings
    ),
    .testTarget(
      name: "SalvageJournalTests",
      dependencies: [
        "SalvageCore",
        "SalvageJournal",
        "SalvageFakes",
        .product(name: "GRDB", package: "GRDB.swift"),
      ],
      swiftSettings: strictSettings
    ),
    // The runner driving the whole runbook in process: over the SQLite journal (or an in-memory
    // one) and the in-process cluster, crashes, take-overs and the server's late effects included.
    .testTarget(
      name: "SalvageRunnerTests",
      dependencies: [
        "SalvageCore", "SalvageJournal", "SalvageFakes",
        .product(name: "GRDB", package: "GRDB.swift"),
      ],
      swiftSettings: strictSettings
    ),
    .testTarget(
      name: "SalvageTemporalTests",
      dependencies: [
        "SalvageCore", "SalvageFakes", "SalvageTemporal", "SalvageTestSupport",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        .product(name: "GRPCCore", package: "grpc-swift-2"),
      ],
      swiftSettings: strictSettings
    ),
    .testTarget(
      name: "SalvageCLITests",
      dependencies: [
        "SalvageCLI", "SalvageCore", "SalvageFakes", "SalvageJournal", "SalvageTemporal",
        "SalvageTestSupport",
        "salvage",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        .product(name: "GRDB", package: "GRDB.swift"),
      ],
      // Read from the source tree by path (#filePath), not bundled.
      exclude: ["Golden", "Fixtures"],
      swiftSettings: strictSettings
    ),
  ],
  swiftLanguageModes: [.v6]
)

// The fuzzers (tools/fuzz) are not products of the default build. The libFuzzer entry point exists
// only when SALVAGE_LIBFUZZER is set: tools/fuzz --libfuzzer builds it in its own scratch folder with
// `--sanitize fuzzer --sanitize address` (libFuzzer supplies `main`; swift-crypto's C is
// instrumented too), linking SalvageCore with its dependencies as SwiftPM builds them. SwiftPM
// hands swiftc those as two -sanitize= flags and the last wins, so the fuzzed Swift modules ask for
// both in one flag. The package is then only those modules and the entry point: swiftc sanitizing
// for the fuzzer parses every module as a library, which the build plugin's tool (top-level code)
// is not. It shares PayloadInput.swift with the seeded fuzzer, so the two are never in one build.
if ProcessInfo.processInfo.environment["SALVAGE_LIBFUZZER"] != nil {
  let fuzzed: [SwiftSetting] = [.unsafeFlags(["-sanitize=fuzzer,address"])]
  package.products = []
  package.targets = package.targets.filter { ["SalvageCore", "SalvageJSON"].contains($0.name) }
  for target in package.targets {
    target.swiftSettings = (target.swiftSettings ?? []) + fuzzed
  }
  package.targets.append(
    .executableTarget(
      name: "salvage-libfuzzer",
      dependencies: ["SalvageCore", "SalvageJSON"],
      path: "Sources/salvage-fuzz",
      sources: ["PayloadInput.swift", "CoreLibFuzzer.swift"],
      swiftSettings: strictSettings + [.define("LIBFUZZER")] + fuzzed
    ))
} else if ProcessInfo.processInfo.environment["SALVAGE_FUZZ"] != nil {
  // The seeded fuzzer exists only when SALVAGE_FUZZ is set, and uses `@testable import`, so it
  // builds in debug only.
  package.targets.append(
    .executableTarget(
      name: "salvage-fuzz",
      dependencies: ["SalvageCore", "SalvageJSON", "SalvageJournal", "SalvageTemporal"],
      swiftSettings: strictSettings
    ))
}
