import Foundation
import Testing

@testable import LLM

/// Merged GGUF exports read back through our own loader: same logits (F32), logits within
/// quantization error (F16, Q8_0), the tokenizer and chat template carried over.
@Suite("Merged GGUF export")
struct GGUFExportTests {
    static func exported(_ model: LanguageModel, _ type: GGMLType) throws -> (LanguageModel, GGUFFile, String) {
        let path = temporaryPath("export") + ".gguf"
        try GGUFExport.write(model, type: type, to: path)
        // fp32 activations: these tests measure what the exported weights lose, not the 8-bit
        // activations of the integer kernels (tested on their own in QuantizedDotTests).
        return (try LanguageModel(path: path, precision: .nativeExact), try GGUFFile(path: path), path)
    }

    @Test("from a Hugging Face base with an adapter: F32 logits equal the unmerged model's, F16 and Q8_0 close")
    func fromHuggingFace() throws {
        let base = try LanguageModel(path: Fixtures.path("Model/llama-tiny"))
        let adapted = try base.applying(RandomAdapter.make(for: base.config, targets: LoRATarget.allCases))
        let ids = base.tokenizer.encode("def add(a, b):\n    return a + b")
        let expected = allLogits(adapted.model, ids)
        for (type, tolerance) in [(GGMLType.f32, Float(1e-5)), (.f16, 5e-3), (.q8_0, 5e-2)] {
            let (model, file, path) = try Self.exported(adapted, type)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let rows = allLogits(model.model, ids)
            for t in ids.indices {
                expectRelativelyClose(rows[t], expected[t], relative: tolerance, "\(type) pos \(t)")
            }
            #expect(Sampler.argmax(rows.last!) == Sampler.argmax(expected.last!), "\(type) argmax")
            #expect(model.config == base.config.withFrequencyFactorsOf(model.config), "\(type) config")
            #expect(model.tokenizer.encode("x = [1, 2]  # ok") == base.tokenizer.encode("x = [1, 2]  # ok"))
            #expect(model.chatTemplate == base.chatTemplate)
            #expect(model.stopTokenIDs == base.stopTokenIDs)
            #expect(file["general.file_type"]?.int == Int(GGUFExport.fileType(type)))
            #expect(try file.tensor("blk.0.attn_norm.weight").type == .f32, "norms stay F32")
            #expect(try file.tensor("blk.1.ffn_down.weight").type == type)
            #expect(try file.tensor("rope_freqs.weight").type == .f32, "llama3 rope scaling as llama.cpp stores it")
        }
    }

    @Test("an untied Qwen2 with biases exports its output matrix and biases, unpermuted")
    func qwen2() throws {
        let base = try SharedModels.qwen2Tiny.get()
        let adapted = try base.applying(RandomAdapter.make(for: base.config, targets: [.q, .k, .down]))
        let (model, file, path) = try Self.exported(adapted, .f32)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let ids = base.tokenizer.encode("print('hi')")
        expectRelativelyClose(allLogits(model.model, ids).last!, allLogits(adapted.model, ids).last!, relative: 1e-5)
        #expect((try? file.tensor("output.weight")) != nil)
        #expect((try? file.tensor("blk.0.attn_q.bias")) != nil)
        #expect(file["general.architecture"]?.string == "qwen2")
    }

    @Test("from the SmolLM2 GGUF: Q8_0 keeps every metadata key, llama.cpp's q/k row order, and generates")
    func fromSmolLM2() throws {
        let base = try SharedModels.smolLM2Native.get()
        let original = try GGUFFile(path: base.path)
        let adapted = try base.applying(
            RandomAdapter.make(for: base.config, targets: [.v, .o], rank: 4, standardDeviation: 0.02))
        let (model, file, path) = try Self.exported(adapted, .q8_0)
        defer { try? FileManager.default.removeItem(atPath: path) }
        for key in original.metadataKeys where !GGUFMetadataBuilder.dataKeys.contains(key) {
            #expect(file[key] == original[key], "\(key)")
        }
        #expect(file["general.file_type"]?.int == 7)
        // Unadapted q/k tensors are the base's values in the base's (permuted) order, re-quantized.
        let before = try original.dequantize("blk.3.attn_k.weight")
        let after = try file.dequantize("blk.3.attn_k.weight")
        let step = before.map(abs).max()! / 127
        #expect(maxDifference(before, after) <= step, "attn_k in GGUF row order")
        let ids = Array(base.tokenizer.encode("def fib(n):").prefix(3))
        let expected = allLogits(adapted.model, ids).last!
        let got = allLogits(model.model, ids).last!
        #expect(Sampler.argmax(got) == Sampler.argmax(expected))
        expectRelativelyClose(got, expected, relative: 5e-2, "Q8_0 logits")
        let result = try model.generate(prompt: try model.chatPrompt([.user("hi")]), parameters: .init(maxTokens: 2))
        #expect(result.tokens.count == 2)
    }
}

extension TransformerConfig {
    /// This config with llama3 rope scaling replaced by `other`'s per-pair factors: a GGUF stores
    /// Llama 3.1 scaling as `rope_freqs.weight`, which is the same frequencies in another form.
    func withFrequencyFactorsOf(_ other: TransformerConfig) -> TransformerConfig {
        var copy = self
        if case .llama3 = ropeScaling, case .frequencyFactors = other.ropeScaling {
            copy.ropeScaling = other.ropeScaling
        }
        return copy
    }
}
