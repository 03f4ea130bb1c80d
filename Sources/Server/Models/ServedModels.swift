import Backends
import Foundation
import LLM

/// The models one server answers for, by the name a request's `model` field gives: the base model
/// and each LoRA adapter on it (as vLLM's `--lora-modules NAME=PATH` do).
///
/// Adapters run unmerged on the shared base weights (``LanguageModel/applying(_:)``: quantized
/// weights stay quantized and are held once). Each name has its own continuous batch, so requests
/// for the same model share forward steps; requests for different adapters decode side by side.
public struct ServedModels: Sendable {
    public struct Entry: Sendable {
        /// The `model` value requests use.
        public let name: String
        public let model: LocalChatModel
        /// The adapter's folder; nil for the base model.
        public let adapterFolder: String?
        /// Unix time of loading, for `GET /v1/models`.
        public let created: Int
    }

    /// The base model first, then the adapters in the order given.
    public let entries: [Entry]

    public var base: Entry { entries[0] }

    /// The entry named `name`; the base model when the request names none.
    public func entry(named name: String?) -> Entry? {
        guard let name, !name.isEmpty else { return base }
        return entries.first { $0.name == name }
    }

    /// - Parameters:
    ///   - base: the loaded base model, served as `baseName`.
    ///   - adapters: adapter folders by name; each must fit `base` (the error names the module that does not).
    ///   - parallel: sequences decoding together per name.
    ///   - context: positions per sequence (the model's own limit if smaller).
    ///   - template: the chat format when the checkpoint's own is not recognised.
    ///   - threads: each served model's thread budget (nil: all cores). The names decode side by
    ///     side, so two adapters busy at once share the cores.
    public init(
        base: LanguageModel, baseName: String, adapters: [AdapterArgument] = [], parallel: Int, context: Int,
        template: ChatTemplate? = nil, threads: Int? = nil
    ) throws {
        let created = Int(Date().timeIntervalSince1970)
        var entries = [
            Entry(
                name: baseName,
                model: LocalChatModel(
                    engine: base, identity: baseName, template: template, maxBatch: parallel, context: context,
                    threads: threads),
                adapterFolder: nil, created: created)
        ]
        for adapter in adapters {
            guard !entries.contains(where: { $0.name == adapter.name }) else {
                throw ServerError(
                    "--adapter \(adapter.name)=…: the name \(adapter.name) is already served; give each a new name")
            }
            let engine: LanguageModel
            do {
                engine = try base.applying(try LoRAAdapter(folder: adapter.folder))
            } catch {
                throw ServerError("--adapter \(adapter.name)=\(adapter.folder): \(error)")
            }
            entries.append(
                Entry(
                    name: adapter.name,
                    model: LocalChatModel(
                        engine: engine, identity: adapter.name, template: template, maxBatch: parallel,
                        context: context, threads: threads),
                    adapterFolder: adapter.folder, created: created))
        }
        self.entries = entries
    }

    /// What a model path is served as when no name is given: a known name as typed, else the file or
    /// folder name without `.gguf`.
    public static func defaultName(forModel text: String) -> String {
        var name = (text as NSString).lastPathComponent
        if name.isEmpty { name = text }
        if name.lowercased().hasSuffix(".gguf") { name.removeLast(5) }
        return name
    }
}

/// `--adapter NAME=DIR` (or `--adapter DIR`, named after the folder): one LoRA adapter to serve.
public struct AdapterArgument: Sendable, Equatable {
    public var name: String
    public var folder: String

    public init(name: String, folder: String) {
        self.name = name
        self.folder = folder
    }

    public init(parsing text: String) throws {
        let name: String
        let folder: String
        if let equals = text.firstIndex(of: "="), !text[..<equals].contains("/") {
            name = String(text[..<equals])
            folder = String(text[text.index(after: equals)...])
        } else {
            folder = text
            var trimmed = text
            while trimmed.hasSuffix("/") && trimmed.count > 1 { trimmed.removeLast() }
            name = (trimmed as NSString).lastPathComponent
        }
        guard !name.isEmpty, !name.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw ServerError("--adapter \(text): the name must be non-empty, without spaces (NAME=DIR)")
        }
        guard !folder.isEmpty else { throw ServerError("--adapter \(text): no folder after \(name)=") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ServerError("--adapter \(text): \(folder) is not a folder (a PEFT adapter folder is expected)")
        }
        self.name = name
        self.folder = folder
    }
}
