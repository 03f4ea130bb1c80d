import Foundation
import Testing

@testable import LLM

/// Base + adapter run unmerged must compute what the merged weights compute: W·x + scale·B·A·x.
@Suite("LoRA adapters run unmerged on the inference path")
struct AdapterInferenceTests {
    /// Merges with the adapter's own dense `delta(for:)` — an independent path from `merged()`.
    static func referenceMerge(_ model: LanguageModel, _ adapter: LoRAAdapter) -> LlamaModel {
        var weights = model.model.weights
        for i in weights.layers.indices {
            for target in LoRATarget.allCases {
                guard let delta = adapter.delta(for: target.modulePath(layer: i)) else { continue }
                let base = weights.layers[i][target]
                let values = zip(base.mergedFloats(), delta).map { $0 + $1 }
                weights.layers[i][target] = WeightMatrix(float: values, rows: base.rows, columns: base.columns)
            }
        }
        return LlamaModel(config: model.config, weights: weights)
    }

    @Test("on a tiny random Llama, logits with an unmerged adapter equal the merged model's at every position")
    func tinyLlama() throws {
        let base = try LanguageModel(path: Fixtures.path("Model/llama-tiny"))
        let adapter = RandomAdapter.make(for: base.config, targets: LoRATarget.allCases)
        let adapted = try base.applying(adapter)
        let ids = base.tokenizer.encode("def add(a, b):\n    return a + b")
        let unmerged = allLogits(adapted.model, ids)
        let merged = allLogits(Self.referenceMerge(base, adapter), ids)
        let plain = allLogits(base.model, ids)
        for t in ids.indices {
            expectRelativelyClose(unmerged[t], merged[t], relative: 1e-4, "position \(t)")
        }
        #expect(maxDifference(unmerged.last!, plain.last!) > 1e-2, "the adapter must change the logits")
        #expect(adapted.adapter != nil && base.adapter == nil)
        // merged() folds the same update in.
        expectRelativelyClose(allLogits(adapted.merged().model, ids).last!, merged.last!, relative: 1e-4, "merged()")
    }

    @Test("incremental decoding with the KV cache matches the whole-sequence forward with an adapter")
    func incremental() throws {
        let base = try LanguageModel(path: Fixtures.path("Model/qwen2-tiny"))
        let adapted = try base.applying(RandomAdapter.make(for: base.config, targets: [.q, .v, .gate, .down]))
        let ids = base.tokenizer.encode("print('hello')")
        let whole = allLogits(adapted.model, ids)
        let cache = adapted.model.makeCache(capacity: ids.count)
        var last: [Float] = []
        for id in ids { last = adapted.model.forward([.init(slot: 0, tokens: [id])], cache: cache)[0] }
        expectRelativelyClose(last, whole.last!, relative: 1e-4, "last position")
    }

    @Test("on SmolLM2 Q4_1 kept quantized, a few tokens with an adapter match the merged fp32 model within 1e-3")
    func smolLM2() throws {
        // fp32 activations, so that only the adapter's placement separates the two paths (the 8-bit
        // activations of `.native` move these logits by up to ~3%, more than the adapter is tested to).
        let base = try SharedModels.smolLM2NativeExact.get()
        let adapter = RandomAdapter.make(for: base.config, rank: 8, standardDeviation: 0.02)
        let adapted = try base.applying(adapter)
        let ids = Array(base.tokenizer.encode("def fib(n):").prefix(4))
        let unmerged = allLogits(adapted.model, ids)
        let merged = allLogits(adapted.merged().model, ids)
        for t in ids.indices { expectRelativelyClose(unmerged[t], merged[t], relative: 1e-3, "position \(t)") }
        #expect(maxDifference(unmerged.last!, allLogits(base.model, ids).last!) > 1e-2)
        // The frozen weights stay quantized and are shared, not copied.
        guard case .quantized = adapted.model.weights.layers[0].query.storage else {
            Issue.record("the adapted q_proj should keep its quantized storage")
            return
        }
    }

    @Test("applying a second adapter replaces the first instead of stacking")
    func replaces() throws {
        let base = try LanguageModel(path: Fixtures.path("Model/llama-tiny"))
        let first = RandomAdapter.make(for: base.config, seed: 1)
        let second = RandomAdapter.make(for: base.config, seed: 2)
        let ids = base.tokenizer.encode("x = 1")
        let twice = try base.applying(first).applying(second)
        let once = try base.applying(second)
        #expect(allLogits(twice.model, ids).last! == allLogits(once.model, ids).last!)
    }

    @Test("an adapter that does not fit the base is refused with the module named")
    func mismatches() throws {
        let base = try LanguageModel(path: Fixtures.path("Model/llama-tiny"))
        let config = LoRAConfig(rank: 2, alpha: 2, targets: [.q])
        let d = base.config.hiddenSize
        func error(_ path: String, in input: Int, out: Int) -> String {
            let pair = LoRAAdapter.Pair(
                a: .init(repeating: 0, count: 2 * input), b: .init(repeating: 0, count: out * 2), inFeatures: input,
                outFeatures: out)
            do {
                _ = try base.applying(LoRAAdapter(config: config, modules: [path: pair]))
                return "no error"
            } catch {
                return String(describing: error)
            }
        }
        let layers = base.config.layerCount
        let outOfRange = error("model.layers.\(layers).self_attn.q_proj", in: d, out: d)
        #expect(
            outOfRange.contains("model.layers.\(layers).self_attn.q_proj") && outOfRange.contains("\(layers) layers"))
        let shape = error("model.layers.0.self_attn.q_proj", in: d + 1, out: d)
        #expect(shape.contains("model.layers.0.self_attn.q_proj") && shape.contains("another model"))
        let name = error("model.layers.0.mlp.q_proj", in: d, out: d)
        #expect(name.contains("model.layers.0.mlp.q_proj") && name.contains("not a Llama projection"))
    }

    @Test("an adapter folder loads with the model and survives the PEFT round trip")
    func loadsFolder() throws {
        let base = try LanguageModel(path: Fixtures.path("Model/llama-tiny"))
        let adapter = RandomAdapter.make(for: base.config)
        let folder = temporaryPath("adapter")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try adapter.write(to: folder)
        let loaded = try LanguageModel(path: Fixtures.path("Model/llama-tiny"), adapter: LoRAAdapter(folder: folder))
        let ids = base.tokenizer.encode("return")
        #expect(allLogits(loaded.model, ids).last! == allLogits(try base.applying(adapter).model, ids).last!)
    }
}
