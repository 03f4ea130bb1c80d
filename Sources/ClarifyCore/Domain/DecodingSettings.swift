/// How a model picks its tokens and when it stops: the one value, with the one set of defaults,
/// that the engine (`GenerationParameters(_:)`), chat requests (`ChatRequest(messages:decoding:)`),
/// evaluation (`EvaluationParameters.decoding`), the pipeline (`eval.temperature`,
/// `eval.max_tokens`, the `eval.*_penalty` keys) and the CLI (`--temperature`, `--max-tokens`,
/// `--top-p`, … on `generate`, `chat` and `eval`, one option group) share.
///
/// `transformers`' `GenerationConfig` and OpenAI's meanings throughout. Optional fields are "off"
/// when nil, and a request leaves them out, so a backend applies its own default (off for all of
/// them) and an older run's stored settings read unchanged. Keys as a config or JSON file writes
/// them: `max_tokens`, `temperature`, `top_p`, `top_k`, `repetition_penalty`, `presence_penalty`,
/// `frequency_penalty`, `seed`, `stop`.
public struct DecodingSettings: Codable, Sendable, Hashable {
    /// New tokens at most per answer. 512 holds a HumanEval solution of the Qwen models with room
    /// to spare; a model that loops stops there.
    public var maxTokens: Int
    /// 0 picks the most likely token (greedy); above 0 samples from softmax(logits / temperature).
    /// At most 2, as OpenAI's API allows.
    public var temperature: Double
    /// Nucleus sampling: keep the most likely tokens holding this much probability, in (0, 1] (nil: all).
    public var topP: Double?
    /// Keep only the k most likely tokens before sampling (nil or 0: all).
    public var topK: Int?
    /// `transformers`' repetition penalty: logits of tokens already in the prompt or the answer are
    /// divided by it when positive, multiplied when negative (nil: off, i.e. 1).
    public var repetitionPenalty: Double?
    /// OpenAI's presence penalty, -2…2: subtracted once from every token the answer already holds
    /// (nil: off).
    public var presencePenalty: Double?
    /// OpenAI's frequency penalty, -2…2: subtracted once per time the answer already holds a token
    /// (nil: off).
    public var frequencyPenalty: Double?
    /// Seeds the sampler; sample i of a prompt uses `seed + i`.
    public var seed: Int
    /// Generation ends before the first of these strings; the answer excludes it.
    public var stop: [String]

    public init(
        maxTokens: Int = 512, temperature: Double = 0, topP: Double? = nil, topK: Int? = nil,
        repetitionPenalty: Double? = nil, presencePenalty: Double? = nil, frequencyPenalty: Double? = nil,
        seed: Int = 0, stop: [String] = []
    ) {
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
        self.repetitionPenalty = repetitionPenalty
        self.presencePenalty = presencePenalty
        self.frequencyPenalty = frequencyPenalty
        self.seed = seed
        self.stop = stop
    }

    /// The defaults, for the places that show or compare them (flag help, config defaults).
    public static let defaults = DecodingSettings()

    enum CodingKeys: String, CodingKey {
        case temperature, seed, stop
        case maxTokens = "max_tokens"
        case topP = "top_p"
        case topK = "top_k"
        case repetitionPenalty = "repetition_penalty"
        case presencePenalty = "presence_penalty"
        case frequencyPenalty = "frequency_penalty"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Self.defaults
        maxTokens = try container.decodeIfPresent(Int.self, forKey: .maxTokens) ?? defaults.maxTokens
        temperature = try container.decodeIfPresent(Double.self, forKey: .temperature) ?? defaults.temperature
        topP = try container.decodeIfPresent(Double.self, forKey: .topP)
        topK = try container.decodeIfPresent(Int.self, forKey: .topK)
        repetitionPenalty = try container.decodeIfPresent(Double.self, forKey: .repetitionPenalty)
        presencePenalty = try container.decodeIfPresent(Double.self, forKey: .presencePenalty)
        frequencyPenalty = try container.decodeIfPresent(Double.self, forKey: .frequencyPenalty)
        seed = try container.decodeIfPresent(Int.self, forKey: .seed) ?? defaults.seed
        stop = try container.decodeIfPresent([String].self, forKey: .stop) ?? defaults.stop
    }

    /// The first value out of range, named by its key (`top_p must be in (0, 1], got 0`); nil when
    /// every value is usable. Callers prefix the key with their own spelling (`--top-p`, `eval.top_p`).
    public var problem: (key: String, message: String)? {
        if maxTokens < 1 { return ("max_tokens", "must be at least 1, got \(maxTokens)") }
        if !(0...2).contains(temperature) { return ("temperature", "must be between 0 and 2, got \(temperature)") }
        if let topP, !(topP > 0 && topP <= 1) { return ("top_p", "must be in (0, 1], got \(topP)") }
        if let topK, topK < 0 { return ("top_k", "must be 0 (off) or more, got \(topK)") }
        if let repetitionPenalty, !(repetitionPenalty > 0 && repetitionPenalty.isFinite) {
            return ("repetition_penalty", "must be positive, got \(repetitionPenalty)")
        }
        if let presencePenalty, !(-2...2).contains(presencePenalty) {
            return ("presence_penalty", "must be in [-2, 2], got \(presencePenalty)")
        }
        if let frequencyPenalty, !(-2...2).contains(frequencyPenalty) {
            return ("frequency_penalty", "must be in [-2, 2], got \(frequencyPenalty)")
        }
        if stop.contains("") { return ("stop", "a stop string cannot be empty") }
        return nil
    }
}
