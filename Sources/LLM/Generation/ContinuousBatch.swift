import Foundation

/// Sequences decoding together in one KV cache, where a new sequence takes a slot as soon as one is
/// free — continuous batching, as llama-server and vLLM schedule — so a batch is never held up by its
/// longest answer.
///
/// Each ``step()`` runs the last token of every running sequence through one forward call — every
/// weight matrix read once for all of them; decode is memory-bound, so sixteen sequences cost little
/// more than one — and each prompt admitted since the last step through a call of its own.
///
/// Batch-invariant: what a sequence generates does not depend on its batch-mates — bit for bit with
/// quantized weights (``WeightPrecision/native``); fp32 weights go through SGEMM, whose rounding may
/// change with the number of rows. Each
/// sequence samples with its own ``Sampler`` and seed; a prompt's products take the same path alone as
/// in company (its own call); decode rows go through the integer kernels in calls of at most
/// ``WeightMatrix/integerBatchLimit`` rows, and those kernels' per-row results are independent of the
/// other rows; attention is per row.
///
/// Not thread-safe: one owner calls ``admit(id:prompt:parameters:seed:onText:)``, ``step()`` and
/// ``cancel(id:)`` in turn (``LanguageModel/generateBatch(prompts:parameters:onText:)`` and the local
/// backend's scheduler).
public final class ContinuousBatch {
    /// A sequence that ended in the last step, with its caller-given id.
    public struct Finished: Sendable {
        public let id: Int
        public let result: GenerationResult
    }

    private struct Sequence {
        let id: Int
        let slot: Int
        let prompt: [Int]
        let parameters: GenerationParameters
        let stops: Set<Int>
        var sampler: Sampler
        var stream: TextStream
        let onText: (String) -> GenerationControl
        /// Token ids whose log-probabilities after the prompt are reported (``GenerationResult/promptLogProbabilities``).
        let scored: [Int]
        var scores: [Float] = []
        /// Tokens to feed at the next step: the prompt at first, then the last sampled token.
        var pending: [Int]
        var generated: [Int] = []
        var finish: FinishReason?
        var timings = GenerationTimings()
    }

    public let engine: LanguageModel
    /// Positions each slot holds (prompt and answer). The cache's pages are touched only as they fill,
    /// so a generous capacity costs address space, not memory.
    public var capacity: Int { cache.capacity }
    private let cache: KVCache
    private var sequences: [Sequence] = []
    private var freeSlots: [Int]

    public init(engine: LanguageModel, slots: Int, capacity: Int) {
        precondition(slots > 0 && capacity > 1, "a batch needs a slot and room for a token")
        self.engine = engine
        cache = engine.model.makeCache(sequences: slots, capacity: capacity)
        freeSlots = Array((0..<slots).reversed())
    }

    /// Slots that can take a sequence now.
    public var freeSlotCount: Int { freeSlots.count }
    /// Sequences admitted and not yet returned by ``step()``.
    public var activeCount: Int { sequences.count }

    /// Takes a sequence into a free slot; it runs from the next ``step()``. `onText` receives each
    /// newly safe piece of text; `.stop` ends the sequence (``FinishReason/cancelled``). The
    /// log-probabilities of the `scored` token ids as the prompt's next token — the raw distribution,
    /// before temperature or penalties — come back in ``GenerationResult/promptLogProbabilities``
    /// (what a judge reads instead of parsing text).
    public func admit(
        id: Int, prompt: [Int], parameters: GenerationParameters, seed: UInt64, scored: [Int] = [],
        onText: @escaping (String) -> GenerationControl = { _ in .more }
    ) throws {
        try parameters.validate()
        try engine.validatePrompt(prompt, context: cache.capacity)
        if let bad = scored.first(where: { $0 < 0 || $0 >= engine.config.vocabularySize }) {
            throw GenerationError("token id \(bad) to score is outside the vocabulary")
        }
        guard let slot = freeSlots.popLast() else { throw GenerationError("no free slot: every sequence is running") }
        cache.reset(sequence: slot)
        var sequence = Sequence(
            id: id, slot: slot, prompt: prompt, parameters: parameters,
            stops: engine.stopTokenIDs.union(parameters.stopTokenIDs), sampler: Sampler(parameters: parameters, seed: seed),
            stream: TextStream(tokenizer: engine.tokenizer, stopStrings: parameters.stopStrings), onText: onText,
            scored: scored, pending: prompt)
        if parameters.maxTokens == 0 { sequence.finish = .maxTokens }
        sequences.append(sequence)
    }

    /// Ends sequence `id` at the next ``step()``, which returns it as ``FinishReason/cancelled``.
    public func cancel(id: Int) {
        for i in sequences.indices where sequences[i].id == id && sequences[i].finish == nil {
            sequences[i].finish = .cancelled
        }
    }

    /// Runs one forward call over every running sequence and returns those that ended (their slots are
    /// free again). Returns at once when nothing runs.
    public func step() -> [Finished] {
        let running = sequences.indices.filter { sequences[$0].finish == nil }
        let allDecoding = running.filter { !sequences[$0].generated.isEmpty }
        // Decode rows in calls of at most integerBatchLimit, so that they always take the integer kernels.
        for first in stride(from: 0, to: allDecoding.count, by: WeightMatrix.integerBatchLimit) {
            let decoding = Array(allDecoding[first..<min(first + WeightMatrix.integerBatchLimit, allDecoding.count)])
            let start = Date()
            let logits = engine.model.forward(
                decoding.map { LlamaModel.Input(slot: sequences[$0].slot, tokens: sequences[$0].pending) }, cache: cache)
            let seconds = Date().timeIntervalSince(start)
            for (row, i) in decoding.enumerated() {
                sequences[i].timings.decodeTokens += 1
                sequences[i].timings.decodeSeconds += seconds
                sample(logits[row], at: i)
            }
        }
        for i in running where sequences[i].generated.isEmpty {
            let start = Date()
            let logits = engine.model.forward([.init(slot: sequences[i].slot, tokens: sequences[i].pending)], cache: cache)
            sequences[i].timings.prefillTokens = sequences[i].pending.count
            sequences[i].timings.prefillSeconds = Date().timeIntervalSince(start)
            if !sequences[i].scored.isEmpty {
                sequences[i].scores = Self.logProbabilities(of: sequences[i].scored, in: logits[0])
            }
            sample(logits[0], at: i)
        }
        var finished: [Finished] = []
        sequences.removeAll { sequence in
            guard let reason = sequence.finish else { return false }
            var stream = sequence.stream
            let rest = stream.flush()
            if !rest.isEmpty { _ = sequence.onText(rest) }
            finished.append(
                Finished(
                    id: sequence.id,
                    result: GenerationResult(
                        tokens: sequence.generated, text: stream.text, finishReason: reason,
                        promptTokenCount: sequence.prompt.count, timings: sequence.timings,
                        promptLogProbabilities: sequence.scores)))
            freeSlots.append(sequence.slot)
            return true
        }
        return finished
    }

    /// log softmax(logits)[id] for each id, in Double for the sum (151,936 terms for Qwen).
    static func logProbabilities(of ids: [Int], in logits: [Float]) -> [Float] {
        let top = logits.max() ?? 0
        var sum = 0.0
        for value in logits { sum += exp(Double(value - top)) }
        let logZ = Double(top) + log(sum)
        return ids.map { Float(Double(logits[$0]) - logZ) }
    }

    private func sample(_ logits: [Float], at i: Int) {
        let token = sequences[i].sampler.next(logits: logits, prompt: sequences[i].prompt, output: sequences[i].generated)
        accept(token, at: i)
    }

    private func accept(_ token: Int, at i: Int) {
        sequences[i].generated.append(token)
        sequences[i].pending = [token]
        if sequences[i].stops.contains(token) {
            sequences[i].finish = .stopToken
        } else {
            let piece = sequences[i].stream.append(token)
            if !piece.isEmpty, sequences[i].onText(piece) == .stop { sequences[i].finish = .cancelled }
            if sequences[i].finish == nil, sequences[i].stream.stopIndex != nil { sequences[i].finish = .stopString }
        }
        if sequences[i].finish == nil, sequences[i].generated.count >= sequences[i].parameters.maxTokens {
            sequences[i].finish = .maxTokens
        }
        if sequences[i].finish == nil, cache.lengths[sequences[i].slot] >= cache.capacity {
            sequences[i].finish = .contextFull
        }
    }
}

extension LanguageModel {
    /// Checks that `prompt` can be continued within `context` positions, naming what is wrong.
    func validatePrompt(_ prompt: [Int], context: Int) throws {
        guard !prompt.isEmpty else { throw GenerationError("the prompt is empty: there is nothing to continue") }
        if let bad = prompt.first(where: { $0 < 0 || $0 >= config.vocabularySize }) {
            throw GenerationError("the prompt holds token id \(bad), outside the vocabulary")
        }
        guard prompt.count < min(context, config.maxPositions) else {
            throw GenerationError(
                "the prompt has \(prompt.count) tokens; the context is \(min(context, config.maxPositions))")
        }
    }
}
