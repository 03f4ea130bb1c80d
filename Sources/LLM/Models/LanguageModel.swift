import ClarifyCore
import Foundation

/// A runnable checkpoint: the transformer, its tokenizer and its chat format, loaded from either
/// a GGUF file (llama.cpp, Ollama) or a Hugging Face folder (`config.json`, `*.safetensors`,
/// `tokenizer.json`, `tokenizer_config.json`).
public struct LanguageModel: Sendable {
    public let model: LlamaModel
    public let tokenizer: Tokenizer
    /// The chat format recognised from the checkpoint's template; nil when it has none we know.
    public let chatTemplate: ChatTemplate?
    /// Token ids that end a generation: the config's and tokenizer's EOS and the chat format's
    /// stop tokens (``ChatTemplate/stopTexts``: for ChatML `<|im_end|>` and `<|endoftext|>`).
    public let stopTokenIDs: Set<Int>
    /// Where it was loaded from.
    public let path: String
    /// The LoRA adapter running on top of the base weights (unmerged), if any.
    public let adapter: LoRAAdapter?

    public var config: TransformerConfig { model.config }

    /// Loads `path`: a `.gguf` file or a folder holding `config.json`. `precision` applies to GGUF
    /// weights (Hugging Face folders are fp32 after loading either way). With `adapter`, its LoRA
    /// updates run next to the frozen base weights (see ``applying(_:)``).
    public init(path: String, precision: WeightPrecision = .native, adapter: LoRAAdapter? = nil) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ModelFileError(.cannotOpen, file: path, "no such file or folder")
        }
        let config: TransformerConfig
        let weights: TransformerWeights
        var tokenizer: Tokenizer
        let template: ChatTemplate?
        if isDirectory.boolValue {
            config = try ModelRegistry.config(jsonAt: path + "/config.json")
            weights = try TransformerWeights(huggingFaceFolder: path, config: config)
            tokenizer = try Tokenizer(huggingFaceFolder: path)
            template = (try? HuggingFaceTokenizerConfig(folder: path)).flatMap { ChatTemplate(huggingFace: $0) }
        } else {
            let file = try GGUFFile(path: path)
            config = try ModelRegistry.config(gguf: file)
            weights = try TransformerWeights(gguf: file, config: config, precision: precision)
            tokenizer = try Tokenizer(gguf: file)
            template = ChatTemplate(gguf: file)
        }
        guard tokenizer.vocabularySize <= config.vocabularySize else {
            throw ModelFileError(
                .invalidValue, file: path, location: "vocab_size",
                "the tokenizer has \(tokenizer.vocabularySize) tokens but the model only \(config.vocabularySize)")
        }
        var stops = Set(config.eosTokenIDs)
        if let eos = tokenizer.eosTokenID { stops.insert(eos) }
        for text in template?.stopTexts ?? [] {
            if let id = tokenizer.id(of: text.trimmingCharacters(in: .newlines)) { stops.insert(id) }
        }
        self.model = LlamaModel(config: config, weights: try adapter.map { try weights.adapted(by: $0) } ?? weights)
        self.adapter = adapter
        self.tokenizer = tokenizer
        self.chatTemplate = template
        self.stopTokenIDs = stops
        self.path = path
    }

    /// This model with `adapter` attached, unmerged: the base weights are shared (quantized ones
    /// stay quantized) and each adapted projection adds scale·B·(A·x). Throws, naming the module,
    /// when the adapter does not fit this base (unknown layer or projection, wrong shapes).
    /// An adapter already attached is replaced, not stacked.
    public func applying(_ adapter: LoRAAdapter) throws -> LanguageModel {
        let base = TransformerWeights(detaching: model.weights)
        return LanguageModel(
            model: LlamaModel(config: config, weights: try base.adapted(by: adapter)), tokenizer: tokenizer,
            chatTemplate: chatTemplate, stopTokenIDs: stopTokenIDs, path: path, adapter: adapter)
    }

    /// The model with its adapter folded into fp32 weights (what merged exports write).
    public func merged() -> LanguageModel {
        LanguageModel(
            model: model.merged(), tokenizer: tokenizer, chatTemplate: chatTemplate, stopTokenIDs: stopTokenIDs,
            path: path, adapter: nil)
    }

    init(
        model: LlamaModel, tokenizer: Tokenizer, chatTemplate: ChatTemplate?, stopTokenIDs: Set<Int>, path: String,
        adapter: LoRAAdapter?
    ) {
        self.model = model
        self.tokenizer = tokenizer
        self.chatTemplate = chatTemplate
        self.stopTokenIDs = stopTokenIDs
        self.path = path
        self.adapter = adapter
    }

    /// The prompt ids for `messages` in this model's chat format (or `template` when given),
    /// ending with the assistant's turn header.
    public func chatPrompt(_ messages: [Message], template: ChatTemplate? = nil) throws -> [Int] {
        guard let format = template ?? chatTemplate else {
            throw ModelFileError(
                .invalidValue, file: path, location: "chat template",
                "the model has no chat template this engine recognises; name one (\(ChatTemplate.names.joined(separator: ", ")))"
            )
        }
        return tokenizer.encode(format.render(messages, addGenerationPrompt: true))
    }
}
