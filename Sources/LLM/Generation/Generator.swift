import Foundation

/// Prefill then decode with the KV cache, one sequence (streamed) or several together.
///
/// Decoding a batch pushes every live sequence's next token through one forward call, so each
/// weight matrix is read once per step for all of them: the decode step is memory-bound, so 8
/// sequences cost little more than one. Prompts of different lengths share the call as ragged
/// rows (no padding); finished sequences drop out of the batch.
extension LanguageModel {
    /// Generates from `prompt` ids, calling `onText` with each newly safe piece of text; return
    /// `.stop` from it to end early. The library never prints: the caller decides what to show.
    public func generate(
        prompt: [Int], parameters: GenerationParameters,
        onText: (String) -> GenerationControl = { _ in .more }
    ) throws -> GenerationResult {
        var results = try generateBatch(prompts: [prompt], parameters: parameters) { _, piece in
            onText(piece)
        }
        return results.removeFirst()
    }

    /// Generates a continuation for every prompt together. `onText(index, piece)` streams each
    /// sequence's text; `.stop` ends that sequence.
    public func generateBatch(
        prompts: [[Int]], parameters: GenerationParameters,
        onText: (Int, String) -> GenerationControl = { _, _ in .more }
    ) throws -> [GenerationResult] {
        try parameters.validate()
        guard !prompts.isEmpty else { return [] }
        for (i, prompt) in prompts.enumerated() {
            guard !prompt.isEmpty else { throw GenerationError("prompt \(i) is empty: there is nothing to continue") }
            if let bad = prompt.first(where: { $0 < 0 || $0 >= config.vocabularySize }) {
                throw GenerationError("prompt \(i) holds token id \(bad), outside the vocabulary")
            }
            guard prompt.count < config.maxPositions else {
                throw GenerationError(
                    "prompt \(i) has \(prompt.count) tokens; the model's context is \(config.maxPositions)")
            }
        }
        let longest = prompts.map(\.count).max()!
        let cache = model.makeCache(sequences: prompts.count, capacity: longest + max(parameters.maxTokens, 1))
        let stops = stopTokenIDs.union(parameters.stopTokenIDs)
        var samplers = prompts.indices.map { Sampler(parameters: parameters, seed: parameters.seed &+ UInt64($0)) }
        var streams = prompts.map { _ in TextStream(tokenizer: tokenizer, stopStrings: parameters.stopStrings) }
        var generated = prompts.map { _ in [Int]() }
        var finish = [FinishReason?](repeating: nil, count: prompts.count)
        var clock = GenerationTimings()

        func accept(_ i: Int, _ token: Int) {
            generated[i].append(token)
            if stops.contains(token) {
                finish[i] = .stopToken
            } else {
                let piece = streams[i].append(token)
                if !piece.isEmpty, onText(i, piece) == .stop { finish[i] = .cancelled }
                if finish[i] == nil, streams[i].stopIndex != nil { finish[i] = .stopString }
            }
            if finish[i] == nil, generated[i].count >= parameters.maxTokens { finish[i] = .maxTokens }
            if finish[i] == nil, cache.lengths[i] >= cache.capacity { finish[i] = .contextFull }
        }

        if parameters.maxTokens == 0 {
            finish = finish.map { _ in .maxTokens }
        } else {
            let start = Date()
            let logits = model.forward(
                prompts.enumerated().map { LlamaModel.Input(slot: $0.offset, tokens: $0.element) }, cache: cache)
            clock.prefillTokens = prompts.map(\.count).reduce(0, +)
            clock.prefillSeconds = Date().timeIntervalSince(start)
            for i in prompts.indices { accept(i, samplers[i].next(logits: logits[i], prompt: prompts[i], output: [])) }
        }
        let decodeStart = Date()
        while true {
            let live = prompts.indices.filter { finish[$0] == nil }
            if live.isEmpty { break }
            let logits = model.forward(live.map { LlamaModel.Input(slot: $0, tokens: [generated[$0].last!]) }, cache: cache)
            clock.decodeTokens += live.count
            for (row, i) in live.enumerated() {
                accept(i, samplers[i].next(logits: logits[row], prompt: prompts[i], output: generated[i]))
            }
        }
        clock.decodeSeconds = Date().timeIntervalSince(decodeStart)
        return prompts.indices.map { i in
            let rest = streams[i].flush()
            if !rest.isEmpty { _ = onText(i, rest) }
            return GenerationResult(
                tokens: generated[i], text: streams[i].text, finishReason: finish[i]!, promptTokenCount: prompts[i].count,
                timings: clock)
        }
    }
}
