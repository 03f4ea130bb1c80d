import ClarifyCore
import Foundation
import LLM

/// The local engine steered and read below the text: replies begun with a forced prefix, and the
/// next-token distribution after it. Both go through the same continuous-batching scheduler as
/// ordinary requests, so scoring shares the engine with generation.
extension LocalChatModel: ScoringChatModel {
    public func complete(_ request: ChatRequest, assistantPrefix: String) async throws -> ChatResponse {
        let parameters = try Self.parameters(request)
        let prompt = try prefixedPrompt(request.messages, assistantPrefix: assistantPrefix)
        let choices = max(1, request.n)
        let job = LocalBatchScheduler.Job(prompts: Array(repeating: prompt, count: choices), parameters: parameters)
        let results = try await scheduler.submit(job, engine: engine)
        return ChatResponse(
            choices: results.enumerated().map { index, result in
                ChatChoice(
                    index: index, content: result.text,
                    finishReason: result.finishReason == .maxTokens || result.finishReason == .contextFull
                        ? .length : .stop)
            },
            usage: TokenUsage(promptTokens: prompt.count, completionTokens: results.map(\.tokens.count).reduce(0, +)),
            model: identity)
    }

    public func nextTokenLogProbabilities(
        _ messages: [Message], assistantPrefix: String, candidates: [[String]]
    ) async throws -> [Double] {
        let prompt = try prefixedPrompt(messages, assistantPrefix: assistantPrefix)
        let ids = try Self.firstTokens(of: candidates, tokenizer: engine.tokenizer)
        let flat = ids.flatMap { $0 }
        // One token is generated (greedy) only because a sequence must take a step; the scores
        // come from the logits that chose it.
        let job = LocalBatchScheduler.Job(
            prompts: [prompt], parameters: GenerationParameters(maxTokens: 1, temperature: 0), scored: flat)
        let scores = try await scheduler.submit(job, engine: engine)[0].promptLogProbabilities
        var offset = 0
        return ids.map { group in
            defer { offset += group.count }
            let values = scores[offset..<offset + group.count].map(Double.init)
            let top = values.max() ?? -.infinity
            guard top.isFinite else { return top }
            return top + log(values.map { exp($0 - top) }.reduce(0, +))
        }
    }

    /// The chat prompt ending with the assistant's turn header, then `assistantPrefix`, encoded as
    /// one text so the prefix tokenizes as it would inside a reply.
    func prefixedPrompt(_ messages: [Message], assistantPrefix: String) throws -> [Int] {
        guard let format = template ?? engine.chatTemplate else {
            throw BackendError(.configuration, "\(engine.path): no chat template this engine recognises")
        }
        return engine.tokenizer.encode(format.render(messages, addGenerationPrompt: true) + assistantPrefix)
    }

    /// The distinct first token of each spelling of each candidate; an error when two candidates
    /// share one (their probabilities could not be told apart).
    static func firstTokens(of candidates: [[String]], tokenizer: Tokenizer) throws -> [[Int]] {
        var owner: [Int: Int] = [:]
        return try candidates.enumerated().map { index, spellings in
            var ids: [Int] = []
            for spelling in spellings {
                guard let id = tokenizer.encode(spelling).first else {
                    throw BackendError(.requestRejected, "the candidate spelling '\(spelling)' encodes to no token")
                }
                if let other = owner[id], other != index {
                    throw BackendError(
                        .requestRejected,
                        "candidates \(other + 1) and \(index + 1) begin with the same token ('\(spelling)')")
                }
                owner[id] = index
                if !ids.contains(id) { ids.append(id) }
            }
            return ids
        }
    }
}
