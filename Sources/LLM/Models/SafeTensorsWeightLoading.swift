import Foundation

/// Loads ``TransformerWeights`` from a Hugging Face folder: one `model.safetensors` or the shards
/// of a sharded checkpoint (`model-00001-of-00002.safetensors` …), with `transformers`' names
/// (`LlamaForCausalLM` / `Qwen2ForCausalLM` state dicts): `model.embed_tokens.weight`,
/// `model.layers.N.{input_layernorm, self_attn.{q,k,v,o}_proj, post_attention_layernorm,
/// mlp.{gate,up,down}_proj}`, `model.norm.weight`, `lm_head.weight` (absent when tied).
/// Tensors in F32, F16 or BF16 are widened to fp32.
extension TransformerWeights {
    public init(huggingFaceFolder folder: String, config: TransformerConfig) throws {
        let shards = try Self.safeTensorsShards(in: folder)
        var owner: [String: SafeTensorsFile] = [:]
        for shard in shards {
            for info in shard.tensors { owner[info.name] = shard }
        }
        func file(_ name: String) throws -> SafeTensorsFile {
            guard let file = owner[name] else {
                throw ModelFileError(
                    .invalidValue, file: folder, location: "tensor \(name)", "no shard holds this tensor")
            }
            return file
        }
        func matrix(_ name: String) throws -> WeightMatrix {
            let shard = try file(name)
            let info = try shard.tensor(name)
            guard info.shape.count == 2 else {
                throw ModelFileError(
                    .invalidValue, file: shard.bytes.name, location: "tensor \(name)",
                    "expected a matrix, shape is \(info.shape)")
            }
            return WeightMatrix(float: try shard.floats(name), rows: info.shape[0], columns: info.shape[1])
        }
        func vector(_ name: String) throws -> [Float] { try file(name).floats(name) }
        func optionalVector(_ name: String) throws -> [Float]? { owner[name] == nil ? nil : try vector(name) }

        let embedding = try matrix("model.embed_tokens.weight")
        var layers: [TransformerLayerWeights] = []
        for i in 0..<config.layerCount {
            let p = "model.layers.\(i)."
            layers.append(
                TransformerLayerWeights(
                    attentionNorm: try vector(p + "input_layernorm.weight"),
                    query: try matrix(p + "self_attn.q_proj.weight"), key: try matrix(p + "self_attn.k_proj.weight"),
                    value: try matrix(p + "self_attn.v_proj.weight"), output: try matrix(p + "self_attn.o_proj.weight"),
                    queryBias: try optionalVector(p + "self_attn.q_proj.bias"),
                    keyBias: try optionalVector(p + "self_attn.k_proj.bias"),
                    valueBias: try optionalVector(p + "self_attn.v_proj.bias"),
                    mlpNorm: try vector(p + "post_attention_layernorm.weight"),
                    gate: try matrix(p + "mlp.gate_proj.weight"), up: try matrix(p + "mlp.up_proj.weight"),
                    down: try matrix(p + "mlp.down_proj.weight")))
        }
        // Some tied checkpoints still carry lm_head.weight; the config decides.
        let tied = config.tieWordEmbeddings || owner["lm_head.weight"] == nil
        self.init(
            embedding: embedding, layers: layers, finalNorm: try vector("model.norm.weight"),
            outputProjection: tied ? embedding : try matrix("lm_head.weight"), tied: tied)
        try validate(config, file: folder)
    }

    static func safeTensorsShards(in folder: String) throws -> [SafeTensorsFile] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw ModelFileError(.cannotOpen, file: folder, "cannot list the model folder")
        }
        let shards = names.filter { $0.hasSuffix(".safetensors") }.sorted()
        guard !shards.isEmpty else {
            throw ModelFileError(.cannotOpen, file: folder, "the folder holds no .safetensors file")
        }
        return try shards.map { try SafeTensorsFile(path: folder + "/" + $0) }
    }
}
