import Foundation

/// The layering of docs/design.md as data: each target's layer and the modules it may import.
///
/// A target may import project targets of lower layers only (so peers such as `Synth` and `Eval`
/// never import each other), the external products listed for it, and the platform modules. A new
/// target, or a new import, must be added here — on purpose, next to its layer.
enum Layering {
    /// Modules of the toolchain and the operating system, allowed everywhere.
    static let platform: Set<String> = ["Foundation", "Dispatch", "Synchronization", "Glibc", "Darwin", "Musl"]

    struct Rule {
        /// The layer of docs/design.md; a half step orders a target above another of the same
        /// layer that it builds on (`Execution` on `Sandbox`).
        var layer: Double
        /// Project targets this target may import (each must sit on a lower layer).
        var targets: Set<String>
        /// Products of package dependencies and system-library modules.
        var external: Set<String> = []
    }

    /// Targets with Swift sources, under Sources/ and Benchmarks/. The C targets (`COpenBLAS`,
    /// `CZlibInflate`, `CSandboxSpawn`) are layer 0 and import nothing of ours.
    static let rules: [String: Rule] = [
        "ClarifyCore": Rule(layer: 0, targets: [], external: ["CZlibInflate", "ZIPFoundation", "Crypto"]),
        "Tensor": Rule(layer: 1, targets: [], external: ["COpenBLAS"]),
        "LLM": Rule(layer: 2, targets: ["ClarifyCore", "Tensor"], external: ["COpenBLAS", "CQuantKernels"]),
        "Sandbox": Rule(layer: 3, targets: ["ClarifyCore"], external: ["CSandboxSpawn"]),
        "Execution": Rule(layer: 3.5, targets: ["ClarifyCore", "Sandbox"]),
        "Backends": Rule(
            layer: 3, targets: ["ClarifyCore", "LLM", "Tensor"],
            external: ["AsyncHTTPClient", "NIOCore", "NIOHTTP1", "NIOFoundationCompat"]),
        // The fake OpenAI-compatible server of the tests and the HTTP benchmark: above Backends.
        "BackendsTesting": Rule(
            layer: 4, targets: ["Backends"], external: ["NIOCore", "NIOPosix", "NIOHTTP1", "NIOFoundationCompat"]),
        "Synth": Rule(layer: 4, targets: ["ClarifyCore", "Backends", "Sandbox", "Execution"]),
        "Eval": Rule(
            layer: 4, targets: ["ClarifyCore", "LLM", "Sandbox", "Execution", "Backends"], external: ["GRDB"]),
        "Pipeline": Rule(
            layer: 5,
            targets: ["ClarifyCore", "Synth", "Eval", "Backends", "Sandbox", "Execution", "LLM", "Tensor"],
            external: ["Yams"]),
        // `clarifycoder serve`: HTTP over the local engine; beside Pipeline, neither imports the other.
        "Server": Rule(
            layer: 5, targets: ["ClarifyCore", "Backends", "LLM"], external: ["Hummingbird", "Logging", "NIOCore"]),
        "clarifycoder": Rule(
            layer: 6,
            targets: [
                "ClarifyCore", "Synth", "Sandbox", "Execution", "Eval", "Backends", "LLM", "Tensor", "Pipeline", "Server",
            ],
            external: ["ArgumentParser"]),
        // Benchmark drivers (Benchmarks/): on top, beside the CLI; nothing imports them.
        "EngineBench": Rule(layer: 7, targets: ["Tensor"], external: ["ArgumentParser"]),
        "LLMBench": Rule(layer: 7, targets: ["LLM"], external: ["ArgumentParser"]),
        "DecodeBench": Rule(layer: 7, targets: ["LLM", "Tensor"], external: ["ArgumentParser"]),
        "HTTPBench": Rule(
            layer: 7, targets: ["Backends", "BackendsTesting", "ClarifyCore"],
            external: ["ArgumentParser", "AsyncHTTPClient", "NIOCore", "NIOHTTP1"]),
    ]

    /// One import that the table does not allow.
    struct Violation: Hashable, CustomStringConvertible {
        var file: String
        var line: Int
        var target: String
        var module: String
        var description: String { "\(file):\(line): \(target) imports \(module), which its layer does not allow" }
    }

    /// The modules a Swift file imports, with their line numbers. Text inside multi-line string
    /// literals (the embedded Python programs) is skipped; `import struct M.T` counts as `M`.
    static func imports(in source: String) -> [(line: Int, module: String)] {
        var found: [(Int, String)] = []
        var inString = false
        for (index, raw) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let wasInString = inString
            if line.components(separatedBy: "\"\"\"").count % 2 == 0 { inString.toggle() }
            guard !wasInString, let module = importedModule(line) else { continue }
            found.append((index + 1, module))
        }
        return found
    }

    private static let kinds: Set<String> = ["struct", "class", "enum", "protocol", "typealias", "func", "let", "var"]

    private static func importedModule(_ line: String) -> String? {
        var words = line.split(separator: " ").map(String.init)
        while let first = words.first, first.hasPrefix("@") || ["public", "internal", "package", "private",
            "fileprivate"].contains(first) {
            words.removeFirst()
        }
        guard words.first == "import", words.count >= 2 else { return nil }
        let name = kinds.contains(words[1]) && words.count >= 3 ? words[2] : words[1]
        return name.split(separator: ".").first.map(String.init)
    }

    /// The imports of `source` (a file of `target`) that the table does not allow.
    static func violations(target: String, file: String, source: String) -> [Violation] {
        let rule = rules[target]
        return imports(in: source).compactMap { line, module in
            if platform.contains(module) { return nil }
            if let rule, rule.targets.contains(module) || rule.external.contains(module) { return nil }
            return Violation(file: file, line: line, target: target, module: module)
        }
    }
}
