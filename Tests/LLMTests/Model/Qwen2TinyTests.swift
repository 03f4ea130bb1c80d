import Foundation
import Tensor
import Testing

@testable import LLM

/// A random-weight Qwen2 (q/k/v biases, untied lm_head, non-unit norms) saved by transformers as
/// a Hugging Face folder, against transformers' own logits and greedy tokens.
@Suite("Tiny Qwen2 folder matches PyTorch")
struct Qwen2TinyTests {
    @Test("loads config.json, safetensors, tokenizer.json and the ChatML template")
    func loads() throws {
        let model = try SharedModels.qwen2Tiny.get()
        #expect(model.config.architecture == "qwen2")
        #expect(model.config.attentionBias)
        #expect(!model.model.weights.tied)
        #expect(model.model.weights.layers[0].queryBias?.count == 32)
        #expect(model.chatTemplate != nil)
        let fixture = try Fixtures.json(TinyModelFixture.self, "Model/qwen2_tiny.json")
        #expect(model.tokenizer.encode(fixture.text) == fixture.ids)
    }

    @Test("logits at every position agree within 1e-4")
    func logits() throws {
        let model = try SharedModels.qwen2Tiny.get()
        let fixture = try Fixtures.json(TinyModelFixture.self, "Model/qwen2_tiny.json")
        let rows = model.model.forward(
            [.init(slot: 0, tokens: fixture.ids)], cache: model.model.makeCache(capacity: 64), allPositions: true)
        for (t, row) in rows.enumerated() {
            expectMatches(row, fixture.positions[t], sampleIDs: fixture.sample_ids, tolerance: 1e-4, "pos \(t)")
        }
    }

    @Test("greedy decoding reproduces transformers' 24 tokens")
    func greedy() throws {
        let model = try SharedModels.qwen2Tiny.get()
        let fixture = try Fixtures.json(TinyModelFixture.self, "Model/qwen2_tiny.json")
        #expect(rawGreedy(model.model, prompt: fixture.ids, steps: fixture.greedy.count) == fixture.greedy)
    }

    @Test("prefill in one call equals feeding the tokens one at a time through the cache")
    func cacheConsistency() throws {
        let model = try SharedModels.qwen2Tiny.get().model
        let ids = try Fixtures.json(TinyModelFixture.self, "Model/qwen2_tiny.json").ids
        let whole = model.forward([.init(slot: 0, tokens: ids)], cache: model.makeCache(capacity: 32))[0]
        let cache = model.makeCache(capacity: 32)
        var last: [Float] = []
        for id in ids { last = model.forward([.init(slot: 0, tokens: [id])], cache: cache)[0] }
        expectClose(last, whole, tolerance: 1e-5, "incremental")
        #expect(cache.lengths == [ids.count])
    }

    @Test("the autograd forward on Tensor ops gives the same logits and gradients flow to the weights")
    func autogradForward() throws {
        let model = try SharedModels.qwen2Tiny.get().model
        let ids = try Fixtures.json(TinyModelFixture.self, "Model/qwen2_tiny.json").ids
        let graph = LlamaGraph(model: model)
        let fast = model.forward(
            [.init(slot: 0, tokens: ids)], cache: model.makeCache(capacity: 32), allPositions: true)
        let q = graph.parameters["model.layers.1.self_attn.q_proj.weight"]!
        q.requiresGrad = true
        let logits = graph.forward(ids: ids.map(Int32.init), batch: 1, length: ids.count)
        #expect(logits.shape == [1, ids.count, 3000])
        expectClose(logits.toArray(), fast.flatMap { $0 }, tolerance: 1e-4, "graph logits")
        let targets = Array(ids.dropFirst() + [0]).map(Int32.init)
        let loss = Tensor.crossEntropy(logits: logits.reshaped([ids.count, 3000]), targets: targets)
        loss.backward()
        #expect(q.grad.map { $0.toArray().contains { $0 != 0 } } == true)
        q.requiresGrad = false
        q.grad = nil
    }
}
