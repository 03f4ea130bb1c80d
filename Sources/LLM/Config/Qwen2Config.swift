import Foundation

/// Hugging Face `config.json` of `model_type: "qwen2"`: Qwen2, Qwen2.5 and Qwen2.5-Coder.
///
/// The architecture is Llama's with a bias on the q/k/v projections (always, so there is no
/// key for it) and NEOX-style RoPE. Keys and defaults are those of `transformers.Qwen2Config`.
public struct Qwen2Config: Decodable, Sendable, Equatable {
    public var modelType: String
    public var vocabSize: Int
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var numHiddenLayers: Int
    public var numAttentionHeads: Int
    public var numKeyValueHeads: Int
    public var hiddenAct: String
    public var maxPositionEmbeddings: Int
    public var rmsNormEps: Float
    public var ropeTheta: Float
    var ropeScaling: RopeScalingJSON?
    public var tieWordEmbeddings: Bool
    public var useSlidingWindow: Bool
    public var slidingWindow: Int?
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
        case hiddenAct = "hidden_act"
        case maxPositionEmbeddings = "max_position_embeddings"
        case rmsNormEps = "rms_norm_eps"
        case ropeTheta = "rope_theta"
        case ropeScaling = "rope_scaling"
        case ropeParameters = "rope_parameters"
        case tieWordEmbeddings = "tie_word_embeddings"
        case useSlidingWindow = "use_sliding_window"
        case slidingWindow = "sliding_window"
        case bosTokenID = "bos_token_id"
        case eosTokenID = "eos_token_id"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        modelType = try c.decodeIfPresent(String.self, forKey: .modelType) ?? "qwen2"
        vocabSize = try c.decodeIfPresent(Int.self, forKey: .vocabSize) ?? 151936
        hiddenSize = try c.decodeIfPresent(Int.self, forKey: .hiddenSize) ?? 4096
        intermediateSize = try c.decodeIfPresent(Int.self, forKey: .intermediateSize) ?? 22016
        numHiddenLayers = try c.decodeIfPresent(Int.self, forKey: .numHiddenLayers) ?? 32
        numAttentionHeads = try c.decodeIfPresent(Int.self, forKey: .numAttentionHeads) ?? 32
        numKeyValueHeads = try c.decodeIfPresent(Int.self, forKey: .numKeyValueHeads) ?? 32
        hiddenAct = try c.decodeIfPresent(String.self, forKey: .hiddenAct) ?? "silu"
        maxPositionEmbeddings = try c.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings) ?? 32768
        rmsNormEps = try c.decodeIfPresent(Float.self, forKey: .rmsNormEps) ?? 1e-6
        // transformers 5 writes `rope_parameters` (theta inside); Hub checkpoints use `rope_theta` + `rope_scaling`.
        let ropeParameters = try c.decodeIfPresent(RopeScalingJSON.self, forKey: .ropeParameters)
        ropeTheta = try c.decodeIfPresent(Float.self, forKey: .ropeTheta) ?? ropeParameters?.ropeTheta ?? 10000
        ropeScaling = try c.decodeIfPresent(RopeScalingJSON.self, forKey: .ropeScaling) ?? ropeParameters
        tieWordEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tieWordEmbeddings) ?? false
        useSlidingWindow = try c.decodeIfPresent(Bool.self, forKey: .useSlidingWindow) ?? false
        slidingWindow = try c.decodeIfPresent(Int.self, forKey: .slidingWindow)
        bosTokenID = try c.decodeIfPresent(TokenIDList.self, forKey: .bosTokenID)
        eosTokenID = try c.decodeIfPresent(TokenIDList.self, forKey: .eosTokenID)
    }

    public func transformerConfig(file: String) throws -> TransformerConfig {
        guard hiddenAct == "silu" else {
            throw ModelFileError(
                .unsupportedType, file: file, location: "hidden_act", "\(hiddenAct) is not supported (silu)")
        }
        guard !useSlidingWindow else {
            throw ModelFileError(
                .unsupportedType, file: file, location: "use_sliding_window",
                "sliding-window attention is not supported")
        }
        let config = TransformerConfig(
            architecture: "qwen2", vocabularySize: vocabSize, hiddenSize: hiddenSize,
            intermediateSize: intermediateSize,
            layerCount: numHiddenLayers, headCount: numAttentionHeads, kvHeadCount: numKeyValueHeads,
            headDim: numAttentionHeads > 0 ? hiddenSize / numAttentionHeads : 0, rmsNormEpsilon: rmsNormEps,
            ropeTheta: ropeTheta, ropeScaling: try ropeScaling?.resolved(file: file),
            maxPositions: maxPositionEmbeddings, tieWordEmbeddings: tieWordEmbeddings, attentionBias: true,
            mlpBias: false, bosTokenID: bosTokenID?.ids.first, eosTokenIDs: eosTokenID?.ids ?? [])
        try config.validate(file: file)
        return config
    }
}
