import Foundation

/// Writing a model — typically base + LoRA adapter, merged — as a Hugging Face folder that
/// `transformers.AutoModelForCausalLM.from_pretrained` and our own loader read: `config.json`,
/// `model.safetensors` (fp32, `LlamaForCausalLM` / `Qwen2ForCausalLM` state-dict names, q/k rows
/// in Hugging Face order), and the tokenizer files.
///
/// From a Hugging Face base, `config.json` and every tokenizer file are copied. From a GGUF base
/// they are written from the GGUF metadata: `config.json` from the hyper-parameters,
/// `tokenizer.json` from `tokenizer.ggml.*` (``TokenizerJSONWriter``), `tokenizer_config.json` with
/// the BOS/EOS tokens and the chat template. What cannot be expressed is listed in
/// ``Result/missing`` and in the folder's README.md rather than left out silently.
public enum HuggingFaceExport {
    public struct Result: Sendable {
        /// Files written, by name.
        public var files: [String]
        /// What the folder lacks compared with the base, each with the reason.
        public var missing: [String]
    }

    static let tokenizerFiles = [
        "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "chat_template.jinja",
        "generation_config.json",
    ]

    /// Merges `model`'s adapter (if any) and writes the folder (created if needed). `origin` names
    /// the weights in the folder's README when `model.path` is not where they come from.
    @discardableResult
    public static func write(
        _ model: LanguageModel, to folder: String, origin: String? = nil, progress: (ExportProgress) -> Void = { _ in }
    ) throws -> Result {
        let manager = FileManager.default
        try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let merged = model.merged()
        var result = Result(files: [], missing: [])

        let tensors = merged.model.weights.modelTensors()
        try SafeTensorsStreaming.write(tensors, to: folder + "/model.safetensors") { i, name in
            progress(ExportProgress(step: name, completed: i, total: tensors.count + 1))
        }
        result.files.append("model.safetensors")

        try writeMetadata(base: model.path, config: merged.config, to: folder, result: &result)
        try readme(model: model, result: result, origin: origin)
            .write(toFile: folder + "/README.md", atomically: true, encoding: .utf8)
        progress(ExportProgress(step: "done", completed: tensors.count + 1, total: tensors.count + 1))
        return result
    }

    /// `config.json` and the tokenizer files beside a folder's weights, from the checkpoint `base`
    /// (the model they were trained or merged from): copied from a Hugging Face folder, written from
    /// a GGUF file's metadata (what cannot be written goes to `result.missing`).
    static func writeMetadata(base: String, config: TransformerConfig, to folder: String, result: inout Result) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        _ = manager.fileExists(atPath: base, isDirectory: &isDirectory)
        if isDirectory.boolValue {
            for name in ["config.json"] + tokenizerFiles where manager.fileExists(atPath: base + "/" + name) {
                let target = folder + "/" + name
                try? manager.removeItem(atPath: target)
                try manager.copyItem(atPath: base + "/" + name, toPath: target)
                result.files.append(name)
            }
        } else {
            let file = try GGUFFile(path: base)
            try writeJSON(try configJSON(config, file: base), to: folder + "/config.json")
            result.files.append("config.json")
            do {
                let tokenizer = try TokenizerJSONWriter.tokenizerJSON(gguf: file)
                try tokenizer.write(to: URL(fileURLWithPath: folder + "/tokenizer.json"), options: .atomic)
                try writeJSON(TokenizerJSONWriter.tokenizerConfig(gguf: file), to: folder + "/tokenizer_config.json")
                result.files += ["tokenizer.json", "tokenizer_config.json"]
            } catch {
                result.missing.append("tokenizer.json and tokenizer_config.json: \(error)")
            }
        }
    }

    /// `config.json` for a model known only by its normalised hyper-parameters (a GGUF base),
    /// with `transformers`' key names. Llama 3.1 rope scaling read from a GGUF `rope_freqs` tensor
    /// has no config.json form, so it is refused rather than written wrongly.
    static func configJSON(_ config: TransformerConfig, file: String) throws -> [String: Any] {
        let qwen = config.architecture == "qwen2"
        var json: [String: Any] = [
            "architectures": [qwen ? "Qwen2ForCausalLM" : "LlamaForCausalLM"],
            "model_type": config.architecture,
            "vocab_size": config.vocabularySize, "hidden_size": config.hiddenSize,
            "intermediate_size": config.intermediateSize, "num_hidden_layers": config.layerCount,
            "num_attention_heads": config.headCount, "num_key_value_heads": config.kvHeadCount,
            "head_dim": config.headDim, "hidden_act": "silu", "max_position_embeddings": config.maxPositions,
            "rms_norm_eps": shortest(config.rmsNormEpsilon), "rope_theta": shortest(config.ropeTheta),
            "tie_word_embeddings": config.tieWordEmbeddings, "torch_dtype": "float32", "use_cache": true,
            "initializer_range": 0.02,
        ]
        if qwen {
            json["use_sliding_window"] = false
        } else {
            json["attention_bias"] = config.attentionBias
            json["mlp_bias"] = config.mlpBias
        }
        if let bos = config.bosTokenID { json["bos_token_id"] = bos }
        if let eos = config.eosTokenIDs.first {
            json["eos_token_id"] = config.eosTokenIDs.count == 1 ? eos : config.eosTokenIDs
        }
        switch config.ropeScaling {
        case nil: json["rope_scaling"] = NSNull()
        case .linear(let factor): json["rope_scaling"] = ["rope_type": "linear", "factor": shortest(factor)]
        case .llama3(let factor, let low, let high, let original):
            json["rope_scaling"] = [
                "rope_type": "llama3", "factor": shortest(factor), "low_freq_factor": shortest(low),
                "high_freq_factor": shortest(high), "original_max_position_embeddings": original,
            ]
        case .frequencyFactors:
            throw ModelFileError(
                .unsupportedType, file: file, location: "tensor rope_freqs.weight",
                "per-frequency rope factors have no config.json form; export this model as GGUF, "
                    + "or from its Hugging Face folder")
        }
        return json
    }

    /// A Float as the shortest decimal that reads back to it (1e-05, not 9.999999747378752e-06).
    static func shortest(_ value: Float) -> Double { Double("\(value)") ?? Double(value) }

    static func writeJSON(_ object: [String: Any], to path: String) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    static func readme(model: LanguageModel, result: Result, origin: String? = nil) -> String {
        var text = "# Exported by clarifycoder\n\n" + (origin.map { "Weights: `\($0)`\n" } ?? "Base: `\(model.path)`\n")
        if let adapter = model.adapter {
            let targets = adapter.config.targets.map(\.rawValue).joined(separator: ",")
            text += "LoRA adapter merged: r=\(adapter.config.rank), alpha=\(adapter.config.alpha), targets \(targets)\n"
        }
        text += "\nFiles: " + result.files.map { "`\($0)`" }.joined(separator: ", ") + "\n"
        if !result.missing.isEmpty {
            text += "\n## Missing\n\n" + result.missing.map { "- \($0)\n" }.joined()
        }
        return text
    }
}
