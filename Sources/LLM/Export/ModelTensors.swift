/// A model's weights listed tensor by tensor under Hugging Face names and shapes — the one view the
/// GGUF and safetensors exporters both walk. Values are produced on demand (dequantized, with any
/// LoRA update folded in), so an export holds one fp32 tensor at a time besides what it writes.
struct ModelTensor {
    /// `transformers` state-dict name (`model.layers.0.self_attn.q_proj.weight`).
    let name: String
    /// PyTorch shape: `[out, in]` for a matrix, `[n]` for a vector.
    let shape: [Int]
    let values: () -> [Float]

    var isMatrix: Bool { shape.count == 2 }
}

extension TransformerWeights {
    /// Every tensor a `LlamaForCausalLM` / `Qwen2ForCausalLM` state dict holds, in model order;
    /// `lm_head.weight` only when untied.
    func modelTensors() -> [ModelTensor] {
        func matrix(_ name: String, _ m: WeightMatrix) -> ModelTensor {
            ModelTensor(name: name, shape: [m.rows, m.columns], values: { m.mergedFloats() })
        }
        func vector(_ name: String, _ v: [Float]) -> ModelTensor {
            ModelTensor(name: name, shape: [v.count], values: { v })
        }
        var out = [matrix("model.embed_tokens.weight", embedding)]
        for (i, layer) in layers.enumerated() {
            let p = "model.layers.\(i)."
            out.append(vector(p + "input_layernorm.weight", layer.attentionNorm))
            out.append(matrix(p + "self_attn.q_proj.weight", layer.query))
            if let b = layer.queryBias { out.append(vector(p + "self_attn.q_proj.bias", b)) }
            out.append(matrix(p + "self_attn.k_proj.weight", layer.key))
            if let b = layer.keyBias { out.append(vector(p + "self_attn.k_proj.bias", b)) }
            out.append(matrix(p + "self_attn.v_proj.weight", layer.value))
            if let b = layer.valueBias { out.append(vector(p + "self_attn.v_proj.bias", b)) }
            out.append(matrix(p + "self_attn.o_proj.weight", layer.output))
            out.append(vector(p + "post_attention_layernorm.weight", layer.mlpNorm))
            out.append(matrix(p + "mlp.gate_proj.weight", layer.gate))
            out.append(matrix(p + "mlp.up_proj.weight", layer.up))
            out.append(matrix(p + "mlp.down_proj.weight", layer.down))
        }
        out.append(vector("model.norm.weight", finalNorm))
        if !tied { out.append(matrix("lm_head.weight", outputProjection)) }
        return out
    }
}

extension LlamaTensorNames {
    /// llama.cpp's name for a Hugging Face tensor name (the inverse of ``huggingFace(_:)``).
    static func gguf(_ huggingFace: String) -> String? {
        if let (gguf, _) = global.first(where: { $0.value == huggingFace }) { return gguf }
        let parts = huggingFace.split(separator: ".", maxSplits: 3)
        guard parts.count == 4, parts[0] == "model", parts[1] == "layers", let layer = Int(parts[2]),
            let (suffix, _) = perLayer.first(where: { $0.value == parts[3] })
        else {
            return nil
        }
        return "blk.\(layer).\(suffix)"
    }
}
