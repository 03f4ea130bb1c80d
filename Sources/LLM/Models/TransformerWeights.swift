/// The parameters of a Llama-family decoder, named by role rather than by file format, so GGUF
/// and Hugging Face checkpoints load into one shape (`GGUFWeightLoading`, `SafeTensorsWeightLoading`).
///
/// Row order is Hugging Face's everywhere: llama q/k rows permuted by llama.cpp's converter are
/// put back at load (``LlamaQKPermutation``), so one rotate-half RoPE serves every file.
public struct TransformerLayerWeights: Sendable {
    /// `input_layernorm` / `attn_norm`: (hidden)
    public var attentionNorm: [Float]
    /// q: (heads·headDim, hidden), k and v: (kvHeads·headDim, hidden), o: (hidden, heads·headDim)
    public var query: WeightMatrix
    public var key: WeightMatrix
    public var value: WeightMatrix
    public var output: WeightMatrix
    /// Qwen2's q/k/v biases (`attention_bias` in Llama configs); nil when absent.
    public var queryBias: [Float]?
    public var keyBias: [Float]?
    public var valueBias: [Float]?
    /// `post_attention_layernorm` / `ffn_norm`: (hidden)
    public var mlpNorm: [Float]
    /// gate and up: (intermediate, hidden), down: (hidden, intermediate)
    public var gate: WeightMatrix
    public var up: WeightMatrix
    public var down: WeightMatrix
}

public struct TransformerWeights: Sendable {
    /// (vocabulary, hidden)
    public var embedding: WeightMatrix
    public var layers: [TransformerLayerWeights]
    /// `model.norm` / `output_norm`: (hidden)
    public var finalNorm: [Float]
    /// `lm_head` / `output`: (vocabulary, hidden); the embedding itself when tied.
    public var outputProjection: WeightMatrix
    /// Whether `outputProjection` is the embedding (counted once in ``byteCount``).
    public var tied: Bool

    /// Bytes of weight data held (quantized weights count at their stored size).
    public var byteCount: Int {
        var total = embedding.byteCount + finalNorm.count * 4 + (tied ? 0 : outputProjection.byteCount)
        for layer in layers {
            total += [layer.query, layer.key, layer.value, layer.output, layer.gate, layer.up, layer.down]
                .map(\.byteCount).reduce(0, +)
            total += (layer.attentionNorm.count + layer.mlpNorm.count) * 4
        }
        return total
    }

    /// Checks every shape against `config`, naming the tensor at fault.
    func validate(_ config: TransformerConfig, file: String) throws {
        func check(_ name: String, _ matrix: WeightMatrix, _ rows: Int, _ columns: Int) throws {
            guard matrix.rows == rows, matrix.columns == columns else {
                throw ModelFileError(
                    .invalidValue, file: file, location: "tensor \(name)",
                    "shape is \(matrix.rows)×\(matrix.columns), the config needs \(rows)×\(columns)")
            }
        }
        func check(_ name: String, _ vector: [Float]?, _ count: Int) throws {
            guard let vector else { return }
            guard vector.count == count else {
                throw ModelFileError(
                    .invalidValue, file: file, location: "tensor \(name)",
                    "has \(vector.count) values, the config needs \(count)")
            }
        }
        let (d, v, ff) = (config.hiddenSize, config.vocabularySize, config.intermediateSize)
        let (qd, kvd) = (config.headCount * config.headDim, config.kvHeadCount * config.headDim)
        try check("embedding", embedding, v, d)
        try check("output", outputProjection, v, d)
        try check("final norm", finalNorm, d)
        for (i, layer) in layers.enumerated() {
            try check("layer \(i) attention norm", layer.attentionNorm, d)
            try check("layer \(i) q", layer.query, qd, d)
            try check("layer \(i) k", layer.key, kvd, d)
            try check("layer \(i) v", layer.value, kvd, d)
            try check("layer \(i) o", layer.output, d, qd)
            try check("layer \(i) q bias", layer.queryBias, qd)
            try check("layer \(i) k bias", layer.keyBias, kvd)
            try check("layer \(i) v bias", layer.valueBias, kvd)
            try check("layer \(i) mlp norm", layer.mlpNorm, d)
            try check("layer \(i) gate", layer.gate, ff, d)
            try check("layer \(i) up", layer.up, ff, d)
            try check("layer \(i) down", layer.down, d, ff)
        }
    }
}

/// How weights are held in memory after loading.
public enum WeightPrecision: String, Sendable, CaseIterable {
    /// Everything dequantized to fp32: BLAS everywhere, numerically what PyTorch computes.
    case float32
    /// GGUF weights in a type ``QuantizedDot`` covers (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q4_K, Q5_K,
    /// Q6_K) stay quantized and use the fused kernels (fastest decode, least memory); other types
    /// are dequantized to fp32. Decode and small batches quantize the activations to 8 bits per
    /// block, as llama.cpp does.
    case native
    /// Weights held as in ``native``, but every product keeps its activations in fp32 (tiles of the
    /// weight dequantized into SGEMM, one token too): the fp32 model's arithmetic on the quantized
    /// weights, for references and tests that compare against it. Decode is several times slower.
    case nativeExact
}
