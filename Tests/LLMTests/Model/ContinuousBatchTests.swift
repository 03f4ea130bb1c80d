import Testing

@testable import LLM

@Suite("Continuous batching")
struct ContinuousBatchTests {
    static let prompts = ["def add(a, b):", "print('hi')", "x = [1, 2, 3]\nfor"]

    func alone(_ model: LanguageModel, _ prompt: [Int], maxTokens: Int, seed: UInt64 = 0, temperature: Float = 0) throws
        -> GenerationResult
    {
        try model.generate(prompt: prompt, parameters: GenerationParameters(maxTokens: maxTokens, temperature: temperature, seed: seed))
    }

    @Test("a waiting sequence takes the slot a finished one frees, while the longer one keeps running")
    func slotReuse() throws {
        let model = try SharedModels.qwen2Tiny.get()
        let ids = Self.prompts.map { model.tokenizer.encode($0) }
        // The tiny random model never emits a stop token in a few steps: maxTokens sets each length.
        let batch = ContinuousBatch(engine: model, slots: 2, capacity: 64)
        try batch.admit(id: 0, prompt: ids[0], parameters: GenerationParameters(maxTokens: 2, temperature: 0), seed: 0)
        try batch.admit(id: 1, prompt: ids[1], parameters: GenerationParameters(maxTokens: 9, temperature: 0), seed: 0)
        #expect(batch.freeSlotCount == 0)
        #expect(throws: GenerationError.self) {
            try batch.admit(id: 9, prompt: ids[2], parameters: GenerationParameters(maxTokens: 1), seed: 0)
        }
        var finishedAt: [Int: Int] = [:]
        var results: [Int: GenerationResult] = [:]
        var step = 0
        while batch.activeCount > 0 {
            step += 1
            for finished in batch.step() {
                finishedAt[finished.id] = step
                results[finished.id] = finished.result
                // Sequence 2 joins the moment sequence 0 leaves, in the slot it freed.
                if finished.id == 0 {
                    #expect(batch.freeSlotCount == 1)
                    try batch.admit(
                        id: 2, prompt: ids[2], parameters: GenerationParameters(maxTokens: 3, temperature: 0), seed: 0)
                }
            }
        }
        #expect(finishedAt[0] == 2)
        // Sequence 2 ran its prefill at step 3 and its last token at step 5, before sequence 1 ended at 9.
        #expect(finishedAt[2] == 5)
        #expect(finishedAt[1] == 9)
        // Each answer is the one it gets alone: the batch-mates do not change it.
        for (id, maxTokens) in [(0, 2), (1, 9), (2, 3)] {
            #expect(results[id]?.tokens == (try alone(model, ids[id], maxTokens: maxTokens)).tokens, "sequence \(id)")
        }
    }

    @Test("a sampled sequence keeps its own seed's answer whatever shares the batch; cancel frees the slot")
    func samplingAndCancel() throws {
        let model = try SharedModels.qwen2Tiny.get()
        let ids = Self.prompts.map { model.tokenizer.encode($0) }
        let sampled = GenerationParameters(maxTokens: 6, temperature: 1, seed: 0)
        let batch = ContinuousBatch(engine: model, slots: 3, capacity: 64)
        try batch.admit(id: 0, prompt: ids[0], parameters: sampled, seed: 42)
        try batch.admit(id: 1, prompt: ids[1], parameters: GenerationParameters(maxTokens: 20, temperature: 0), seed: 0)
        var results: [Int: GenerationResult] = [:]
        _ = batch.step()
        batch.cancel(id: 1)
        while batch.activeCount > 0 {
            for finished in batch.step() { results[finished.id] = finished.result }
        }
        #expect(results[1]?.finishReason == .cancelled)
        #expect(results[1]?.tokens.count == 1)
        #expect(batch.freeSlotCount == 3)
        let solo = try model.generateBatch(prompts: [ids[0]], parameters: GenerationParameters(maxTokens: 6, temperature: 1, seed: 42))
        #expect(results[0]?.tokens == solo[0].tokens)
    }

    @Test("a prompt that does not fit the slots' context is refused, naming the sizes")
    func promptTooLong() throws {
        let model = try SharedModels.qwen2Tiny.get()
        let batch = ContinuousBatch(engine: model, slots: 1, capacity: 8)
        #expect {
            try batch.admit(id: 0, prompt: Array(repeating: 1, count: 8), parameters: GenerationParameters(), seed: 0)
        } throws: { error in
            "\(error)".contains("8 tokens") && "\(error)".contains("context is 8")
        }
        #expect(batch.freeSlotCount == 1)
    }
}
