// swift-tools-version: 6.0
// ClarifyCoder — clarification-aware fine-tuning and evaluation of code LLMs, in Swift.
// The targets follow the layering of DESIGN.md: lower layers never import higher ones.
import PackageDescription

/// Flags for numeric code. `-march=x86-64-v3` gives Swift SIMD code AVX2/FMA/F16C (without it
/// `addProduct` becomes a library call per lane); `-Ounchecked` only matters in release.
let numericSwiftSettings: [SwiftSetting] = [
    .unsafeFlags(["-Xcc", "-march=x86-64-v3"]),
    .unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "ClarifyCoder",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "clarifycoder", targets: ["clarifycoder"]),
        .library(name: "ClarifyCore", targets: ["ClarifyCore"]),
        .library(name: "Backends", targets: ["Backends"]),
        .library(name: "BackendsTesting", targets: ["BackendsTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // Layer 0
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .target(name: "ClarifyCore"),
        // Layer 3: model backends (ChatModel, OpenAI-compatible client, response cache).
        .target(
            name: "Backends",
            dependencies: [
                "ClarifyCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ]
        ),
        // A fake OpenAI-compatible server with injected faults, shared by tests and benchmarks.
        .target(
            name: "BackendsTesting",
            dependencies: [
                "Backends",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "clarifycoder-http-bench",
            dependencies: ["Backends", "BackendsTesting"],
            path: "Sources/HTTPBench"
        ),
        // Layer 6: the CLI only.
        .executableTarget(
            name: "clarifycoder",
            dependencies: [
                "ClarifyCore",
                "Backends",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "ClarifyCoreTests", dependencies: ["ClarifyCore"]),
        .testTarget(name: "BackendsTests", dependencies: ["Backends", "BackendsTesting"]),
        .testTarget(name: "CLITests", dependencies: ["clarifycoder", "Backends", "BackendsTesting"]),
    ]
)
