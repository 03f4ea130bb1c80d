/// How to pick tokens and when to stop, with `transformers`' `GenerationConfig` meanings.
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
        maxTokens: Int = 256, temperature: Float = 0, topK: Int = 0, topP: Float = 1, repetitionPenalty: Float = 1,
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

    /// Checks the values, naming the parameter at fault.
    public func validate() throws {
        func check(_ ok: Bool, _ message: String) throws {
            if !ok { throw GenerationError(message) }
        }
        try check(maxTokens >= 0, "max tokens must be 0 or more, got \(maxTokens)")
        try check(temperature >= 0 && temperature.isFinite, "temperature must be 0 or more, got \(temperature)")
        try check(topK >= 0, "top-k must be 0 (off) or more, got \(topK)")
        try check(topP > 0 && topP <= 1, "top-p must be in (0, 1], got \(topP)")
        try check(repetitionPenalty > 0 && repetitionPenalty.isFinite, "repetition penalty must be positive")
        try check((-2...2).contains(presencePenalty), "presence penalty must be in [-2, 2], got \(presencePenalty)")
        try check((-2...2).contains(frequencyPenalty), "frequency penalty must be in [-2, 2], got \(frequencyPenalty)")
        try check(!stopStrings.contains(""), "a stop string cannot be empty")
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
