import Foundation
import Tensor

/// Writes fully fine-tuned weights as a Hugging Face folder: `model.safetensors` under the
/// `transformers` state-dict names (the tied head written once, as the embedding, as
/// `save_pretrained` does) and `config.json`. A Hugging Face base's own `config.json` and
/// tokenizer files are copied; a GGUF base gets a `config.json` written from its hyper-parameters
/// (its q/k rows are already in Hugging Face order after loading, see ``LlamaQKPermutation``).
enum FullModelWriter {
    static let copiedFiles = [
        "config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
        "chat_template.jinja",
    ]

    static func write(graph: LlamaGraph, model: LanguageModel, to folder: String) throws {
        var writer = SafeTensorsWriter(metadata: ["format": "pt"])
        for (name, tensor) in graph.distinctParameters {
            writer.add(.init(name: name, shape: tensor.shape, values: tensor.toArray()))
        }
        try writer.write(to: folder + "/model.safetensors")
        var isDirectory: ObjCBool = false
        let fm = FileManager.default
        if fm.fileExists(atPath: model.path, isDirectory: &isDirectory), isDirectory.boolValue {
            for file in copiedFiles where fm.fileExists(atPath: model.path + "/" + file) {
                try fm.copyItem(atPath: model.path + "/" + file, toPath: folder + "/" + file)
            }
        } else {
            let data = try JSONSerialization.data(
                withJSONObject: configJSON(model.config), options: [.prettyPrinted, .sortedKeys])
            try data.write(to: URL(fileURLWithPath: folder + "/config.json"))
        }
    }

    /// `config.json` in `transformers`' keys for a llama or qwen2 model.
    static func configJSON(_ c: TransformerConfig) -> [String: Any] {
        let qwen = c.architecture == "qwen2"
        return [
            "architectures": [qwen ? "Qwen2ForCausalLM" : "LlamaForCausalLM"], "model_type": qwen ? "qwen2" : "llama",
            "vocab_size": c.vocabularySize, "hidden_size": c.hiddenSize, "intermediate_size": c.intermediateSize,
            "num_hidden_layers": c.layerCount, "num_attention_heads": c.headCount,
            "num_key_value_heads": c.kvHeadCount, "head_dim": c.headDim, "hidden_act": "silu",
            "max_position_embeddings": c.maxPositions, "rms_norm_eps": Double(c.rmsNormEpsilon),
            "rope_theta": Double(c.ropeTheta), "tie_word_embeddings": c.tieWordEmbeddings,
            "attention_bias": c.attentionBias, "mlp_bias": c.mlpBias, "torch_dtype": "float32",
            "bos_token_id": c.bosTokenID.map { $0 as Any } ?? NSNull(),
            "eos_token_id": c.eosTokenIDs.count == 1 ? c.eosTokenIDs[0] as Any : c.eosTokenIDs as Any,
        ]
    }
}
