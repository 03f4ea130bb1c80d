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
    public func forward(ids: [Int32], batch b: Int, length t: Int, lora: LoRALayers? = nil) -> Tensor {
        hidden(ids: ids, batch: b, length: t, lora: lora).linear(parameters["lm_head.weight"]!)
    }

    /// Mean cross-entropy of predicting `targets` (one per position, `-100` where ignored) through
    /// the fused head (``Tensor/linearCrossEntropy(hidden:weight:targets:ignoreIndex:chunkRows:)``),
    /// so the (B, T, V) logits are never materialised: what SFT differentiates.
    public func loss(
        ids: [Int32], batch b: Int, length t: Int, targets: [Int32], lora: LoRALayers? = nil,
        dropoutSeed: UInt64? = nil
    ) -> Tensor {
        losses(ids: ids, batch: b, length: t, targets: [targets], lora: lora, dropoutSeed: dropoutSeed)[0]
    }

    /// Several mean cross-entropies from one forward pass: one per target array (each one id per
    /// position, `-100` where ignored), all through the fused head on the same hidden states — the
    /// SFT loss and the trainer's decision term share the forward and backward through the body.
    public func losses(
        ids: [Int32], batch b: Int, length t: Int, targets: [[Int32]], lora: LoRALayers? = nil,
        dropoutSeed: UInt64? = nil
    ) -> [Tensor] {
        let h = hidden(ids: ids, batch: b, length: t, lora: lora, dropoutSeed: dropoutSeed)
        return targets.map { Tensor.linearCrossEntropy(hidden: h, weight: parameters["lm_head.weight"]!, targets: $0) }
    }

    /// The final-norm hidden states (B, T, D). With `lora`, every adapted projection adds
    /// scale·(dropout(x)·Aᵀ)·Bᵀ (PEFT's `lora.Linear.forward`); dropout runs only when a seed is
    /// given (training), one independent mask per module, salted by the module's index.
    public func hidden(
        ids: [Int32], batch b: Int, length t: Int, lora: LoRALayers? = nil, dropoutSeed: UInt64? = nil
    ) -> Tensor {
        let (hq, hkv, dh) = (config.headCount, config.kvHeadCount, config.headDim)
        let p = parameters
        let positions = Array(0..<t)
        let theta = Double(config.ropeTheta), eps = config.rmsNormEpsilon
        func project(_ x: Tensor, _ layer: Int, _ target: LoRATarget) -> Tensor {
            let path = target.modulePath(layer: layer)
            let y = x.linear(p[path + ".weight"]!, bias: p[path + ".bias"])
            guard let lora, let index = lora.moduleIndex(path) else { return y }
            let module = lora.modules[index]
            var input = x
            if let dropoutSeed, lora.config.dropout > 0 {
                input = x.dropout(
                    probability: lora.config.dropout, seed: SeededGenerator.mix(dropoutSeed &+ UInt64(index)))
            }
            return y + input.linear(module.a).linear(module.b) * lora.config.scale
        }
        var x = Tensor.embedding(p["model.embed_tokens.weight"]!, ids: ids, shape: [b, t])  // (B, T, D)
        for i in 0..<config.layerCount {
            let w = { (name: String) in p["model.layers.\(i).\(name)"]! }
            let h = x.rmsNorm(weight: w("input_layernorm.weight"), epsilon: eps)
            let q = project(h, i, .q).reshaped([b, t, hq, dh]).rotaryEmbedding(positions: positions, base: theta)
            let k = project(h, i, .k).reshaped([b, t, hkv, dh]).rotaryEmbedding(positions: positions, base: theta)
            let v = project(h, i, .v).reshaped([b, t, hkv, dh])
            let attention = Tensor.scaledDotProductAttention(query: q, key: k, value: v, causal: true)
            x = x + project(attention.reshaped([b, t, hq * dh]), i, .o)
            let m = x.rmsNorm(weight: w("post_attention_layernorm.weight"), epsilon: eps)
            x = x + project(project(m, i, .gate).silu() * project(m, i, .up), i, .down)
        }
        return x.rmsNorm(weight: p["model.norm.weight"]!, epsilon: eps)
    }

    /// Every distinct weight tensor (the tied head counted once), by name, for full fine-tuning.
    public var distinctParameters: [(name: String, tensor: Tensor)] {
        var seen = Set<ObjectIdentifier>()
        var out: [(String, Tensor)] = []
        // The tied head comes last, so the shared tensor keeps its embedding name.
        for name in parameters.keys.sorted(by: { ($0 == "lm_head.weight" ? 1 : 0, $0) < ($1 == "lm_head.weight" ? 1 : 0, $1) }) {
            let tensor = parameters[name]!
            if seen.insert(ObjectIdentifier(tensor)).inserted { out.append((name, tensor)) }
        }
        return out
    }
}
