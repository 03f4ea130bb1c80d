import Foundation
import Testing

@testable import LLM

/// `export RUN_DIR`: a run folder as the trainer writes it (hand-written here), or a bare adapter.
@Suite("Exporting a training run")
struct RunExportTests {
    /// A run folder on the PEFT fixture's base with a random adapter as `adapter/` and `adapter-last/`.
    static func makeRun(fullFineTune: Bool = false) throws -> (run: String, adapter: LoRAAdapter) {
        let run = temporaryPath("run")
        let base = try LanguageModel(path: Fixtures.path("Export/peft-base"))
        let adapter = RandomAdapter.make(for: base.config, seed: 11)
        try adapter.write(to: run + "/adapter")
        try RandomAdapter.make(for: base.config, seed: 12).write(to: run + "/adapter-last")
        let training: [String: Any] = [
            "model": Fixtures.path("Export/peft-base"), "base_model_id": "org/tiny-llama",
            "full_fine_tune": fullFineTune,
            "lora": ["r": 4, "alpha": 8],
        ]
        try JSONSerialization.data(withJSONObject: training).write(to: URL(fileURLWithPath: run + "/training.json"))
        return (run, adapter)
    }

    @Test("--to peft copies the best adapter with base_model_name_or_path set to the run's base id")
    func peft() throws {
        let (run, adapter) = try Self.makeRun()
        defer { try? FileManager.default.removeItem(atPath: run) }
        let outcome = try RunExport.run(.init(source: run, format: .peft))
        #expect(outcome.path == run + "/export/peft")
        let written = try LoRAAdapter(folder: outcome.path)
        #expect(written.config.baseModel == "org/tiny-llama")
        #expect(written.modules == adapter.modules)
    }

    @Test("--to gguf writes export/model-<type>.gguf from the chosen checkpoint, merged")
    func gguf() throws {
        let (run, _) = try Self.makeRun()
        defer { try? FileManager.default.removeItem(atPath: run) }
        var steps: [String] = []
        let outcome = try RunExport.run(.init(source: run, format: .gguf, type: .q8_0, checkpoint: "last")) {
            steps.append($0.step)
        }
        #expect(outcome.path == run + "/export/model-q8_0.gguf")
        #expect(steps.contains("blk.0.attn_q.weight") && steps.last == "done")
        let last = try LanguageModel(
            path: Fixtures.path("Export/peft-base"), adapter: LoRAAdapter(folder: run + "/adapter-last"))
        let ids = last.tokenizer.encode("x = 1")
        let exported = try LanguageModel(path: outcome.path)
        expectRelativelyClose(allLogits(exported.model, ids).last!, allLogits(last.model, ids).last!, relative: 5e-2)
    }

    @Test("--to hf writes export/hf that loads as a model")
    func hf() throws {
        let (run, _) = try Self.makeRun()
        defer { try? FileManager.default.removeItem(atPath: run) }
        let outcome = try RunExport.run(.init(source: run, format: .hf))
        #expect(outcome.path == run + "/export/hf" && outcome.notes.isEmpty)
        _ = try LanguageModel(path: outcome.path)
    }

    @Test("a bare PEFT folder needs a base it can find, and says so")
    func bareAdapter() throws {
        let folder = temporaryPath("bare")
        try FileManager.default.copyItem(atPath: Fixtures.path("Export/peft-adapter"), toPath: folder)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            _ = try RunExport.run(.init(source: folder, format: .gguf))
            Issue.record("exported without a base")
        } catch {
            #expect(String(describing: error).contains("--base"))
        }
        let out = temporaryPath("bare-out") + ".gguf"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let outcome = try RunExport.run(
            .init(source: folder, format: .gguf, type: .f32, out: out, base: Fixtures.path("Export/peft-base")))
        #expect(outcome.path == out && FileManager.default.fileExists(atPath: out))
    }

    @Test("wrong checkpoints, a full fine-tune to PEFT and an adapter for another base fail with clear errors")
    func errors() throws {
        let (run, _) = try Self.makeRun()
        defer { try? FileManager.default.removeItem(atPath: run) }
        func message(_ parameters: RunExport.Parameters) -> String {
            do {
                _ = try RunExport.run(parameters)
                return "no error"
            } catch {
                return String(describing: error)
            }
        }
        #expect(message(.init(source: run, format: .peft, checkpoint: "step-40")).contains("no step-40 adapter"))
        #expect(message(.init(source: run + "/nothing", format: .peft)).contains("neither a training run"))
        let other = message(.init(source: run, format: .peft, base: Fixtures.path("Model/llama-tiny")))
        #expect(other.contains("model.layers.") && other.contains("another model"), "\(other)")

        let (full, _) = try Self.makeRun(fullFineTune: true)
        defer { try? FileManager.default.removeItem(atPath: full) }
        try FileManager.default.copyItem(atPath: Fixtures.path("Export/peft-base"), toPath: full + "/model")
        #expect(message(.init(source: full, format: .peft)).contains("full fine-tune"))
        let outcome = try RunExport.run(.init(source: full, format: .gguf, type: .f16))
        #expect(FileManager.default.fileExists(atPath: outcome.path))
    }
}
