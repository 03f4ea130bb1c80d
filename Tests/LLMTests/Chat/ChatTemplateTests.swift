import ClarifyCore
import Foundation
import Testing

@testable import LLM

@Suite("chat templates")
struct ChatTemplateTests {
    private struct Rendering: Decodable {
        let template: String
        let messages: [Message]
        let addGenerationPrompt: Bool
        let text: String
    }

    private static let bosTokens = ["llama3": "<|begin_of_text|>", "deepseek-coder": "<｜begin▁of▁sentence｜>"]

    @Test("recognises each known Jinja template and renders byte-identically to apply_chat_template")
    func matchesTransformers() throws {
        let templates = try Fixtures.json([String: String].self, "Chat/templates.json")
        let renderings = try Fixtures.json([Rendering].self, "Chat/rendered.json")
        #expect(renderings.count == 40)
        for rendering in renderings {
            let source = try #require(templates[rendering.template])
            let template = try #require(
                ChatTemplate(jinja: source, bosToken: Self.bosTokens[rendering.template]), "\(rendering.template)")
            let text = template.render(rendering.messages, addGenerationPrompt: rendering.addGenerationPrompt)
            #expect(text == rendering.text, "\(rendering.template), generation prompt \(rendering.addGenerationPrompt)")
        }
    }

    @Test("reads the embedded model's template from its GGUF as ChatML with SmolLM2's system prompt")
    func fromGGUF() throws {
        let template = try #require(ChatTemplate(gguf: GGUFFile(path: Fixtures.smolLM2Path())))
        #expect(template == .chatML(defaultSystemPrompt: ChatTemplate.smolLM2SystemPrompt))
        #expect(template == ChatTemplate(named: "smollm2"))
        #expect(template.endOfTurn == "<|im_end|>")
    }

    @Test("can be chosen by name, and refuses templates it does not know")
    func overrides() {
        #expect(ChatTemplate(named: "llama3") == .llama3(bosToken: "<|begin_of_text|>"))
        #expect(ChatTemplate(named: "chatml") == .chatML(defaultSystemPrompt: nil))
        #expect(ChatTemplate(named: "vicuna") == nil)
        #expect(ChatTemplate(jinja: "{{ messages[0]['content'] }}") == nil)
        let plain = ChatTemplate.chatML(defaultSystemPrompt: nil)
        #expect(
            plain.render([.user("hi")], addGenerationPrompt: true)
                == "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n")
    }
}
