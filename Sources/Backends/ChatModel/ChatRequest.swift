import ClarifyCore

/// One chat-completion request, in the vocabulary of the OpenAI `/v1/chat/completions` API that
/// vLLM, llama.cpp's server, Ollama and hosted endpoints all accept, so the same request can be
/// sent to the local engine or to any endpoint.
///
/// `Codable` with the Swift property names; the wire format (`top_p`, `max_tokens`, …) is the
/// HTTP client's business. The encoded form is also the response-cache key, so its fields must
/// say everything that changes the answer.
public struct ChatRequest: Codable, Sendable, Hashable {
    /// The conversation so far; the model answers the last message.
    public var messages: [Message]
    /// Sampling temperature; `0` asks for greedy decoding.
    public var temperature: Double
    /// Nucleus-sampling mass; `nil` leaves the backend's default (1.0 for OpenAI).
    public var topP: Double?
    /// Upper bound on generated tokens per choice; `nil` leaves the backend's default.
    public var maxTokens: Int?
    /// Number of independent choices to generate (pass@k sampling draws n > 1).
    public var n: Int
    /// Sampling seed, for backends that honour one; a seeded request is reproducible.
    public var seed: Int?
    /// Strings at which generation stops; the stop string itself is not returned.
    public var stop: [String]
    /// `transformers`' repetition penalty (logits of tokens already in the prompt or the answer are
    /// divided by it when positive, multiplied when negative); `nil` leaves the backend's default (off).
    /// Not part of OpenAI's API: sent as vLLM's `repetition_penalty`, and only when set.
    public var repetitionPenalty: Double?
    /// OpenAI's `presence_penalty` (-2…2): subtracted once from the logit of every token the answer
    /// already holds, not the prompt's; `nil` leaves the backend's default (0, off).
    public var presencePenalty: Double?
    /// OpenAI's `frequency_penalty` (-2…2): subtracted from a token's logit once per time the answer
    /// already holds it; `nil` leaves the backend's default (0, off).
    public var frequencyPenalty: Double?
    /// Keep only the k most likely tokens before sampling; `nil` leaves the backend's default (off).
    /// Not part of OpenAI's API: sent as vLLM's and llama.cpp's `top_k`, and only when set.
    public var topK: Int?

    public init(
        messages: [Message],
        temperature: Double = 0,
        topP: Double? = nil,
        maxTokens: Int? = nil,
        n: Int = 1,
        seed: Int? = nil,
        stop: [String] = [],
        repetitionPenalty: Double? = nil,
        presencePenalty: Double? = nil,
        frequencyPenalty: Double? = nil,
        topK: Int? = nil
    ) {
        self.messages = messages
        self.temperature = temperature
        self.topP = topP
        self.maxTokens = maxTokens
        self.n = n
        self.seed = seed
        self.stop = stop
        self.repetitionPenalty = repetitionPenalty
        self.presencePenalty = presencePenalty
        self.frequencyPenalty = frequencyPenalty
        self.topK = topK
    }

    /// A request for `messages` decoded as `decoding` says (a top-k of 0 is sent as unset).
    public init(messages: [Message], decoding: DecodingSettings, n: Int = 1) {
        self.init(
            messages: messages, temperature: decoding.temperature, topP: decoding.topP, maxTokens: decoding.maxTokens,
            n: n, seed: decoding.seed, stop: decoding.stop, repetitionPenalty: decoding.repetitionPenalty,
            presencePenalty: decoding.presencePenalty, frequencyPenalty: decoding.frequencyPenalty,
            topK: decoding.topK == 0 ? nil : decoding.topK)
    }

    /// The request's decoding settings; what it leaves unset takes ``DecodingSettings``' defaults.
    public var decoding: DecodingSettings {
        DecodingSettings(
            maxTokens: maxTokens ?? DecodingSettings.defaults.maxTokens, temperature: temperature, topP: topP, topK: topK,
            repetitionPenalty: repetitionPenalty, presencePenalty: presencePenalty, frequencyPenalty: frequencyPenalty,
            seed: seed ?? DecodingSettings.defaults.seed, stop: stop)
    }

    /// Whether the same request should give the same answer: greedy or seeded. Only such
    /// requests are cached by default, since caching a sampled answer would silently turn
    /// n samples of a run into one.
    public var isDeterministic: Bool { temperature == 0 || seed != nil }

    /// The last user message, which is what scripted and reference models answer.
    public var lastUserMessage: String? { messages.last { $0.role == .user }?.content }
}

/// Why a choice stopped. A struct rather than an enum so that a backend reporting a reason we
/// have not seen (`tool_calls`, a vendor's own) is kept verbatim instead of failing to decode.
public struct FinishReason: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The model ended its answer or hit a stop string.
    public static let stop = FinishReason(rawValue: "stop")
    /// The answer was cut at `maxTokens` (or the context length).
    public static let length = FinishReason(rawValue: "length")
    /// The backend withheld content.
    public static let contentFilter = FinishReason(rawValue: "content_filter")
    /// The backend did not say (`finish_reason: null`).
    public static let unknown = FinishReason(rawValue: "unknown")

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Tokens consumed by one request, as the backend counts them.
public struct TokenUsage: Codable, Sendable, Hashable {
    public var promptTokens: Int
    public var completionTokens: Int
    public var totalTokens: Int { promptTokens + completionTokens }

    public init(promptTokens: Int, completionTokens: Int) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }
}

/// One generated answer.
public struct ChatChoice: Codable, Sendable, Hashable {
    /// Position among the request's `n` choices.
    public var index: Int
    /// The assistant's text (empty when the backend sent none).
    public var content: String
    public var finishReason: FinishReason

    public init(index: Int, content: String, finishReason: FinishReason = .stop) {
        self.index = index
        self.content = content
        self.finishReason = finishReason
    }
}

/// A model's answer to a ``ChatRequest``: `n` choices, ordered by index, and token usage.
public struct ChatResponse: Codable, Sendable, Hashable {
    public var choices: [ChatChoice]
    /// `nil` when the backend did not report usage.
    public var usage: TokenUsage?
    /// The model that answered, as the backend names it (may differ from the requested alias).
    public var model: String

    public init(choices: [ChatChoice], usage: TokenUsage? = nil, model: String) {
        self.choices = choices
        self.usage = usage
        self.model = model
    }

    /// The first choice's text: what single-sample callers want.
    public var text: String { choices.first?.content ?? "" }
}
