import Foundation
import LLM
import Testing

@testable import clarifycoder

/// `clarifycoder export` and `--adapter` on the PEFT fixture of the LLM tests (a tiny random
/// Llama saved by transformers and an adapter saved by peft).
@Suite("clarifycoder export and --adapter")
struct ExportCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("LLMTests/Fixtures/Export").path
    static let base = fixtures + "/peft-base"
    static let adapter = fixtures + "/peft-adapter"

    func temporary(_ name: String) -> String { NSTemporaryDirectory() + "cc-\(name)-\(UUID().uuidString)" }

    @Test("exports a bare adapter folder to a merged GGUF at --out that loads with the adapter's logits")
    func exportsGGUF() throws {
        let folder = temporary("adapter")
        let out = temporary("model") + ".gguf"
        try FileManager.default.copyItem(atPath: Self.adapter, toPath: folder)
        defer {
            try? FileManager.default.removeItem(atPath: folder)
            try? FileManager.default.removeItem(atPath: out)
        }
        try ExportCommand.parse([folder, "--to", "gguf", "--type", "f32", "--base", Self.base, "--out", out]).run()
        let exported = try LanguageModel(path: out)
        let unmerged = try LanguageModel(path: Self.base, adapter: LoRAAdapter(folder: Self.adapter))
        let ids = unmerged.tokenizer.encode("def f")
        let a = exported.model.forward([.init(slot: 0, tokens: ids)], cache: exported.model.makeCache(capacity: 8))[0]
        let b = unmerged.model.forward([.init(slot: 0, tokens: ids)], cache: unmerged.model.makeCache(capacity: 8))[0]
        #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-4 * max(1, abs($1)) })
    }

    @Test("bad flags are refused before anything runs")
    func validates() throws {
        #expect(throws: (any Error).self) { try ExportCommand.parse(["run", "--to", "onnx"]) }
        #expect(throws: (any Error).self) { try ExportCommand.parse(["run", "--to", "gguf", "--type", "q4_0"]) }
        #expect(throws: (any Error).self) {
            try ExportCommand.parse(["run", "--to", "gguf", "--checkpoint", "step-x"])
        }
    }

    @Test("generate runs base + adapter, and an adapter for another model fails naming the module")
    func generateWithAdapter() throws {
        try GenerateCommand.parse([
            "--model", Self.base, "--adapter", Self.adapter, "--prompt", "def", "--max-tokens", "2",
        ])
        .run()
        let other = Self.fixtures + "/../Model/llama-tiny"
        do {
            try GenerateCommand.parse([
                "--model", other, "--adapter", Self.adapter, "--prompt", "def", "--max-tokens", "1",
            ])
            .run()
            Issue.record("an adapter for another base was accepted")
        } catch {
            #expect(String(describing: error).contains("self_attn.k_proj"), "\(error)")
        }
    }
}
