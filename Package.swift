// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "PlanStream",
    products: [
        .library(name: "IncrementalJSON", targets: ["IncrementalJSON"]),
        .executable(name: "planstream", targets: ["planstream"]),
        .executable(name: "plan-bench", targets: ["PlanBench"]),
    ],
    targets: [
        .target(name: "IncrementalJSON"),
        .executableTarget(name: "planstream", dependencies: ["IncrementalJSON"]),
        .executableTarget(
            name: "PlanBench",
            dependencies: ["IncrementalJSON"],
            path: "Benchmarks/PlanBench"
        ),
        .testTarget(
            name: "IncrementalJSONTests",
            dependencies: ["IncrementalJSON"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
