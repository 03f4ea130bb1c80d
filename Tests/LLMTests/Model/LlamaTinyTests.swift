import Foundation
import Testing

@testable import LLM

/// A random-weight Llama with Llama 3.1 rope scaling (`rope_type: llama3`), 4:1 grouped-query
/// attention and tied embeddings, saved by transformers, against transformers' own outputs.
@Suite("Tiny Llama with llama3 rope scaling matches PyTorch")
struct LlamaTinyTests {
    static let model: Result<LanguageModel, any Error> = Result {
        try LanguageModel(path: Fixtures.path("Model/llama-tiny"))
    }

    @Test("loads with llama3 rope scaling, one kv head and tied embeddings")
    func loads() throws {
        let model = try Self.model.get()
        guard case .llama3 = model.config.ropeScaling else {
            Issue.record("expected llama3 rope scaling, got \(String(describing: model.config.ropeScaling))")
            return
        }
        #expect(model.config.kvHeadCount == 1)
        #expect(model.model.weights.tied)
        #expect(model.chatTemplate == .llama3(bosToken: "<|endoftext|>"))
    }

    @Test("logits at every position agree within 1e-4 and greedy decoding gives the same 24 tokens")
    func matches() throws {
        let model = try Self.model.get()
        let fixture = try Fixtures.json(TinyModelFixture.self, "Model/llama_tiny.json")
        #expect(model.tokenizer.encode(fixture.text) == fixture.ids)
        let rows = model.model.forward(
            [.init(slot: 0, tokens: fixture.ids)], cache: model.model.makeCache(capacity: 64), allPositions: true)
        #expect(fixture.ids.count > 16, "positions must pass original_max_position_embeddings")
        for (t, row) in rows.enumerated() {
            expectMatches(row, fixture.positions[t], sampleIDs: fixture.sample_ids, tolerance: 1e-4, "pos \(t)")
        }
        #expect(rawGreedy(model.model, prompt: fixture.ids, steps: fixture.greedy.count) == fixture.greedy)
    }
}
