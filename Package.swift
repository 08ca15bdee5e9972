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
        // The argument reader of the two tools (package access only: not a product).
        .target(name: "CommandLineSupport"),
        // Test support: fixtures, the split verifier, seeded randomness (Tests/Support), and the
        // fuzz invariants, one module per layer they check, shared by the fuzz targets and the
        // tests that replay their findings.
        .target(name: "TestSupport", path: "Tests/Support"),
        .target(name: "FuzzSupport", path: "Tests/Fuzz/Support"),
        .target(name: "JSONFuzzInvariants", dependencies: ["FuzzSupport", "IncrementalJSON"], path: "Tests/Fuzz/Invariants/JSON"),
        .target(name: "PlanFuzzInvariants", dependencies: ["JSONFuzzInvariants", "PlanStream"], path: "Tests/Fuzz/Invariants/Plan"),
        .target(name: "ClientFuzzInvariants", dependencies: ["FuzzSupport", "IncrementalJSON", "PlanStream", "PlanStreamClient"],
                path: "Tests/Fuzz/Invariants/Client"),
        .executableTarget(name: "fuzz-parser", dependencies: ["JSONFuzzInvariants"], path: "Tests/Fuzz/Targets/fuzz-parser"),
        .executableTarget(name: "fuzz-repair", dependencies: ["JSONFuzzInvariants"], path: "Tests/Fuzz/Targets/fuzz-repair"),
        .executableTarget(name: "fuzz-sse", dependencies: ["ClientFuzzInvariants"], path: "Tests/Fuzz/Targets/fuzz-sse"),
        .executableTarget(name: "fuzz-snapshots", dependencies: ["PlanFuzzInvariants"], path: "Tests/Fuzz/Targets/fuzz-snapshots"),
        .executableTarget(name: "fuzz-decode", dependencies: ["JSONFuzzInvariants", "PlanFuzzInvariants"], path: "Tests/Fuzz/Targets/fuzz-decode"),
        .executableTarget(
            name: "planstream",
            dependencies: ["IncrementalJSON", "PlanStream", "PlanStreamClient", "CommandLineSupport"],
            // The plan `replay` streams when given no file (a copy of Fixtures/plan-7d.json that
            // Fixtures/generate.py writes), compiled in: the tool needs no file beside it.
            resources: [.embedInCode("Resources/default-plan.json")]
        ),
        .executableTarget(
            name: "PlanBench",
            dependencies: ["IncrementalJSON", "PlanStream", "PlanStreamClient", "CommandLineSupport"],
            path: "Benchmarks/PlanBench"
        ),
        .testTarget(
            name: "IncrementalJSONTests",
            dependencies: ["IncrementalJSON", "JSONFuzzInvariants", "TestSupport"]
        ),
        .testTarget(
            name: "PlanStreamClientTests",
            dependencies: ["PlanStreamClient", "PlanStream", "IncrementalJSON", "ClientFuzzInvariants", "TestSupport"],
            exclude: ["Server"]   // the Python replay server the tests start
        ),
        .testTarget(
            // Every README and doc-comment example, compiled (and mostly run) verbatim.
            name: "DocExampleTests",
            dependencies: ["IncrementalJSON", "PlanStream", "PlanStreamClient", "CommandLineSupport", "TestSupport"]
        ),
        .testTarget(
            name: "PlanStreamTests",
            dependencies: ["PlanStream", "IncrementalJSON", "PlanFuzzInvariants", "TestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
