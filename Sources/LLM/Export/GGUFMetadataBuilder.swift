import Foundation

/// The GGUF header of an exported model: what llama.cpp needs to run it and what our loader
/// reads back (``ModelRegistry/config(gguf:)``, ``Tokenizer/init(gguf:)``, ``ChatTemplate``).
///
/// From a GGUF base every key is copied in order except those that describe the old tensor
/// data (`general.file_type`, `general.quantization_version`, `general.alignment`). From a Hugging
/// Face folder the keys are those `convert_hf_to_gguf.py` writes for a byte-level BPE Llama/Qwen2:
/// `{arch}.*` hyper-parameters (gguf-py `Keys.LLM`/`Keys.Attention`/`Keys.Rope`) and
/// `tokenizer.ggml.*` (`Keys.Tokenizer`) with token types NORMAL = 1, CONTROL = 3 (special added
/// tokens), USER_DEFINED = 4 (other added tokens and `[PAD<i>]` fillers up to `vocab_size`).
enum GGUFMetadataBuilder {
    static let dataKeys: Set<String> = ["general.file_type", "general.quantization_version", "general.alignment"]

    static func fill(_ writer: inout GGUFWriter, from model: LanguageModel, name: String?) throws {
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: model.path, isDirectory: &isDirectory)
        if isDirectory.boolValue {
            try fromHuggingFace(&writer, folder: model.path, config: model.config, name: name)
        } else {
            let base = try GGUFFile(path: model.path)
            for key in base.metadataKeys where !dataKeys.contains(key) { writer.set(key, base.metadata[key]!) }
            if let name { writer.set("general.name", .string(name)) }
        }
    }

    static func fromHuggingFace(_ writer: inout GGUFWriter, folder: String, config: TransformerConfig, name: String?)
        throws
    {
        let arch = config.architecture
        writer.set("general.architecture", .string(arch))
        writer.set("general.type", .string("model"))
        writer.set("general.name", .string(name ?? URL(fileURLWithPath: folder).lastPathComponent))
        func u32(_ key: String, _ value: Int) { writer.set("\(arch).\(key)", .uint32(UInt32(value))) }
        func f32(_ key: String, _ value: Float) { writer.set("\(arch).\(key)", .float32(value)) }
        u32("vocab_size", config.vocabularySize)
        u32("context_length", config.maxPositions)
        u32("embedding_length", config.hiddenSize)
        u32("block_count", config.layerCount)
        u32("feed_forward_length", config.intermediateSize)
        u32("attention.head_count", config.headCount)
        u32("attention.head_count_kv", config.kvHeadCount)
        f32("rope.freq_base", config.ropeTheta)
        f32("attention.layer_norm_rms_epsilon", config.rmsNormEpsilon)
        u32("rope.dimension_count", config.headDim)
        if config.headDim * config.headCount != config.hiddenSize {
            u32("attention.key_length", config.headDim)
            u32("attention.value_length", config.headDim)
        }
        if case .linear(let factor) = config.ropeScaling {
            writer.set("\(arch).rope.scaling.type", .string("linear"))
            f32("rope.scaling.factor", factor)
        }

        let tokenizerPath = folder + "/tokenizer.json"
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: tokenizerPath))
        } catch {
            throw ModelFileError(.cannotOpen, file: tokenizerPath, "cannot read tokenizer.json")
        }
        let json = try TokenizerJSON(data, file: tokenizerPath)
        var tokens = json.tokens
        var types = [Int32](repeating: 1, count: tokens.count)
        for (id, special) in json.added { types[id] = special ? 3 : 4 }
        while tokens.count < config.vocabularySize {
            tokens.append("[PAD\(tokens.count)]")
            types.append(4)
        }
        writer.set("tokenizer.ggml.model", .string("gpt2"))
        writer.set("tokenizer.ggml.pre", .string(ggufPreName(json.preTokenizer)))
        writer.set("tokenizer.ggml.tokens", .array(.string, tokens.map { .string($0) }))
        writer.set("tokenizer.ggml.token_type", .array(.int32, types.map { .int32($0) }))
        writer.set("tokenizer.ggml.merges", .array(.string, json.merges.map { .string($0.0 + " " + $0.1) }))
        let tokenizerConfig = try? HuggingFaceTokenizerConfig(folder: folder)
        func id(_ token: String?) -> Int? { token.flatMap { t in tokens.firstIndex(of: t) } }
        if let bos = id(tokenizerConfig?.bosToken) ?? config.bosTokenID {
            writer.set("tokenizer.ggml.bos_token_id", .uint32(UInt32(bos)))
        }
        if let eos = id(tokenizerConfig?.eosToken) ?? config.eosTokenIDs.first {
            writer.set("tokenizer.ggml.eos_token_id", .uint32(UInt32(eos)))
        }
        writer.set("tokenizer.ggml.add_bos_token", .bool(tokenizerConfig?.addBOSToken ?? false))
        if let template = tokenizerConfig?.chatTemplate {
            writer.set("tokenizer.chat_template", .string(template))
        }
    }

    /// The `tokenizer.ggml.pre` name llama.cpp gives each pre-tokenizer family.
    static func ggufPreName(_ pre: PreTokenizer) -> String {
        switch pre {
        case .gpt2: "gpt-2"
        case .llama3: "llama-bpe"
        case .qwen2: "qwen2"
        case .smolLM: "smollm"
        }
    }
}
