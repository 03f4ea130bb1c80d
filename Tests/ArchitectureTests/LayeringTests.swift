import Foundation
import Testing

/// The package root, found from this file's path (Tests/ArchitectureTests/LayeringTests.swift).
private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Every Swift target folder under Sources/ and Benchmarks/, with its Swift files (relative paths).
private func targetFolders() throws -> [(target: String, files: [String])] {
    let fm = FileManager.default
    var folders: [(String, [String])] = []
    for parent in ["Sources", "Benchmarks"] {
        let base = packageRoot.appendingPathComponent(parent)
        for name in try fm.contentsOfDirectory(atPath: base.path).sorted() {
            guard let walker = fm.enumerator(atPath: base.appendingPathComponent(name).path) else { continue }
            let files = walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.sorted()
            if !files.isEmpty { folders.append((name, files.map { "\(parent)/\(name)/\($0)" })) }
        }
    }
    return folders
}

@Suite("Layering")
struct LayeringTests {
    @Test("every target imports only what its layer allows")
    func importsFollowTheLayers() throws {
        let folders = try targetFolders()
        try #require(folders.count >= 10, "found \(folders.count) targets under \(packageRoot.path)")
        var violations: [Layering.Violation] = []
        for (target, files) in folders {
            for file in files {
                let source = try String(contentsOf: packageRoot.appendingPathComponent(file), encoding: .utf8)
                violations += Layering.violations(target: target, file: file, source: source)
            }
        }
        #expect(violations.isEmpty, "\(violations.map(\.description).joined(separator: "\n"))")
    }

    @Test("every target folder has a row in the table, and every row a folder")
    func tableCoversTheTargets() throws {
        let found = Set(try targetFolders().map(\.target))
        let unlisted = found.subtracting(Layering.rules.keys).sorted()
        let stale = Set(Layering.rules.keys).subtracting(found).sorted()
        #expect(unlisted.isEmpty, "targets without a layer: \(unlisted)")
        #expect(stale.isEmpty, "rows without a target: \(stale)")
    }

    @Test("the table only lets a target import targets of lower layers")
    func tableIsLayered() {
        for (target, rule) in Layering.rules.sorted(by: { $0.key < $1.key }) {
            for imported in rule.targets.sorted() {
                let layer = Layering.rules[imported]?.layer
                let shown = layer.map { "\($0)" } ?? "unknown"
                #expect(
                    layer.map { $0 < rule.layer } == true,
                    "\(target) (layer \(rule.layer)) may import \(imported) (layer \(shown))")
            }
        }
    }

    @Test("synthesis and evaluation are peers: an import of one from the other is a violation")
    func peersAreCaught() {
        let source = "import ClarifyCore\nimport Eval\n\nstruct S {}\n"
        #expect(
            Layering.violations(target: "Synth", file: "Sources/Synth/S.swift", source: source)
                == [Layering.Violation(file: "Sources/Synth/S.swift", line: 2, target: "Synth", module: "Eval")])
        #expect(Layering.violations(target: "Eval", file: "E.swift", source: "@testable import Synth\n").count == 1)
        #expect(Layering.violations(target: "Execution", file: "X.swift", source: "public import Eval\n").count == 1)
    }

    @Test("imports are read as Swift reads them, not from embedded Python or comments")
    func importParsing() {
        let source = """
            import Foundation
            #if canImport(Glibc)
                import Glibc
            #endif
            @preconcurrency import struct NIOCore.ByteBuffer
            // import Eval
            let script = #\"\"\"
                import json, sys
            import Eval
                \"\"\"#
            """
        #expect(Layering.imports(in: source).map(\.module) == ["Foundation", "Glibc", "NIOCore"])
    }
}
