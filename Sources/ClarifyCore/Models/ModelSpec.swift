import Foundation

/// Which model a command or config names, parsed in one place: every `--model`, `--evaluator`,
/// `--base` and config `model` field goes through ``init(parsing:)``, and runs and caches record
/// ``identity(adapter:)``.
///
/// | text | meaning |
/// |---|---|
/// | `smollm2`, `qwen2.5-coder-0.5b`, `qwen2.5-coder-1.5b` | a ``KnownModel``, read from the cache |
/// | `PATH.gguf` (or any existing file) | a GGUF checkpoint |
/// | an existing folder | a Hugging Face folder (config.json, safetensors, tokenizer) |
/// | `openai:NAME` | `NAME` behind an OpenAI-compatible endpoint |
/// | `reference` | the benchmark's reference solutions (evaluation only) |
public enum ModelSpec: Sendable, Hashable, CustomStringConvertible {
    case known(KnownModel)
    case gguf(path: String)
    case huggingFaceFolder(path: String)
    case openAI(name: String)
    case reference

    /// Parses `text`. A path must exist; a word that is neither a known name nor a path is an error
    /// that lists the known names.
    public init(parsing text: String) throws(ModelSpecError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "reference" {
            self = .reference
        } else if trimmed.hasPrefix("openai:") {
            let name = String(trimmed.dropFirst("openai:".count))
            guard !name.isEmpty else { throw ModelSpecError("'\(text)': openai: needs a NAME (openai:gpt-4o-mini)") }
            self = .openAI(name: name)
        } else if let known = KnownModel(name: trimmed) {
            self = .known(known)
        } else {
            var isDirectory: ObjCBool = false
            if !trimmed.isEmpty, FileManager.default.fileExists(atPath: trimmed, isDirectory: &isDirectory) {
                self = isDirectory.boolValue ? .huggingFaceFolder(path: trimmed) : .gguf(path: trimmed)
            } else if trimmed.contains("/") || trimmed.lowercased().hasSuffix(".gguf") {
                throw ModelSpecError("\(trimmed): no such file or folder (a model is \(Self.forms))")
            } else {
                throw ModelSpecError("unknown model '\(text)'; a model is \(Self.forms)")
            }
        }
    }

    /// The accepted forms, for errors and help texts.
    public static var forms: String {
        "one of " + KnownModel.names.joined(separator: ", ")
            + ", a .gguf file, a Hugging Face folder, openai:NAME or reference"
    }

    /// The text that parses back to this value.
    public var description: String {
        switch self {
        case .known(let model): model.rawValue
        case .gguf(let path), .huggingFaceFolder(let path): path
        case .openAI(let name): "openai:" + name
        case .reference: "reference"
        }
    }

    /// Whether the model runs on the local engine (a known name or a checkpoint path).
    public var isLocal: Bool {
        switch self {
        case .known, .gguf, .huggingFaceFolder: true
        case .openAI, .reference: false
        }
    }

    /// The known model this names, directly or through its cached file's path.
    public var knownModel: KnownModel? {
        switch self {
        case .known(let model): model
        case .gguf(let path): KnownModel(cachedPath: path)
        default: nil
        }
    }

    /// The Hugging Face id of a known model (for adapters trained on it); nil otherwise.
    public var huggingFaceID: String? { knownModel?.huggingFaceID }

    /// The checkpoint of a local model: a known name's cached file (an ``AssetError`` that gives
    /// the `clarifycoder data fetch --only NAME` command when it is not fetched), or the path.
    /// `role` names the option in the error for a model that is not local (`--model`).
    public func localPath(role: String = "the model", store: AssetStore = AssetStore()) throws -> String {
        switch self {
        case .known(let model): return try store.path(for: model.asset)
        case .gguf(let path), .huggingFaceFolder(let path): return path
        case .openAI, .reference:
            throw ModelSpecError(
                "\(role) must be a local model (\(KnownModel.names.joined(separator: ", ")), a .gguf file or a "
                    + "Hugging Face folder), not \(description)")
        }
    }

    /// What runs and response caches record as this model, for local models and `reference`
    /// (an endpoint's identity includes its URL, so ``Backends/OpenAICompatibleModel`` makes it).
    /// A LoRA adapter is part of the identity, named by the content of its weights, so a tuned
    /// model's runs never mix with its base's and a resume from another folder still matches.
    public func identity(adapter: String? = nil) throws -> String {
        let base: String
        switch self {
        case .known(let model): base = model.identity
        case .gguf(let path): base = KnownModel(cachedPath: path)?.identity ?? "local:" + path
        case .huggingFaceFolder(let path): base = "local:" + path
        case .openAI(let name): base = "openai:" + name
        case .reference: base = "reference"
        }
        guard let adapter else { return base }
        let digest = try FileHash.sha256(path: adapter + "/adapter_model.safetensors")
        return base + "+adapter:" + (adapter as NSString).lastPathComponent + "@" + digest.prefix(12)
    }
}

/// A model name or path that names no model, with the accepted forms.
public struct ModelSpecError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
