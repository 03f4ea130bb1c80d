import ClarifyCore
import Foundation

/// The training-file formats `clarifycoder mix` writes.
///
/// - `chat`: `{"messages": [{"role", "content"}…], "metadata": {…}}` (TRL, most trainers);
/// - `sharegpt`: `{"conversations": [{"from": "system|human|gpt", "value"}…]}`;
/// - `alpaca`: `{"instruction", "input", "output"}` — single-turn, so a multi-turn dialogue
///   puts the earlier turns, labelled, in `input` and the last assistant turn in `output`.
public enum ExportFormat: String, Sendable, Codable, CaseIterable {
    case chat
    case sharegpt
    case alpaca

    struct ShareGPT: Encodable {
        struct Turn: Encodable {
            var from: String
            var value: String
        }
        var conversations: [Turn]
    }

    struct Alpaca: Encodable {
        var instruction: String
        var input: String
        var output: String
    }

    /// Writes one dialogue in this format to `writer`.
    func write(_ dialogue: Dialogue, to writer: JSONLWriter) throws {
        switch self {
        case .chat:
            try writer.write(dialogue)
        case .sharegpt:
            let names: [Role: String] = [.system: "system", .user: "human", .assistant: "gpt"]
            try writer.write(ShareGPT(conversations: dialogue.messages.map { .init(from: names[$0.role]!, value: $0.content) }))
        case .alpaca:
            try writer.write(Self.alpaca(dialogue))
        }
    }

    static func alpaca(_ dialogue: Dialogue) -> Alpaca {
        var messages = dialogue.messages
        let output = messages.last?.role == .assistant ? messages.removeLast().content : ""
        guard let first = messages.first, first.role == .user else {
            return Alpaca(instruction: "", input: "", output: output)
        }
        var instruction = first.content
        var input = ""
        if instruction.hasPrefix(DialogueFormat.instruction) {
            input = String(instruction.dropFirst(DialogueFormat.instruction.count)).trimmingCharacters(in: .newlines)
            instruction = DialogueFormat.instruction
        }
        for message in messages.dropFirst() {
            input += "\n\n" + (message.role == .assistant ? "Assistant: " : "User: ") + message.content
        }
        return Alpaca(instruction: instruction, input: input, output: output)
    }
}
