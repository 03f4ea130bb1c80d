import ClarifyCore
import Foundation
import Testing

@testable import LLM

/// Qwen2.5-Coder's chat format as its GGUF metadata gives it (`tokenizer.chat_template`, committed
/// verbatim in `Fixtures/Chat/templates.json` as `qwen2.5`; `make_fixtures.py` renders it with
/// transformers for the byte-for-byte comparison in ``ChatTemplateTests``), and the tokens that end
/// its answers.
@Suite("Qwen2.5 chat format")
struct QwenChatTemplateTests {
    static let systemPrompt = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant."

    /// The Qwen2.5-Coder-0.5B GGUF in the cache, when `clarifycoder data fetch --only qwen2.5-coder-0.5b` ran.
    static let cachedGGUF: String? = {
        let path = AssetStore().location(for: .qwen25Coder05B)
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }()

    @Test("the GGUF's template is ChatML with Qwen's default system prompt, and no tools section without tools")
    func template() throws {
        let source = try #require(try Fixtures.json([String: String].self, "Chat/templates.json")["qwen2.5"])
        let template = try #require(ChatTemplate(jinja: source))
        #expect(template == .chatML(defaultSystemPrompt: Self.systemPrompt))
        let text = template.render([.user("Write hello().")], addGenerationPrompt: true)
        #expect(
            text == "<|im_start|>system\n\(Self.systemPrompt)<|im_end|>\n<|im_start|>user\nWrite hello().<|im_end|>\n"
                + "<|im_start|>assistant\n")
        #expect(!text.contains("# Tools"))
        let own = template.render([.system("Be brief."), .user("Hi")], addGenerationPrompt: false)
        #expect(own == "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n")
    }

    @Test("a Qwen2 checkpoint stops on both <|im_end|> and <|endoftext|>")
    func stopTokens() throws {
        let model = try LanguageModel(path: Fixtures.path("Model/qwen2-tiny"))
        #expect(model.tokenizer.id(of: "<|endoftext|>") == 0 && model.tokenizer.id(of: "<|im_end|>") == 2)
        #expect(model.stopTokenIDs == [0, 2])
        #expect(ChatTemplate.chatML(defaultSystemPrompt: nil).stopTexts == ["<|im_end|>", "<|endoftext|>"])
    }

    @Test(
        "the cached Qwen2.5-Coder-0.5B reads as that template, with <|im_end|> 151645 and <|endoftext|> 151643",
        .enabled(if: cachedGGUF != nil, "qwen2.5-coder-0.5b is not cached"))
    func cachedModel() throws {
        let file = try GGUFFile(path: try #require(Self.cachedGGUF))
        #expect(ChatTemplate(gguf: file) == .chatML(defaultSystemPrompt: Self.systemPrompt))
        let tokenizer = try Tokenizer(gguf: file)
        #expect(tokenizer.id(of: "<|im_end|>") == 151_645 && tokenizer.id(of: "<|endoftext|>") == 151_643)
        #expect(tokenizer.eosTokenID == 151_645)
    }
}
