/// The hyper-parameters the Llama-family transformer needs, whatever file they came from.
///
/// Each architecture has its own `Codable` config with the Hugging Face key names
/// (`LlamaConfig`, `Qwen2Config`); they and GGUF metadata all normalise to this one value,
/// so the model code has a single source of truth.
public struct TransformerConfig: Sendable, Equatable {
    /// `llama` (also SmolLM2, Mistral-style) or `qwen2`.
    public var architecture: String
    public var vocabularySize: Int
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var kvHeadCount: Int
    public var headDim: Int
    public var rmsNormEpsilon: Float
    public var ropeTheta: Float
    public var ropeScaling: RopeScaling?
    public var maxPositions: Int
    /// Whether the output projection reuses the token embedding (SmolLM2, Qwen2-0.5B).
    public var tieWordEmbeddings: Bool
    /// Whether q/k/v projections carry a bias (Qwen2: yes; Llama: `attention_bias`, usually no).
    public var attentionBias: Bool
    public var mlpBias: Bool
    public var bosTokenID: Int?
    public var eosTokenIDs: [Int]

    /// Checks the shapes fit together; throws naming the field at fault.
    /// Weights of the model (embedding, projections, norms; the output layer once more when it is
    /// not tied): 494M for Qwen2.5-Coder-0.5B, 1.54B for the 1.5B, 135M for SmolLM2-135M.
    public var parameterCount: Int {
        let (d, ff, v) = (hiddenSize, intermediateSize, vocabularySize)
        let (q, kv) = (headCount * headDim, kvHeadCount * headDim)
        var perLayer = d * q + 2 * d * kv + q * d + 3 * d * ff + 2 * d
        if attentionBias { perLayer += q + 2 * kv }
        return v * d * (tieWordEmbeddings ? 1 : 2) + layerCount * perLayer + d
    }

    public func validate(file: String) throws {
        func check(_ ok: Bool, _ field: String, _ reason: String) throws {
            if !ok { throw ModelFileError(.invalidValue, file: file, location: field, reason) }
        }
        try check(vocabularySize > 0, "vocab_size", "must be positive, got \(vocabularySize)")
        try check(hiddenSize > 0, "hidden_size", "must be positive, got \(hiddenSize)")
        try check(intermediateSize > 0, "intermediate_size", "must be positive, got \(intermediateSize)")
        try check(layerCount > 0, "num_hidden_layers", "must be positive, got \(layerCount)")
        try check(headCount > 0, "num_attention_heads", "must be positive, got \(headCount)")
        try check(
            kvHeadCount > 0 && headCount % kvHeadCount == 0, "num_key_value_heads",
            "\(kvHeadCount) must divide num_attention_heads \(headCount)")
        try check(headDim > 0 && headDim % 2 == 0, "head_dim", "must be positive and even for RoPE, got \(headDim)")
        try check(rmsNormEpsilon > 0, "rms_norm_eps", "must be positive, got \(rmsNormEpsilon)")
        try check(ropeTheta > 0, "rope_theta", "must be positive, got \(ropeTheta)")
    }
}

/// RoPE frequency scaling. Only Llama 3's scheme (`rope_type: "llama3"`) changes the
/// frequencies of the models we run; linear scaling is kept for older fine-tunes.
public enum RopeScaling: Sendable, Equatable {
    /// Llama 3.1: `transformers`' `_compute_llama3_parameters`.
    case llama3(factor: Float, lowFrequencyFactor: Float, highFrequencyFactor: Float, originalMaxPositions: Int)
    /// Positions divided by `factor` (`rope_type: "linear"`).
    case linear(factor: Float)
    /// One divisor per frequency pair, as llama.cpp stores Llama 3.1's scaling in GGUF files: the
    /// converter writes the llama3 rule's result as the `rope_freqs.weight` tensor
    /// (`convert_hf_to_gguf.py`, `LlamaModel.generate_extra_tensors`) and ggml's RoPE divides each
    /// pair's angle by its factor (`freq_factors`).
    case frequencyFactors([Float])

    /// The per-pair inverse frequencies θ⁻²ⁱᐟᵈ after scaling, for `headDim / 2` pairs.
    public func scaled(_ inverseFrequencies: [Float]) -> [Float] {
        switch self {
        case .linear(let factor):
            return inverseFrequencies.map { $0 / factor }
        case .frequencyFactors(let factors):
            // ModelRegistry.config(gguf:) checks there is one factor per pair.
            return zip(inverseFrequencies, factors).map { $0 / $1 }
        case .llama3(let factor, let low, let high, let original):
            let lowWavelength = Float(original) / low
            let highWavelength = Float(original) / high
            return inverseFrequencies.map { f in
                let wavelength = 2 * Float.pi / f
                if wavelength < highWavelength { return f }
                if wavelength > lowWavelength { return f / factor }
                let smooth = (Float(original) / wavelength - low) / (high - low)
                return (1 - smooth) * f / factor + smooth * f
            }
        }
    }
}
