// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "PlanStream",
    products: [
        .library(name: "IncrementalJSON", targets: ["IncrementalJSON"]),
        .library(name: "PlanStream", targets: ["PlanStream"]),
        .executable(name: "planstream", targets: ["planstream"]),
        .executable(name: "plan-bench", targets: ["PlanBench"]),
    ],
    targets: [
        .target(name: "IncrementalJSON"),
        .target(name: "PlanStream", dependencies: ["IncrementalJSON"]),
        .executableTarget(name: "planstream", dependencies: ["IncrementalJSON", "PlanStream"]),
        .executableTarget(
            name: "PlanBench",
            dependencies: ["IncrementalJSON", "PlanStream"],
            path: "Benchmarks/PlanBench"
        ),
        .testTarget(
            name: "IncrementalJSONTests",
            dependencies: ["IncrementalJSON"]
        ),
        .testTarget(
            name: "PlanStreamTests",
            dependencies: ["PlanStream", "IncrementalJSON"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
