import Foundation

/// A model checkpoint seen the same way whatever its file format: tensors by Hugging Face name
/// (`model.layers.0.self_attn.q_proj.weight`), in Hugging Face layout (PyTorch shapes, q/k rows in
/// half-rotation order), converted to fp32. The transformer loads from this one interface, so GGUF
/// files and Hugging Face folders share a single code path.
public protocol Checkpoint: Sendable {
    /// The hyper-parameters, from `config.json` or GGUF metadata.
    var config: TransformerConfig { get }
    /// Hugging Face names of the tensors present, sorted.
    var tensorNames: [String] { get }
    /// PyTorch shape (`[out, in]` for a linear weight).
    func shape(of name: String) throws -> [Int]
    /// The tensor's values in row-major order of `shape(of:)`.
    func floats(_ name: String) throws -> [Float]
}

extension Checkpoint {
    /// Writes the tensors (all, or `names`) to a `.safetensors` file in Hugging Face layout, e.g. to
    /// hand a GGUF model to PyTorch tools.
    public func exportSafeTensors(to path: String, names: [String]? = nil, dtype: SafeTensorsDType = .f32) throws {
        var writer = SafeTensorsWriter(metadata: ["format": "pt"])
        for name in names ?? tensorNames {
            writer.add(.init(name: name, dtype: dtype, shape: try shape(of: name), values: try floats(name)))
        }
        try writer.write(to: path)
    }
}

/// Opens a checkpoint by path: a `.gguf` file, or a Hugging Face folder (`config.json` and
/// `model.safetensors` or sharded `model-*.safetensors` with their index).
public func openCheckpoint(at path: String) throws -> any Checkpoint {
    if try isCheckpointFolder(path) { return try SafeTensorsCheckpoint(folder: path) }
    return try GGUFCheckpoint(path: path)
}

/// Tensor names of the Llama family: llama.cpp's GGUF names and their Hugging Face equivalents
/// (gguf-py `tensor_mapping.py`, `MODEL_TENSOR` for `LLAMA` and `QWEN2`).
enum LlamaTensorNames {
    static let global: [String: String] = [
        "token_embd.weight": "model.embed_tokens.weight",
        "output_norm.weight": "model.norm.weight",
        "output.weight": "lm_head.weight",
    ]
    static let perLayer: [String: String] = [
        "attn_norm.weight": "input_layernorm.weight",
        "ffn_norm.weight": "post_attention_layernorm.weight",
        "attn_q.weight": "self_attn.q_proj.weight", "attn_q.bias": "self_attn.q_proj.bias",
        "attn_k.weight": "self_attn.k_proj.weight", "attn_k.bias": "self_attn.k_proj.bias",
        "attn_v.weight": "self_attn.v_proj.weight", "attn_v.bias": "self_attn.v_proj.bias",
        "attn_output.weight": "self_attn.o_proj.weight",
        "ffn_gate.weight": "mlp.gate_proj.weight",
        "ffn_up.weight": "mlp.up_proj.weight",
        "ffn_down.weight": "mlp.down_proj.weight",
    ]

    /// The Hugging Face name of a GGUF tensor, or nil for tensors the model does not use
    /// (`rope_freqs.weight`, which holds llama3 factors the config already gives).
    static func huggingFace(_ gguf: String) -> String? {
        if let name = global[gguf] { return name }
        let parts = gguf.split(separator: ".", maxSplits: 2)
        guard parts.count == 3, parts[0] == "blk", let layer = Int(parts[1]), let suffix = perLayer[String(parts[2])]
        else {
            return nil
        }
        return "model.layers.\(layer).\(suffix)"
    }
}
