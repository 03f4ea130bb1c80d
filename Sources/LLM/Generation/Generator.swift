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
        var results = try withoutActuallyEscaping(onText) { onText in
            try generateBatch(prompts: [prompt], parameters: parameters) { _, piece in onText(piece) }
        }
        return results.removeFirst()
    }

    /// Generates a continuation for every prompt together (one ``ContinuousBatch`` with a slot per
    /// prompt; sequence i is seeded `parameters.seed + i`). `onText(index, piece)` streams each
    /// sequence's text; `.stop` ends that sequence. The results share the call's timings.
    public func generateBatch(
        prompts: [[Int]], parameters: GenerationParameters,
        onText: @escaping (Int, String) -> GenerationControl = { _, _ in .more }
    ) throws -> [GenerationResult] {
        try parameters.validate()
        guard !prompts.isEmpty else { return [] }
        for (i, prompt) in prompts.enumerated() {
            do {
                try validatePrompt(prompt, context: config.maxPositions)
            } catch let error as GenerationError {
                throw GenerationError("prompt \(i): \(error.description)")
            }
        }
        let longest = prompts.map(\.count).max()!
        let batch = ContinuousBatch(
            engine: self, slots: prompts.count, capacity: min(longest + max(parameters.maxTokens, 1), config.maxPositions))
        for (i, prompt) in prompts.enumerated() {
            try batch.admit(id: i, prompt: prompt, parameters: parameters, seed: parameters.seed &+ UInt64(i)) {
                onText(i, $0)
            }
        }
        var results = [GenerationResult?](repeating: nil, count: prompts.count)
        var clock = GenerationTimings()
        while batch.activeCount > 0 {
            for finished in batch.step() { results[finished.id] = finished.result }
        }
        for result in results.compactMap({ $0 }) {
            clock.prefillTokens += result.timings.prefillTokens
            clock.prefillSeconds = max(clock.prefillSeconds, result.timings.prefillSeconds)
            clock.decodeTokens += result.timings.decodeTokens
            clock.decodeSeconds = max(clock.decodeSeconds, result.timings.decodeSeconds)
        }
        return results.map { result in
            var shared = result!
            shared.timings = clock
            return shared
        }
    }
}
