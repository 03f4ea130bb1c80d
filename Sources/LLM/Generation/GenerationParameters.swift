import ClarifyCore

/// How to pick tokens and when to stop, with `transformers`' `GenerationConfig` meanings: the
/// engine's form of ``DecodingSettings`` (fp32 values, "off" spelled as the neutral value), made
/// from one with ``init(_:stopTokenIDs:)``; its defaults are that value's.
public struct GenerationParameters: Sendable, Equatable {
    /// New tokens at most.
    public var maxTokens: Int
    /// 0 picks the most likely token (greedy, ties to the lowest id as `torch.argmax`); above 0
    /// samples from softmax(logits / temperature).
    public var temperature: Float
    /// Keep only the `topK` most likely tokens before sampling (0: all).
    public var topK: Int
    /// Keep the smallest set of most likely tokens whose probability reaches `topP` (1: all).
    public var topP: Float
    /// `RepetitionPenaltyLogitsProcessor`: logits of tokens already in the prompt or output are
    /// divided by this when positive, multiplied when negative (1: off).
    public var repetitionPenalty: Float
    /// OpenAI's `presence_penalty`: subtracted from the logit of every token already in the output
    /// (not the prompt), once. 0: off; OpenAI allows -2…2.
    public var presencePenalty: Float
    /// OpenAI's `frequency_penalty`: subtracted from a token's logit once per time it occurs in the
    /// output (not the prompt). 0: off; OpenAI allows -2…2.
    public var frequencyPenalty: Float
    /// Seeds the sampler; sequence `i` of a batch uses `seed + i`.
    public var seed: UInt64
    /// Generation ends before the first occurrence of any of these; the text returned excludes it.
    public var stopStrings: [String]
    /// Token ids that end generation (added to the model's EOS / end-of-turn ids).
    public var stopTokenIDs: Set<Int>

    public init(
        maxTokens: Int = DecodingSettings.defaults.maxTokens, temperature: Float = 0, topK: Int = 0, topP: Float = 1, repetitionPenalty: Float = 1,
        presencePenalty: Float = 0, frequencyPenalty: Float = 0, seed: UInt64 = 0, stopStrings: [String] = [],
        stopTokenIDs: Set<Int> = []
    ) {
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.repetitionPenalty = repetitionPenalty
        self.presencePenalty = presencePenalty
        self.frequencyPenalty = frequencyPenalty
        self.seed = seed
        self.stopStrings = stopStrings
        self.stopTokenIDs = stopTokenIDs
    }

    /// The engine's parameters for `decoding`; nil values become the neutral ones (top-p 1, top-k 0,
    /// penalties off).
    public init(_ decoding: DecodingSettings, stopTokenIDs: Set<Int> = []) {
        self.init(
            maxTokens: decoding.maxTokens, temperature: Float(decoding.temperature), topK: decoding.topK ?? 0,
            topP: Float(decoding.topP ?? 1), repetitionPenalty: Float(decoding.repetitionPenalty ?? 1),
            presencePenalty: Float(decoding.presencePenalty ?? 0), frequencyPenalty: Float(decoding.frequencyPenalty ?? 0),
            seed: UInt64(bitPattern: Int64(decoding.seed)), stopStrings: decoding.stop, stopTokenIDs: stopTokenIDs)
    }

    /// Checks the values with ``DecodingSettings``' rules (one definition of what is in range),
    /// naming the parameter at fault; 0 new tokens is allowed here (prompt scoring asks for none).
    public func validate() throws {
        let settings = DecodingSettings(
            maxTokens: max(1, maxTokens), temperature: Double(temperature), topP: Double(topP), topK: topK,
            repetitionPenalty: Double(repetitionPenalty), presencePenalty: Double(presencePenalty),
            frequencyPenalty: Double(frequencyPenalty), stop: stopStrings)
        if maxTokens < 0 { throw GenerationError("max_tokens must be 0 or more, got \(maxTokens)") }
        if let (key, message) = settings.problem { throw GenerationError("\(key) \(message)") }
    }
}

/// Why a sequence stopped.
public enum FinishReason: String, Sendable, Equatable {
    /// An end-of-sequence or end-of-turn token (not part of the text).
    case stopToken
    /// A stop string appeared (cut from the text).
    case stopString
    /// `maxTokens` reached.
    case maxTokens
    /// The model's context (or the cache) is full.
    case contextFull
    /// The streaming callback asked to stop.
    case cancelled
}

/// One generated sequence.
public struct GenerationResult: Sendable, Equatable {
    /// The new token ids, including a final stop token when there was one.
    public var tokens: [Int]
    /// The new text, without stop tokens and without a stop string or what followed it.
    public var text: String
    public var finishReason: FinishReason
    public var promptTokenCount: Int
    /// Timings of the call that produced it (shared by the sequences of a batch).
    public var timings: GenerationTimings
    /// Log-probabilities of the token ids a caller asked to score, as the prompt's next token (in the
    /// order asked; empty when none were).
    public var promptLogProbabilities: [Float] = []
}

/// Timings of a generation call, for benchmarks and `--verbose` output.
public struct GenerationTimings: Sendable, Equatable {
    public var prefillTokens = 0
    public var prefillSeconds = 0.0
    public var decodeTokens = 0
    public var decodeSeconds = 0.0
    public var prefillTokensPerSecond: Double { prefillSeconds > 0 ? Double(prefillTokens) / prefillSeconds : 0 }
    public var decodeTokensPerSecond: Double { decodeSeconds > 0 ? Double(decodeTokens) / decodeSeconds : 0 }
}

/// Whether a streaming callback wants more text.
public enum GenerationControl: Sendable {
    case more
    case stop
}

public struct GenerationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
