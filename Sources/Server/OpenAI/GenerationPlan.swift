import Backends
import ClarifyCore
import Foundation
import LLM

/// One checked generation request, whatever the endpoint: the model it names, the prompt ids, the
/// engine's parameters and how many choices — or the 4xx that says why it cannot run. Everything
/// that could refuse a request is checked here, before a status line is sent, so a stream never
/// starts for a request the engine would turn down.
struct GenerationPlan: Sendable {
    let entry: ServedModels.Entry
    let prompt: [Int]
    let parameters: GenerationParameters
    let choices: Int

    /// - Parameters:
    ///   - defaultMaxTokens: OpenAI's default for the endpoint (16 for completions); nil: the rest of the context.
    ///   - maxChoices: the largest `n` accepted.
    init(
        entry: ServedModels.Entry, prompt: [Int], sampling: OpenAIRequests.Sampling, defaultMaxTokens: Int?,
        maxChoices: Int
    ) throws {
        let context = entry.model.context
        guard prompt.count < context else {
            throw APIError.contextTooLong(prompt: prompt.count, maxTokens: nil, context: context)
        }
        let asked = sampling.max_completion_tokens ?? sampling.max_tokens
        if let asked {
            let field = sampling.max_completion_tokens != nil ? "max_completion_tokens" : "max_tokens"
            guard asked >= 1 else {
                throw APIError.invalidRequest("\(field): must be at least 1, got \(asked)", param: field)
            }
            guard prompt.count + asked <= context else {
                throw APIError.contextTooLong(prompt: prompt.count, maxTokens: asked, context: context)
            }
        }
        let maxTokens = asked ?? min(defaultMaxTokens ?? .max, context - prompt.count)
        let choices = sampling.n ?? 1
        guard (1...maxChoices).contains(choices) else {
            throw APIError.invalidRequest("n: must be in 1...\(maxChoices), got \(choices)", param: "n")
        }
        let stop = sampling.stop?.values ?? []
        guard stop.count <= 4, !stop.contains("") else {
            throw APIError.invalidRequest("stop: up to 4 non-empty strings", param: "stop")
        }
        // OpenAI's defaults: temperature 1, and without a seed a different draw each time.
        let request = ChatRequest(
            messages: [], temperature: sampling.temperature ?? 1, topP: sampling.top_p, maxTokens: maxTokens,
            n: choices,
            seed: sampling.seed ?? Int.random(in: 0...Int(Int32.max)), stop: stop,
            repetitionPenalty: sampling.repetition_penalty, presencePenalty: sampling.presence_penalty,
            frequencyPenalty: sampling.frequency_penalty, topK: sampling.top_k)
        if let (key, message) = request.decoding.problem {
            throw APIError.invalidRequest("\(key) \(message)", param: key)
        }
        do {
            parameters = try LocalChatModel.parameters(request)
        } catch let error as BackendError {
            throw APIError.invalidRequest(Self.plain(error))
        }
        self.entry = entry
        self.prompt = prompt
        self.choices = choices
    }

    /// The engine's message without the backend's prefix (which says "local engine", not which field).
    private static func plain(_ error: BackendError) -> String {
        var text = error.message
        for prefix in ["the local engine cannot take this request: "] where text.hasPrefix(prefix) {
            text.removeFirst(prefix.count)
        }
        return text
    }

    /// Every choice's events, merged as they come: `(choice index, event)`. Ending the iteration (or
    /// cancelling its task) cancels every choice, which frees their batch slots.
    func events() -> AsyncThrowingStream<(Int, LocalGenerationEvent), any Error> {
        let streams = (0..<choices).map { index in
            var parameters = parameters
            parameters.seed &+= UInt64(index)
            return entry.model.stream(prompt: prompt, parameters: parameters)
        }
        let (merged, continuation) = AsyncThrowingStream.makeStream(of: (Int, LocalGenerationEvent).self)
        let task = Task {
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (index, stream) in streams.enumerated() {
                        group.addTask {
                            for try await event in stream { continuation.yield((index, event)) }
                        }
                    }
                    try await group.waitForAll()
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return merged
    }
}
