import Foundation
import Testing

@testable import LLM

@Suite("Hugging Face tokenizer folders")
struct HuggingFaceFolderTests {
    /// A model folder as `save_pretrained` writes it: the committed config files plus `tokenizer.json`.
    private func folder(_ name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("llm-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for file in try FileManager.default.contentsOfDirectory(atPath: Fixtures.path("Tokenizer/\(name)")) {
            try FileManager.default.copyItem(
                atPath: Fixtures.path("Tokenizer/\(name)/\(file)"), toPath: dir.appendingPathComponent(file).path)
        }
        try FileManager.default.copyItem(
            atPath: Fixtures.path("Tokenizer/qwen2.tokenizer.json"),
            toPath: dir.appendingPathComponent("tokenizer.json").path)
        return dir.path
    }

    @Test("reads a transformers 5 folder: eos from tokenizer_config.json, template from chat_template.jinja")
    func transformers5() throws {
        let path = try folder("qwen2-folder")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let tokenizer = try Tokenizer(huggingFaceFolder: path)
        #expect(tokenizer.eosTokenID == 2)
        #expect(tokenizer.bosTokenID == nil)
        let config = try HuggingFaceTokenizerConfig(folder: path)
        #expect(ChatTemplate(huggingFace: config) == .chatML(defaultSystemPrompt: "You are a helpful assistant."))
        // The same through the checkpoint path a model is opened with.
        #expect(try Tokenizer(checkpointAt: path).eosTokenID == 2)
        #expect(try ChatTemplate(checkpointAt: path) == .chatML(defaultSystemPrompt: "You are a helpful assistant."))
    }

    @Test("finds the tokenizer and chat format of a GGUF checkpoint by path, and names a missing path")
    func ggufCheckpoint() throws {
        let path = try Fixtures.smolLM2Path()
        let tokenizer = try Tokenizer(checkpointAt: path)
        #expect(tokenizer.vocabularySize == 49152 && tokenizer.eosTokenID == 2)
        #expect(try ChatTemplate(checkpointAt: path) == ChatTemplate(named: "smollm2"))
        // The tiny llama fixture has weights but no tokenizer or template.
        #expect(try ChatTemplate(checkpointAt: Fixtures.path("Weights/tiny_llama.gguf")) == nil)
        #expect(throws: ModelFileError.self) { try Tokenizer(checkpointAt: Fixtures.path("Weights/tiny_llama.gguf")) }
        #expect(throws: ModelFileError.self) { try Tokenizer(checkpointAt: "/nonexistent/model") }
    }

    @Test("reads a transformers 4 config: AddedToken objects, add_bos_token, inline chat_template, huge numbers")
    func transformers4() throws {
        let path = try folder("legacy-folder")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let config = try HuggingFaceTokenizerConfig(folder: path)
        #expect(config.bosToken == "<|endoftext|>")
        #expect(config.addBOSToken)
        #expect(ChatTemplate(huggingFace: config) == .llama3(bosToken: "<|endoftext|>"))
        let tokenizer = try Tokenizer(huggingFaceFolder: path)
        #expect(tokenizer.bosTokenID == 0)
        #expect(tokenizer.eosTokenID == 2)
    }

    @Test("names the field when a config is malformed")
    func errors() {
        func message(_ json: String) -> String? {
            do {
                _ = try HuggingFaceTokenizerConfig(json: Data(json.utf8), file: "c.json")
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(message(#"{"eos_token": 5}"#) == "c.json: eos_token: must be a string or a token object")
        #expect(message(#"{"bos_token": {"id": 1}}"#) == "c.json: bos_token.content: must be a string")
        #expect(
            message(#"{"chat_template": 3}"#) == "c.json: chat_template: must be a string or a list of named templates")
        #expect(message("[]") == "c.json: (root): must be a JSON object")
    }
}
