import Tensor

/// The same decoder as ``LlamaModel`` written with the `Tensor` ops, so autograd records it: the
/// forward that LoRA fine-tuning differentiates. Weights become fp32 tensors once (frozen, no
/// gradient buffers) — or, for LoRA over a quantized GGUF, stay quantized as ``frozen`` weights;
/// adapters attach to the projections by their Hugging Face names.
///
///   ids: (B, T) → logits: (B, T, V); q: (B, T, Hq, Dh), k/v: (B, T, Hkv, Dh)
///
/// No KV cache: training sees whole sequences. Positions start at 0 for every row.
public struct LlamaGraph {
    public let config: TransformerConfig
    /// Every weight as a tensor, keyed by its `transformers` state-dict name
    /// (`model.layers.0.self_attn.q_proj.weight`, …; `lm_head.weight` is the embedding when tied).
    public let parameters: [String: Tensor]

    /// Base weights kept in their GGUF quantization (``FrozenWeight``), by the same names, when the
    /// graph was made with `keepQuantized`: they never get gradients and are never copied to fp32.
    public let frozen: [String: FrozenWeight]
    /// Recompute each layer's activations during backward instead of keeping them
    /// (``Tensor/checkpoint(_:parameters:_:)``): memory for one layer's activations plus one
    /// (B, T, D) input per layer, for about one more forward pass of compute.
    public var checkpointLayers = false

    /// The graph of `model`. With `keepQuantized`, quantized base weights stay as they are (LoRA
    /// over a quantized base: no fp32 copy, no weight gradients; full fine-tuning needs fp32 and
    /// must leave it off); otherwise every weight becomes an fp32 tensor.
    public init(model: LlamaModel, keepQuantized: Bool = false) {
        precondition(
            model.config.ropeScaling == nil,
            "the autograd forward supports unscaled RoPE only (this model uses \(String(describing: model.config.ropeScaling)))")
        config = model.config
        let w = model.weights
        func vector(_ values: [Float]) -> Tensor { Tensor(values, shape: [values.count]) }
        var p: [String: Tensor] = [:]
        var f: [String: FrozenWeight] = [:]
        func matrix(_ name: String, _ weight: WeightMatrix) {
            if keepQuantized, case .quantized = weight.storage {
                f[name] = FrozenWeight(weight)
            } else {
                p[name] = weight.floatTensor()
            }
        }
        matrix("model.embed_tokens.weight", w.embedding)
        if w.tied {
            if let table = p["model.embed_tokens.weight"] { p["lm_head.weight"] = table }
            if let table = f["model.embed_tokens.weight"] { f["lm_head.weight"] = table }
        } else {
            matrix("lm_head.weight", w.outputProjection)
        }
        p["model.norm.weight"] = vector(w.finalNorm)
        for (i, layer) in w.layers.enumerated() {
            let prefix = "model.layers.\(i)."
            p[prefix + "input_layernorm.weight"] = vector(layer.attentionNorm)
            p[prefix + "post_attention_layernorm.weight"] = vector(layer.mlpNorm)
            matrix(prefix + "self_attn.q_proj.weight", layer.query)
            matrix(prefix + "self_attn.k_proj.weight", layer.key)
            matrix(prefix + "self_attn.v_proj.weight", layer.value)
            matrix(prefix + "self_attn.o_proj.weight", layer.output)
            if let b = layer.queryBias { p[prefix + "self_attn.q_proj.bias"] = vector(b) }
            if let b = layer.keyBias { p[prefix + "self_attn.k_proj.bias"] = vector(b) }
            if let b = layer.valueBias { p[prefix + "self_attn.v_proj.bias"] = vector(b) }
            matrix(prefix + "mlp.gate_proj.weight", layer.gate)
            matrix(prefix + "mlp.up_proj.weight", layer.up)
            matrix(prefix + "mlp.down_proj.weight", layer.down)
        }
        parameters = p
        frozen = f
    }

    /// `x · Wᵀ (+ bias)` for the weight called `name`, fp32 or frozen-quantized.
    func linear(_ x: Tensor, _ name: String, bias: Tensor? = nil) -> Tensor {
        if let weight = parameters[name] { return x.linear(weight, bias: bias) }
        guard let weight = frozen[name] else { preconditionFailure("the graph has no weight \(name)") }
        return x.linear(frozen: weight, bias: bias)
    }

    /// Mean cross-entropy through the output layer, fp32 or frozen-quantized.
    func headLoss(_ h: Tensor, targets: [Int32]) -> Tensor {
        if let weight = parameters["lm_head.weight"] {
            return Tensor.linearCrossEntropy(hidden: h, weight: weight, targets: targets)
        }
        return Tensor.linearCrossEntropy(hidden: h, frozen: frozen["lm_head.weight"]!, targets: targets)
    }

    /// Token embeddings (B, T, D): a lookup in the fp32 table, or rows decoded from the quantized
    /// one (a frozen table needs no gradient).
    func embed(_ ids: [Int32], batch b: Int, length t: Int) -> Tensor {
        if let table = parameters["model.embed_tokens.weight"] {
            return Tensor.embedding(table, ids: ids, shape: [b, t])
        }
        let table = frozen["model.embed_tokens.weight"]!.matrix
        let d = config.hiddenSize
        let out = Tensor.empty([b, t, d])
        for (r, id) in ids.enumerated() {
            precondition(id >= 0 && Int(id) < table.rows, "token id \(id) is outside the vocabulary")
            table.row(Int(id), into: out.data + r * d)
        }
        return out
    }

    /// Logits (B, T, V) for `ids` of `batch` rows of `length` tokens.
    public func forward(ids: [Int32], batch b: Int, length t: Int, lora: LoRALayers? = nil) -> Tensor {
        linear(hidden(ids: ids, batch: b, length: t, lora: lora), "lm_head.weight")
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
        return targets.map { headLoss(h, targets: $0) }
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
            let y = linear(x, path + ".weight", bias: p[path + ".bias"])
            guard let lora, let index = lora.moduleIndex(path) else { return y }
            let module = lora.modules[index]
            var input = x
            if let dropoutSeed, lora.config.dropout > 0 {
                input = x.dropout(
                    probability: lora.config.dropout, seed: SeededGenerator.mix(dropoutSeed &+ UInt64(index)))
            }
            return y + input.linear(module.a).linear(module.b) * lora.config.scale
        }
        func layer(_ i: Int, _ x: Tensor) -> Tensor {
            let w = { (name: String) in p["model.layers.\(i).\(name)"]! }
            let h = x.rmsNorm(weight: w("input_layernorm.weight"), epsilon: eps)
            let q = project(h, i, .q).reshaped([b, t, hq, dh]).rotaryEmbedding(positions: positions, base: theta)
            let k = project(h, i, .k).reshaped([b, t, hkv, dh]).rotaryEmbedding(positions: positions, base: theta)
            let v = project(h, i, .v).reshaped([b, t, hkv, dh])
            let attention = Tensor.scaledDotProductAttention(query: q, key: k, value: v, causal: true)
            let y = x + project(attention.reshaped([b, t, hq * dh]), i, .o)
            let m = y.rmsNorm(weight: w("post_attention_layernorm.weight"), epsilon: eps)
            return y + project(project(m, i, .gate).silu() * project(m, i, .up), i, .down)
        }
        var x = embed(ids, batch: b, length: t)  // (B, T, D)
        for i in 0..<config.layerCount {
            if checkpointLayers {
                x = Tensor.checkpoint(x, parameters: trainableLeaves(layer: i, lora: lora)) { layer(i, $0) }
            } else {
                x = layer(i, x)
            }
        }
        return x.rmsNorm(weight: p["model.norm.weight"]!, epsilon: eps)
    }

    /// The tensors of layer `i` that gradients must reach: its adapters, and its fp32 weights when
    /// they are trained (full fine-tuning).
    func trainableLeaves(layer i: Int, lora: LoRALayers?) -> [Tensor] {
        let prefix = "model.layers.\(i)."
        var leaves = parameters.filter { $0.key.hasPrefix(prefix) && $0.value.requiresGrad }
            .sorted { $0.key < $1.key }.map(\.value)
        if let lora {
            leaves += lora.modules.filter { $0.path.hasPrefix(prefix) }.flatMap { [$0.a, $0.b] }
        }
        return leaves
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
