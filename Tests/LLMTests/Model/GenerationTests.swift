import Foundation
import Testing

@testable import LLM

@Suite("Sampling and streaming")
struct GenerationTests {
    @Test("greedy picks the largest logit, the lowest id on ties")
    func greedy() {
        var sampler = Sampler(parameters: GenerationParameters(), seed: 1)
        #expect(sampler.next(logits: [0.1, 3, 3, -1], prompt: [], output: []) == 1)
    }

    @Test("repetition penalty demotes tokens already seen, as transformers does")
    func repetitionPenalty() {
        var sampler = Sampler(parameters: GenerationParameters(repetitionPenalty: 2), seed: 1)
        // 3 / 2 = 1.5 < 2: token 1 loses to token 2.
        #expect(sampler.next(logits: [0, 3, 2], prompt: [1], output: []) == 2)
        // A negative logit is multiplied: -1 * 2 = -2 < -1.5.
        #expect(sampler.next(logits: [-1.5, -1, -3], prompt: [], output: [1]) == 0)
    }

    @Test("presence and frequency penalties count the output only, as OpenAI defines them")
    func presenceAndFrequency() {
        // OpenAI: logit[j] -= count[j] * frequency + (count[j] > 0) * presence, over generated tokens.
        var presence = Sampler(parameters: GenerationParameters(presencePenalty: 0.6), seed: 1)
        // Token 1 was generated twice: 3 - 0.6 = 2.4 still beats 2.3 (presence counts once).
        #expect(presence.next(logits: [0, 3, 2.3], prompt: [], output: [1, 1]) == 1)
        // In the prompt only, it is not penalised at all.
        #expect(presence.next(logits: [0, 3, 2.9], prompt: [1, 1, 1], output: [2]) == 1)
        var frequency = Sampler(parameters: GenerationParameters(frequencyPenalty: 0.4), seed: 1)
        // Twice generated: 3 - 0.8 = 2.2 < 2.3; once: 2.6 > 2.3.
        #expect(frequency.next(logits: [0, 3, 2.3], prompt: [], output: [1, 1]) == 2)
        #expect(frequency.next(logits: [0, 3, 2.3], prompt: [1, 1], output: [1]) == 1)
        // Both together, and a negative value favours repeats.
        var both = Sampler(parameters: GenerationParameters(presencePenalty: 0.5, frequencyPenalty: 0.25), seed: 1)
        // 3 - 0.5 - 0.25 = 2.25 < 2.3.
        #expect(both.next(logits: [0, 3, 2.3], prompt: [], output: [1]) == 2)
        var negative = Sampler(parameters: GenerationParameters(presencePenalty: -1), seed: 1)
        #expect(negative.next(logits: [0, 2, 2.5], prompt: [], output: [1]) == 1)
    }

    @Test("top-k 1 and a tiny top-p both reduce sampling to the argmax")
    func truncation() {
        let logits: [Float] = [1, 2, 5, 4.9, 0]
        for parameters in [
            GenerationParameters(temperature: 1.5, topK: 1), GenerationParameters(temperature: 1.5, topP: 0.01),
        ] {
            var sampler = Sampler(parameters: parameters, seed: 7)
            for _ in 0..<50 { #expect(sampler.next(logits: logits, prompt: [], output: []) == 2) }
        }
    }

    @Test("sampling follows the softmax and the same seed repeats the same draws")
    func samplingDistribution() {
        let logits: [Float] = [0, log(3)]  // probabilities 1/4, 3/4
        var sampler = Sampler(parameters: GenerationParameters(temperature: 1), seed: 42)
        let draws = (0..<4000).map { _ in sampler.next(logits: logits, prompt: [], output: []) }
        let share = Double(draws.filter { $0 == 1 }.count) / 4000
        #expect(abs(share - 0.75) < 0.03)
        var again = Sampler(parameters: GenerationParameters(temperature: 1), seed: 42)
        #expect((0..<4000).map { _ in again.next(logits: logits, prompt: [], output: []) } == draws)
    }

    @Test("top-k keeps the k largest in order")
    func largest() {
        #expect(Sampler.largest(3, of: [0.5, 9, 1, 9, 7, -2]) == [1, 3, 4])
    }

    @Test("invalid parameters are rejected naming the parameter")
    func validation() {
        #expect(throws: GenerationError.self) { try GenerationParameters(topP: 0).validate() }
        #expect(throws: GenerationError.self) { try GenerationParameters(temperature: -1).validate() }
        #expect(throws: GenerationError.self) { try GenerationParameters(stopStrings: [""]).validate() }
        #expect(throws: GenerationError.self) { try GenerationParameters(presencePenalty: 2.5).validate() }
        #expect(throws: GenerationError.self) { try GenerationParameters(frequencyPenalty: -3).validate() }
        #expect(throws: GenerationError.self) { try GenerationParameters(frequencyPenalty: .nan).validate() }
    }

    @Test("streamed text stops before a stop string split across tokens and never splits a character")
    func textStream() throws {
        let tokenizer = try Tokenizer(tokenizerJSONAt: Fixtures.path("Tokenizer/qwen2.tokenizer.json"))
        let text = "print('héllo 🙂 world')\n```\nmore text"
        let ids = tokenizer.encode(text)
        var stream = TextStream(tokenizer: tokenizer, stopStrings: ["\n```"])
        var pieces: [String] = []
        for id in ids {
            let piece = stream.append(id)
            if !piece.isEmpty { pieces.append(piece) }
        }
        pieces.append(stream.flush())
        #expect(pieces.joined() == "print('héllo 🙂 world')")
        #expect(stream.text == "print('héllo 🙂 world')")
        #expect(pieces.allSatisfy { !$0.contains("\u{FFFD}") })
    }

    @Test("generation on the tiny model honours max tokens, stop strings and cancellation")
    func finishReasons() throws {
        let model = try SharedModels.qwen2Tiny.get()
        let prompt = model.tokenizer.encode("def f(x):")
        let capped = try model.generate(prompt: prompt, parameters: GenerationParameters(maxTokens: 5))
        #expect(capped.tokens.count <= 5)
        if capped.finishReason != .stopToken { #expect(capped.finishReason == .maxTokens) }
        let full = try model.generate(prompt: prompt, parameters: GenerationParameters(maxTokens: 20))
        if full.text.count > 3 {
            let stop = String(full.text.dropFirst(2).prefix(2))
            let cut = try model.generate(
                prompt: prompt, parameters: GenerationParameters(maxTokens: 20, stopStrings: [stop]))
            #expect(cut.finishReason == .stopString)
            #expect(cut.text == String(full.text[..<full.text.range(of: stop)!.lowerBound]))
        }
        var calls = 0
        let cancelled = try model.generate(prompt: prompt, parameters: GenerationParameters(maxTokens: 20)) { _ in
            calls += 1
            return .stop
        }
        if full.text.count > 0 && full.tokens.count > 1 {
            #expect(cancelled.finishReason == .cancelled)
            #expect(cancelled.tokens.count < 20)
        }
    }
}
