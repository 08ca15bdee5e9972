// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "PlanStream",
    // Mutex (Synchronization) and Duration set the floor.
    platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2)],
    products: [
        .library(name: "IncrementalJSON", targets: ["IncrementalJSON"]),
        .library(name: "PlanStream", targets: ["PlanStream"]),
        .library(name: "PlanStreamClient", targets: ["PlanStreamClient"]),
        .executable(name: "planstream", targets: ["planstream"]),
        .executable(name: "plan-bench", targets: ["PlanBench"]),
    ],
    targets: [
        .target(name: "IncrementalJSON"),
        .target(name: "PlanStream", dependencies: ["IncrementalJSON"]),
        .target(name: "PlanStreamClient", dependencies: ["PlanStream", "IncrementalJSON"]),
        // The fuzz invariants, shared by the fuzz targets and the test that replays their findings.
        .target(name: "FuzzInvariants", dependencies: ["IncrementalJSON", "PlanStream", "PlanStreamClient"]),
        .executableTarget(name: "fuzz-parser", dependencies: ["FuzzInvariants"], path: "Tests/Fuzz/Targets/fuzz-parser"),
        .executableTarget(name: "fuzz-repair", dependencies: ["FuzzInvariants"], path: "Tests/Fuzz/Targets/fuzz-repair"),
        .executableTarget(name: "fuzz-sse", dependencies: ["FuzzInvariants"], path: "Tests/Fuzz/Targets/fuzz-sse"),
        .executableTarget(name: "fuzz-snapshots", dependencies: ["FuzzInvariants"], path: "Tests/Fuzz/Targets/fuzz-snapshots"),
        .executableTarget(name: "fuzz-decode", dependencies: ["FuzzInvariants"], path: "Tests/Fuzz/Targets/fuzz-decode"),
        .executableTarget(name: "planstream", dependencies: ["IncrementalJSON", "PlanStream", "PlanStreamClient"]),
        .executableTarget(
            name: "PlanBench",
            dependencies: ["IncrementalJSON", "PlanStream", "PlanStreamClient"],
            path: "Benchmarks/PlanBench"
        ),
        .testTarget(
            name: "IncrementalJSONTests",
            dependencies: ["IncrementalJSON", "FuzzInvariants"]
        ),
        .testTarget(
            name: "PlanStreamClientTests",
            dependencies: ["PlanStreamClient", "PlanStream", "IncrementalJSON"],
            exclude: ["Server"]   // the Python replay server the tests start
        ),
        .testTarget(
            name: "PlanStreamTests",
            dependencies: ["PlanStream", "IncrementalJSON", "FuzzInvariants"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
