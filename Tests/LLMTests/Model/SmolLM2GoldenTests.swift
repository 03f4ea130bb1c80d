import Foundation
import Testing

@testable import LLM

/// SmolLM2-135M-Instruct from the cached GGUF against PyTorch + transformers loading the same
/// file (`gguf_file=`, dequantized to fp32). Needs `clarifycoder data fetch`.
@Suite("SmolLM2-135M matches PyTorch", .serialized)
struct SmolLM2GoldenTests {
    @Test("logits on fixed prompts agree within 1e-3 at every position, in fp32")
    func logits() throws {
        let model = try SharedModels.smolLM2Float.get()
        let fixture = try Fixtures.json(SmolLM2LogitsFixture.self, "Model/smollm2_logits.json")
        for (c, item) in fixture.cases.enumerated() {
            #expect(model.tokenizer.encode(item.text) == item.ids, "case \(c): token ids")
            let cache = model.model.makeCache(capacity: item.ids.count)
            let rows = model.model.forward([.init(slot: 0, tokens: item.ids)], cache: cache, allPositions: true)
            #expect(rows.count == item.positions.count)
            for (t, row) in rows.enumerated() {
                expectMatches(row, item.positions[t], sampleIDs: fixture.sample_ids, tolerance: 1e-3, "case \(c) pos \(t)")
            }
        }
    }

    @Test("greedy decoding with the KV cache gives PyTorch's 64 tokens on 5 chat prompts")
    func greedy() throws {
        let model = try SharedModels.smolLM2Float.get()
        let fixture = try Fixtures.json(SmolLM2GreedyFixture.self, "Model/smollm2_greedy.json")
        for (r, run) in fixture.runs.enumerated() {
            #expect(try model.chatPrompt([.user(run.user)]) == run.ids, "run \(r): chat prompt ids")
            #expect(rawGreedy(model.model, prompt: run.ids, steps: run.greedy.count) == run.greedy, "run \(r)")
        }
    }

    @Test("generate() stops at the end-of-turn token with PyTorch's text before it")
    func generateStopsAtEndOfTurn() throws {
        let model = try SharedModels.smolLM2Float.get()
        let run = try Fixtures.json(SmolLM2GreedyFixture.self, "Model/smollm2_greedy.json").runs[1]
        var streamed = ""
        let result = try model.generate(prompt: run.ids, parameters: GenerationParameters(maxTokens: 64)) { piece in
            streamed += piece
            return .more
        }
        let end = run.greedy.firstIndex { model.stopTokenIDs.contains($0) }
        let expected = end.map { Array(run.greedy[...$0]) } ?? run.greedy
        #expect(result.tokens == expected)
        #expect(result.finishReason == (end == nil ? .maxTokens : .stopToken))
        #expect(result.text == model.tokenizer.decode(expected.filter { !model.stopTokenIDs.contains($0) }))
        #expect(streamed == result.text)
    }

    @Test("batched decoding of prompts of different lengths equals decoding each alone")
    func batchedEqualsSingle() throws {
        let model = try SharedModels.smolLM2Float.get()
        let runs = try Fixtures.json(SmolLM2GreedyFixture.self, "Model/smollm2_greedy.json").runs
        let prompts = [runs[0].ids, runs[3].ids, runs[4].ids]
        let parameters = GenerationParameters(maxTokens: 12, stopTokenIDs: [])
        let batch = try model.generateBatch(prompts: prompts, parameters: parameters)
        for (i, prompt) in prompts.enumerated() {
            let expected = [0, 3, 4].map { runs[$0].greedy }[i]
            let end = expected.firstIndex { model.stopTokenIDs.contains($0) }.map { $0 + 1 } ?? 12
            #expect(batch[i].tokens == Array(expected.prefix(min(end, 12))), "sequence \(i)")
            #expect(batch[i].promptTokenCount == prompt.count)
        }
    }

    @Test("quantized weights with fp32 activations give the fp32 logits within rounding")
    func nativePrecisionAgrees() throws {
        let native = try SharedModels.smolLM2NativeExact.get()
        let float = try SharedModels.smolLM2Float.get()
        guard case .quantized(.q4_1, _, _) = native.model.weights.layers[0].query.storage else {
            Issue.record("expected Q4_1 projections to stay quantized")
            return
        }
        #expect(native.model.weights.byteCount < float.model.weights.byteCount / 4)
        let prompt = Array(try Fixtures.json(SmolLM2LogitsFixture.self, "Model/smollm2_logits.json").cases[0].ids
            .prefix(6))
        let a = native.model.forward([.init(slot: 0, tokens: prompt)], cache: native.model.makeCache(capacity: 8))[0]
        let b = float.model.forward([.init(slot: 0, tokens: prompt)], cache: float.model.makeCache(capacity: 8))[0]
        expectClose(a, b, tolerance: 2e-3, "prefill logits")
        #expect(Sampler.argmax(a) == Sampler.argmax(b))
    }

    @Test("8-bit activations (the integer kernels) keep the fp32 model's choice and logits within a few percent")
    func integerKernelsAgree() throws {
        let native = try SharedModels.smolLM2Native.get()
        let float = try SharedModels.smolLM2Float.get()
        let cases = try Fixtures.json(SmolLM2LogitsFixture.self, "Model/smollm2_logits.json").cases
        for (i, fixture) in cases.enumerated() {
            // One token at a time, so every product goes through the integer kernels.
            let prompt = Array(fixture.ids.prefix(6))
            let cache = native.model.makeCache(capacity: 8)
            var a: [Float] = []
            for id in prompt { a = native.model.forward([.init(slot: 0, tokens: [id])], cache: cache)[0] }
            let b = float.model.forward([.init(slot: 0, tokens: prompt)], cache: float.model.makeCache(capacity: 8))[0]
            // Each product's inputs are rounded to 1/254 of their block's largest value, through 30
            // layers; llama.cpp computes the same way. The top choice must not move, the logits only a
            // little: measured at most 5.2% of the largest logit on these cases, 1.5% on average.
            let scale = b.map(abs).max()!
            let worst = zip(a, b).map { abs($0 - $1) }.max()!
            let mean = zip(a, b).map { abs($0 - $1) }.reduce(0, +) / Float(a.count)
            #expect(worst <= 0.08 * scale, "case \(i): logits differ by up to \(worst) of \(scale)")
            #expect(mean <= 0.03 * scale, "case \(i): logits differ by \(mean) on average, of \(scale)")
            #expect(Sampler.argmax(a) == Sampler.argmax(b), "case \(i)")
        }
    }

    @Test("the integer kernel stays within its activation rounding of dequantize-then-multiply on a real Q4_1 matrix")
    func fusedMatvec() throws {
        let native = try SharedModels.smolLM2Native.get()
        let weight = native.model.weights.layers[0].down
        let x = (0..<weight.columns).map { Float(sin(Double($0) * 0.37)) }
        var fused = [Float](repeating: 0, count: weight.rows)
        var banded = [Float](repeating: 0, count: 2 * weight.rows)
        let reference = weight.floatTensor().toArray()
        x.withUnsafeBufferPointer { xp in
            fused.withUnsafeMutableBufferPointer { weight.apply(xp.baseAddress!, count: 1, into: $0.baseAddress!) }
            let twice = x + x
            twice.withUnsafeBufferPointer { tp in
                banded.withUnsafeMutableBufferPointer { weight.apply(tp.baseAddress!, count: 2, into: $0.baseAddress!) }
            }
        }
        let expected = (0..<weight.rows).map { r in (0..<weight.columns).reduce(Float(0)) { $0 + reference[r * weight.columns + $1] * x[$1] } }
        // |x| ≤ 1, so each 8-bit activation is off by at most 1/254 (plus the fp16 rounding of its
        // block's scale, < 127·2⁻¹¹ of a step): the bound is that times Σ|w| over the row.
        for r in 0..<weight.rows {
            let bound = (0..<weight.columns).reduce(Float(0)) { $0 + abs(reference[r * weight.columns + $1]) } * 0.57 / 127
            #expect(abs(fused[r] - expected[r]) <= bound + 1e-4, "fused row \(r)")
            #expect(abs(banded[weight.rows + r] - expected[r]) <= bound + 1e-4, "batched row \(r)")
        }
    }
}
