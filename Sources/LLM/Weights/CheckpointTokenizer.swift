import Foundation

// The tokenizer and chat format that travel with a checkpoint, found the way `openCheckpoint(at:)`
// finds the weights: from a GGUF file's metadata (`tokenizer.ggml.*`, `tokenizer.chat_template`),
// or from a Hugging Face folder's `tokenizer.json`, `tokenizer_config.json` and
// `chat_template.jinja`. One path then gives a model everything it needs to run.

/// Whether a checkpoint path names a Hugging Face folder (else a GGUF file); throws if it is missing.
func isCheckpointFolder(_ path: String) throws -> Bool {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw ModelFileError(.cannotOpen, file: path, "no such file or folder")
    }
    return isDirectory.boolValue
}

extension Tokenizer {
    /// The tokenizer of the checkpoint at `path` (a `.gguf` file or a Hugging Face folder), with
    /// its BOS/EOS ids.
    public init(checkpointAt path: String) throws {
        if try isCheckpointFolder(path) {
            try self.init(huggingFaceFolder: path)
        } else {
            try self.init(gguf: GGUFFile(path: path))
        }
    }
}

extension ChatTemplate {
    /// The chat format of the checkpoint at `path`; nil when it has no template or one this
    /// library does not recognise (callers then ask for `ChatTemplate(named:)`).
    public init?(checkpointAt path: String) throws {
        let template: ChatTemplate?
        if try isCheckpointFolder(path) {
            template = ChatTemplate(huggingFace: try HuggingFaceTokenizerConfig(folder: path))
        } else {
            template = ChatTemplate(gguf: try GGUFFile(path: path))
        }
        guard let template else { return nil }
        self = template
    }
}
