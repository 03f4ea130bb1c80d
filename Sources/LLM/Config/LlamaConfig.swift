import Foundation

/// Hugging Face `config.json` of `model_type: "llama"`: Llama 2, Llama 3/3.1 (with `llama3` rope
/// scaling), SmolLM/SmolLM2, CodeLlama, DeepSeek-Coder (which ships as llama).
///
/// Keys and defaults are those of `transformers.LlamaConfig`; absent keys take its defaults
/// (`decodeIfPresent ?? default`), so a minimal config decodes as transformers would read it.
public struct LlamaConfig: Decodable, Sendable, Equatable {
    public var modelType: String
    public var vocabSize: Int
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var numHiddenLayers: Int
    public var numAttentionHeads: Int
    /// Defaults to `numAttentionHeads` (no grouped-query attention).
    public var numKeyValueHeads: Int?
    /// Defaults to `hiddenSize / numAttentionHeads`.
    public var headDim: Int?
    public var hiddenAct: String
    public var maxPositionEmbeddings: Int
    public var rmsNormEps: Float
    public var ropeTheta: Float
    var ropeScaling: RopeScalingJSON?
    public var tieWordEmbeddings: Bool
    public var attentionBias: Bool
    public var mlpBias: Bool
    var bosTokenID: TokenIDList?
    var eosTokenID: TokenIDList?

    enum CodingKeys: String, CodingKey {
        case modelType = "model_type"
        case vocabSize = "vocab_size"
        case hiddenSize = "hidden_size"
        case intermediateSize = "intermediate_size"
        case numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads"
        case numKeyValueHeads = "num_key_value_heads"
        case headDim = "head_dim"
        case hiddenAct = "hidden_act"
        case maxPositionEmbeddings = "max_position_embeddings"
        case rmsNormEps = "rms_norm_eps"
        case ropeTheta = "rope_theta"
        case ropeScaling = "rope_scaling"
        case ropeParameters = "rope_parameters"
        case tieWordEmbeddings = "tie_word_embeddings"
        case attentionBias = "attention_bias"
        case mlpBias = "mlp_bias"
        case bosTokenID = "bos_token_id"
        case eosTokenID = "eos_token_id"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        modelType = try c.decodeIfPresent(String.self, forKey: .modelType) ?? "llama"
        vocabSize = try c.decodeIfPresent(Int.self, forKey: .vocabSize) ?? 32000
        hiddenSize = try c.decodeIfPresent(Int.self, forKey: .hiddenSize) ?? 4096
        intermediateSize = try c.decodeIfPresent(Int.self, forKey: .intermediateSize) ?? 11008
        numHiddenLayers = try c.decodeIfPresent(Int.self, forKey: .numHiddenLayers) ?? 32
        numAttentionHeads = try c.decodeIfPresent(Int.self, forKey: .numAttentionHeads) ?? 32
        numKeyValueHeads = try c.decodeIfPresent(Int.self, forKey: .numKeyValueHeads)
        headDim = try c.decodeIfPresent(Int.self, forKey: .headDim)
        hiddenAct = try c.decodeIfPresent(String.self, forKey: .hiddenAct) ?? "silu"
        maxPositionEmbeddings = try c.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings) ?? 2048
        rmsNormEps = try c.decodeIfPresent(Float.self, forKey: .rmsNormEps) ?? 1e-6
        // transformers 5 writes `rope_parameters` (theta inside); Hub checkpoints use `rope_theta` + `rope_scaling`.
        let ropeParameters = try c.decodeIfPresent(RopeScalingJSON.self, forKey: .ropeParameters)
        ropeTheta = try c.decodeIfPresent(Float.self, forKey: .ropeTheta) ?? ropeParameters?.ropeTheta ?? 10000
        ropeScaling = try c.decodeIfPresent(RopeScalingJSON.self, forKey: .ropeScaling) ?? ropeParameters
        tieWordEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tieWordEmbeddings) ?? false
        attentionBias = try c.decodeIfPresent(Bool.self, forKey: .attentionBias) ?? false
        mlpBias = try c.decodeIfPresent(Bool.self, forKey: .mlpBias) ?? false
        bosTokenID = try c.decodeIfPresent(TokenIDList.self, forKey: .bosTokenID)
        eosTokenID = try c.decodeIfPresent(TokenIDList.self, forKey: .eosTokenID)
    }

    /// The normalised hyper-parameters; throws naming the field when they do not fit together.
    public func transformerConfig(file: String) throws -> TransformerConfig {
        guard hiddenAct == "silu" else {
            throw ModelFileError(
                .unsupportedType, file: file, location: "hidden_act", "\(hiddenAct) is not supported (silu)")
        }
        let config = TransformerConfig(
            architecture: "llama", vocabularySize: vocabSize, hiddenSize: hiddenSize,
            intermediateSize: intermediateSize,
            layerCount: numHiddenLayers, headCount: numAttentionHeads,
            kvHeadCount: numKeyValueHeads ?? numAttentionHeads,
            headDim: headDim ?? (numAttentionHeads > 0 ? hiddenSize / numAttentionHeads : 0),
            rmsNormEpsilon: rmsNormEps, ropeTheta: ropeTheta, ropeScaling: try ropeScaling?.resolved(file: file),
            maxPositions: maxPositionEmbeddings, tieWordEmbeddings: tieWordEmbeddings, attentionBias: attentionBias,
            mlpBias: mlpBias, bosTokenID: bosTokenID?.ids.first, eosTokenIDs: eosTokenID?.ids ?? [])
        try config.validate(file: file)
        return config
    }
}
