import Foundation

/// Maps a checkpoint's architecture name — `model_type` in `config.json`, `general.architecture`
/// in GGUF — to the config that reads it. One entry per architecture file in `Config/`.
public enum ModelRegistry {
    /// The architectures this engine runs, by `model_type`. SmolLM2 and DeepSeek-Coder are `llama`.
    public static let supportedModelTypes = ["llama", "mistral", "qwen2"]

    /// Reads a Hugging Face `config.json`.
    public static func config(jsonAt path: String) throws -> TransformerConfig {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ModelFileError(.cannotOpen, file: path, "cannot read config.json")
        }
        return try config(json: data, file: path)
    }

    public static func config(json data: Data, file: String) throws -> TransformerConfig {
        struct Header: Decodable {
            let modelType: String?
            enum CodingKeys: String, CodingKey { case modelType = "model_type" }
        }
        let header = try decodeHuggingFaceJSON(Header.self, from: data, file: file)
        guard let modelType = header.modelType else {
            throw ModelFileError(.invalidValue, file: file, location: "model_type", "required field is missing")
        }
        switch modelType {
        case "llama", "mistral":
            return try decodeHuggingFaceJSON(LlamaConfig.self, from: data, file: file).transformerConfig(file: file)
        case "qwen2":
            return try decodeHuggingFaceJSON(Qwen2Config.self, from: data, file: file).transformerConfig(file: file)
        default:
            throw ModelFileError(
                .unsupportedType, file: file, location: "model_type",
                "\(modelType) is not supported (supported: \(supportedModelTypes.joined(separator: ", ")))")
        }
    }

    /// Reads the hyper-parameters from GGUF metadata (`llama.block_count`, `llama.embedding_length`, …),
    /// the keys llama.cpp's converter writes (`gguf-py/gguf/constants.py`, `Keys.LLM`).
    public static func config(gguf file: GGUFFile) throws -> TransformerConfig {
        let name = file.bytes.name
        guard let arch = file.architecture else {
            throw ModelFileError(
                .invalidValue, file: name, location: "key general.architecture", "required key is missing")
        }
        guard supportedModelTypes.contains(arch) else {
            throw ModelFileError(
                .unsupportedType, file: name, location: "key general.architecture",
                "\(arch) is not supported (supported: \(supportedModelTypes.joined(separator: ", ")))")
        }
        func int(_ key: String) throws -> Int {
            guard let value = file["\(arch).\(key)"] else {
                throw ModelFileError(
                    .invalidValue, file: name, location: "key \(arch).\(key)", "required key is missing")
            }
            guard let int = value.int else {
                throw ModelFileError(.invalidValue, file: name, location: "key \(arch).\(key)", "must be an integer")
            }
            return int
        }
        func float(_ key: String, default fallback: Float) throws -> Float {
            guard let value = file["\(arch).\(key)"] else { return fallback }
            guard let double = value.double else {
                throw ModelFileError(.invalidValue, file: name, location: "key \(arch).\(key)", "must be a number")
            }
            return Float(double)
        }
        let hidden = try int("embedding_length")
        let heads = try int("attention.head_count")
        let vocabulary = file["\(arch).vocab_size"]?.int ?? file["tokenizer.ggml.tokens"]?.array?.count ?? 0
        let tied = (try? file.tensor("output.weight")) == nil
        var scaling: RopeScaling?
        if file["\(arch).rope.scaling.type"]?.string == "linear",
            let factor = file["\(arch).rope.scaling.factor"]?.double
        {
            scaling = .linear(factor: Float(factor))
        }
        var config = TransformerConfig(
            architecture: arch == "mistral" ? "llama" : arch, vocabularySize: vocabulary, hiddenSize: hidden,
            intermediateSize: try int("feed_forward_length"), layerCount: try int("block_count"), headCount: heads,
            kvHeadCount: try file["\(arch).attention.head_count_kv"].map { _ in try int("attention.head_count_kv") }
                ?? heads,
            headDim: try file["\(arch).attention.key_length"].map { _ in try int("attention.key_length") }
                ?? (heads > 0 ? hidden / heads : 0),
            rmsNormEpsilon: try float("attention.layer_norm_rms_epsilon", default: 1e-5),
            ropeTheta: try float("rope.freq_base", default: 10000), ropeScaling: scaling,
            maxPositions: try file["\(arch).context_length"].map { _ in try int("context_length") } ?? 2048,
            tieWordEmbeddings: tied, attentionBias: arch == "qwen2", mlpBias: false,
            bosTokenID: file["tokenizer.ggml.bos_token_id"]?.int,
            eosTokenIDs: file["tokenizer.ggml.eos_token_id"]?.int.map { [$0] } ?? [])
        try config.validate(file: name)
        if config.ropeScaling == nil, let factors = try ropeFrequencyFactors(file, pairs: config.headDim / 2) {
            config.ropeScaling = .frequencyFactors(factors)
        }
        return config
    }

    /// Llama 3.1's rope scaling as GGUF files carry it: the `rope_freqs.weight` tensor, one positive
    /// divisor per frequency pair (see `RopeScaling.frequencyFactors`); nil when absent.
    static func ropeFrequencyFactors(_ file: GGUFFile, pairs: Int) throws -> [Float]? {
        guard (try? file.tensor("rope_freqs.weight")) != nil else { return nil }
        let factors = try file.dequantize("rope_freqs.weight")
        guard factors.count == pairs, factors.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw ModelFileError(
                .invalidValue, file: file.bytes.name, location: "tensor rope_freqs.weight",
                "must hold \(pairs) positive frequency factors (head_dim / 2), got \(factors.count) values")
        }
        return factors
    }
}
