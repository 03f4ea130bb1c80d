import Tensor

/// The same decoder as ``LlamaModel`` written with the `Tensor` ops, so autograd records it: the
/// forward that LoRA fine-tuning differentiates. Weights become fp32 tensors once (frozen, no
/// gradient buffers); adapters attach to ``parameters`` by their Hugging Face names.
///
///   ids: (B, T) → logits: (B, T, V); q: (B, T, Hq, Dh), k/v: (B, T, Hkv, Dh)
///
/// No KV cache: training sees whole sequences. Positions start at 0 for every row.
public struct LlamaGraph {
    public let config: TransformerConfig
    /// Every weight as a tensor, keyed by its `transformers` state-dict name
    /// (`model.layers.0.self_attn.q_proj.weight`, …; `lm_head.weight` is the embedding when tied).
    public let parameters: [String: Tensor]

    public init(model: LlamaModel) {
        precondition(
            model.config.ropeScaling == nil,
            "the autograd forward supports unscaled RoPE only (this model uses \(String(describing: model.config.ropeScaling)))")
        config = model.config
        let w = model.weights
        func vector(_ values: [Float]) -> Tensor { Tensor(values, shape: [values.count]) }
        var p: [String: Tensor] = [:]
        p["model.embed_tokens.weight"] = w.embedding.floatTensor()
        p["lm_head.weight"] = w.tied ? p["model.embed_tokens.weight"]! : w.outputProjection.floatTensor()
        p["model.norm.weight"] = vector(w.finalNorm)
        for (i, layer) in w.layers.enumerated() {
            let prefix = "model.layers.\(i)."
            p[prefix + "input_layernorm.weight"] = vector(layer.attentionNorm)
            p[prefix + "post_attention_layernorm.weight"] = vector(layer.mlpNorm)
            p[prefix + "self_attn.q_proj.weight"] = layer.query.floatTensor()
            p[prefix + "self_attn.k_proj.weight"] = layer.key.floatTensor()
            p[prefix + "self_attn.v_proj.weight"] = layer.value.floatTensor()
            p[prefix + "self_attn.o_proj.weight"] = layer.output.floatTensor()
            if let b = layer.queryBias { p[prefix + "self_attn.q_proj.bias"] = vector(b) }
            if let b = layer.keyBias { p[prefix + "self_attn.k_proj.bias"] = vector(b) }
            if let b = layer.valueBias { p[prefix + "self_attn.v_proj.bias"] = vector(b) }
            p[prefix + "mlp.gate_proj.weight"] = layer.gate.floatTensor()
            p[prefix + "mlp.up_proj.weight"] = layer.up.floatTensor()
            p[prefix + "mlp.down_proj.weight"] = layer.down.floatTensor()
        }
        parameters = p
    }

    /// Logits (B, T, V) for `ids` of `batch` rows of `length` tokens.
    public func forward(ids: [Int32], batch b: Int, length t: Int) -> Tensor {
        let (hq, hkv, dh) = (config.headCount, config.kvHeadCount, config.headDim)
        let p = parameters
        let positions = Array(0..<t)
        let theta = Double(config.ropeTheta), eps = config.rmsNormEpsilon
        var x = Tensor.embedding(p["model.embed_tokens.weight"]!, ids: ids, shape: [b, t])  // (B, T, D)
        for i in 0..<config.layerCount {
            let w = { (name: String) in p["model.layers.\(i).\(name)"] }
            let h = x.rmsNorm(weight: w("input_layernorm.weight")!, epsilon: eps)
            let q = h.linear(w("self_attn.q_proj.weight")!, bias: w("self_attn.q_proj.bias"))
                .reshaped([b, t, hq, dh]).rotaryEmbedding(positions: positions, base: theta)
            let k = h.linear(w("self_attn.k_proj.weight")!, bias: w("self_attn.k_proj.bias"))
                .reshaped([b, t, hkv, dh]).rotaryEmbedding(positions: positions, base: theta)
            let v = h.linear(w("self_attn.v_proj.weight")!, bias: w("self_attn.v_proj.bias")).reshaped([b, t, hkv, dh])
            let attention = Tensor.scaledDotProductAttention(query: q, key: k, value: v, causal: true)
            x = x + attention.reshaped([b, t, hq * dh]).linear(w("self_attn.o_proj.weight")!)
            let m = x.rmsNorm(weight: w("post_attention_layernorm.weight")!, epsilon: eps)
            let gated = m.linear(w("mlp.gate_proj.weight")!).silu() * m.linear(w("mlp.up_proj.weight")!)
            x = x + gated.linear(w("mlp.down_proj.weight")!)
        }
        return x.rmsNorm(weight: p["model.norm.weight"]!, epsilon: eps).linear(p["lm_head.weight"]!)
    }
}
