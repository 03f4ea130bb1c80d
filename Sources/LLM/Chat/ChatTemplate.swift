import ClarifyCore
import Foundation

/// The chat formats of the models we run, rendered natively instead of through a Jinja engine.
///
/// A model's Jinja template (`tokenizer.chat_template` in GGUF, `chat_template` in
/// `tokenizer_config.json`) is recognised by its markers and mapped to one of these; the output
/// is byte-identical to `transformers`' `apply_chat_template` for the templates in
/// `Tests/LLMTests/Fixtures/Chat` (SmolLM2, Qwen2, Llama-3, DeepSeek-Coder). A user can name a
/// format instead (`ChatTemplate(named:)`) when a model's template is not recognised.
public enum ChatTemplate: Sendable, Equatable {
    /// `<|im_start|>role\ncontent<|im_end|>\n` — SmolLM2, Qwen, many fine-tunes. When the first
    /// message is not a system message, `defaultSystemPrompt` (if any) is inserted as one.
    case chatML(defaultSystemPrompt: String?)
    /// Meta Llama 3 Instruct: header-delimited turns, content trimmed, `bos` before the first.
    case llama3(bosToken: String)
    /// deepseek-coder-instruct: `### Instruction:` / `### Response:` blocks after a system preamble.
    case deepSeekCoder(bosToken: String, defaultSystemPrompt: String)

    public static let smolLM2SystemPrompt = "You are a helpful AI assistant named SmolLM, trained by Hugging Face"
    public static let deepSeekCoderSystemPrompt =
        "You are an AI programming assistant, utilizing the Deepseek Coder model, developed by Deepseek Company, "
        + "and you only answer questions related to computer science. For politically sensitive questions, "
        + "security and privacy issues, and other non-computer science questions, you will refuse to answer"

    /// The names accepted by `init(named:)`, for help texts and errors.
    public static let names = ["chatml", "smollm2", "qwen2", "llama3", "deepseek-coder"]

    /// A format by name: `chatml` (no default system prompt), `smollm2`, `qwen2`, `llama3`, `deepseek-coder`.
    public init?(named name: String) {
        switch name.lowercased() {
        case "chatml": self = .chatML(defaultSystemPrompt: nil)
        case "smollm2", "smollm": self = .chatML(defaultSystemPrompt: Self.smolLM2SystemPrompt)
        case "qwen2", "qwen": self = .chatML(defaultSystemPrompt: "You are a helpful assistant.")
        case "llama3", "llama-3": self = .llama3(bosToken: "<|begin_of_text|>")
        case "deepseek-coder", "deepseek":
            self = .deepSeekCoder(
                bosToken: "<｜begin▁of▁sentence｜>", defaultSystemPrompt: Self.deepSeekCoderSystemPrompt)
        default: return nil
        }
    }

    /// Recognises a Jinja chat template by its markers; nil when it is none of the known formats.
    /// - Parameter bosToken: the model's BOS token text, used by formats that start with it.
    public init?(jinja template: String, bosToken: String? = nil) {
        if template.contains("<|im_start|>") {
            self = .chatML(defaultSystemPrompt: Self.literalSystemPrompt(in: template))
        } else if template.contains("<|start_header_id|>") && template.contains("<|eot_id|>") {
            self = .llama3(bosToken: bosToken ?? "<|begin_of_text|>")
        } else if template.contains("### Instruction:\\n") && template.contains("### Response:") {
            self = .deepSeekCoder(
                bosToken: bosToken ?? "<｜begin▁of▁sentence｜>", defaultSystemPrompt: Self.deepSeekCoderSystemPrompt)
        } else {
            return nil
        }
    }

    /// The chat format of a GGUF model, from `tokenizer.chat_template` and its BOS token.
    public init?(gguf file: GGUFFile) {
        guard let template = file["tokenizer.chat_template"]?.string else { return nil }
        var bos: String?
        if let id = file["tokenizer.ggml.bos_token_id"]?.int, let tokens = file["tokenizer.ggml.tokens"]?.array,
            tokens.indices.contains(id)
        {
            bos = tokens[id].string
        }
        self.init(jinja: template, bosToken: bos)
    }

    /// The text that ends an assistant turn; generation stops when the model writes it.
    public var endOfTurn: String {
        switch self {
        case .chatML: return "<|im_end|>"
        case .llama3: return "<|eot_id|>"
        case .deepSeekCoder: return "<|EOT|>"
        }
    }

    /// Every special token that ends an answer in this format: the end of turn, and for ChatML also
    /// `<|endoftext|>` — Qwen2.5's `generation_config.json` stops on both (151645, 151643), and
    /// llama.cpp treats both as end-of-generation whatever the GGUF's EOS id says.
    public var stopTexts: [String] {
        switch self {
        case .chatML: return ["<|im_end|>", "<|endoftext|>"]
        case .llama3, .deepSeekCoder: return [endOfTurn]
        }
    }

    /// The prompt text for `messages`, ending with the assistant header when `addGenerationPrompt`.
    public func render(_ messages: [Message], addGenerationPrompt: Bool) -> String {
        var out = ""
        switch self {
        case .chatML(let defaultSystem):
            for (i, message) in messages.enumerated() {
                if i == 0, message.role != .system, let defaultSystem {
                    out += "<|im_start|>system\n\(defaultSystem)<|im_end|>\n"
                }
                out += "<|im_start|>\(message.role.rawValue)\n\(message.content)<|im_end|>\n"
            }
            if addGenerationPrompt { out += "<|im_start|>assistant\n" }
        case .llama3(let bos):
            for (i, message) in messages.enumerated() {
                if i == 0 { out += bos }
                // Jinja's `trim` is Python's `str.strip()`: Unicode whitespace at both ends.
                let content = message.content.trimmingCharacters(in: .whitespacesAndNewlines)
                out += "<|start_header_id|>\(message.role.rawValue)<|end_header_id|>\n\n\(content)<|eot_id|>"
            }
            if addGenerationPrompt { out += "<|start_header_id|>assistant<|end_header_id|>\n\n" }
        case .deepSeekCoder(let bos, let defaultSystem):
            out += bos
            if !messages.contains(where: { $0.role == .system }) { out += defaultSystem + "\n" }
            for message in messages {
                switch message.role {
                case .system: out += message.content
                case .user: out += "### Instruction:\n\(message.content)\n"
                case .assistant: out += "### Response:\n\(message.content)\n<|EOT|>\n"
                }
            }
            if addGenerationPrompt { out += "### Response:" }
        }
        return out
    }

    /// The default system prompt written as a string literal in a ChatML template
    /// (`'<|im_start|>system\nYou are …<|im_end|>\n'`, the newline escaped or literal), or nil.
    static func literalSystemPrompt(in template: String) -> String? {
        for marker in ["<|im_start|>system\\n", "<|im_start|>system\n"] {
            var search = template[...]
            while let start = search.range(of: marker) {
                let rest = search[start.upperBound...]
                if let end = rest.range(of: "<|im_end|>") {
                    let literal = rest[..<end.lowerBound]
                    if !literal.contains(where: { "'\"+{}".contains($0) }) {
                        return literal.replacingOccurrences(of: "\\n", with: "\n")
                    }
                }
                search = rest
            }
        }
        return nil
    }
}
