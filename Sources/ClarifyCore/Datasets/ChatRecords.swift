import Foundation

/// ShareGPT: `{"conversations": [{"from": "system|human|gpt", "value": …}, …]}` — the format of
/// FastChat, Axolotl and LLaMA-Factory's `sharegpt` datasets. `clarifycoder mix --format sharegpt`
/// writes it; ``DatasetReader`` and the trainer read it back into a ``Dialogue``.
public struct ShareGPTRecord: Codable, Sendable, Hashable {
    public struct Turn: Codable, Sendable, Hashable {
        public var from: String
        public var value: String

        /// The speakers read, with the role each stands for. `user`/`assistant` are accepted too:
        /// some exporters write OpenAI role names into `from`.
        static let speakers: [String: Role] = [
            "system": .system, "human": .user, "user": .user, "gpt": .assistant, "assistant": .assistant,
        ]
        static let written: [Role: String] = [.system: "system", .user: "human", .assistant: "gpt"]

        public init(from: String, value: String) {
            self.from = from
            self.value = value
        }

        private enum CodingKeys: String, CodingKey { case from, value }

        /// Refuses an unknown speaker at its own field (`conversations[2].from`), listing the allowed ones.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            from = try container.decode(String.self, forKey: .from)
            value = try container.decode(String.self, forKey: .value)
            guard Self.speakers[from] != nil else {
                throw DecodingError.dataCorruptedError(
                    forKey: .from, in: container,
                    debugDescription: "unknown speaker '\(from)'; expected system, human or gpt")
            }
        }

        var message: Message { Message(role: Self.speakers[from]!, content: value) }
    }

    public var conversations: [Turn]

    public init(_ dialogue: Dialogue) {
        conversations = dialogue.messages.map { Turn(from: Turn.written[$0.role]!, value: $0.content) }
    }

    public var dialogue: Dialogue { Dialogue(messages: conversations.map(\.message)) }
}

/// Alpaca: `{"instruction", "input", "output"}` (and `system` when the dialogue has one) — the
/// format of Stanford Alpaca and LLaMA-Factory's `alpaca` datasets. It is single-turn, so a
/// multi-turn dialogue is written with the earlier turns, labelled `User: ` / `Assistant: ` after a
/// blank line, in `input`, and the last assistant turn in `output`; reading splits them again.
///
/// When the first user turn starts with `instruction` (by default the "code or ask" instruction
/// every ClarifyCoder example opens with), `instruction` holds just that text and `input` the
/// problem after it, as Alpaca intends; the reader joins them with a blank line.
public struct AlpacaRecord: Codable, Sendable, Hashable {
    public var system: String?
    public var instruction: String
    public var input: String
    public var output: String

    static let userLabel = "\n\nUser: "
    static let assistantLabel = "\n\nAssistant: "

    public init(system: String? = nil, instruction: String, input: String = "", output: String) {
        self.system = system
        self.instruction = instruction
        self.input = input
        self.output = output
    }

    private enum CodingKeys: String, CodingKey { case system, instruction, input, output }

    /// `input` and `system` may be absent, as in many Alpaca files.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        system = try container.decodeIfPresent(String.self, forKey: .system)
        instruction = try container.decode(String.self, forKey: .instruction)
        input = try container.decodeIfPresent(String.self, forKey: .input) ?? ""
        output = try container.decode(String.self, forKey: .output)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(system, forKey: .system)
        try container.encode(instruction, forKey: .instruction)
        try container.encode(input, forKey: .input)
        try container.encode(output, forKey: .output)
    }

    public init(_ dialogue: Dialogue, instruction prefix: String = ClarificationInstructions.codeOrAsk) {
        var messages = dialogue.messages
        if messages.first?.role == .system { system = messages.removeFirst().content }
        output = messages.last?.role == .assistant ? messages.removeLast().content : ""
        guard let first = messages.first, first.role == .user else {
            instruction = ""
            input = messages.map(Self.labelled).joined()
            return
        }
        instruction = first.content
        input = ""
        if first.content.hasPrefix(prefix) {
            // Only the separating newlines go: a prompt's own trailing newline is part of it.
            input = String(first.content.dropFirst(prefix.count).drop(while: \.isNewline))
            instruction = prefix
        }
        input += messages.dropFirst().map(Self.labelled).joined()
    }

    private static func labelled(_ message: Message) -> String {
        (message.role == .assistant ? assistantLabel : userLabel) + message.content
    }

    /// The dialogue again: system, the first user turn (`instruction`, a blank line, the part of
    /// `input` before the first label), the labelled turns, and `output` as the last answer.
    public var dialogue: Dialogue {
        var messages: [Message] = []
        if let system { messages.append(.system(system)) }
        var rest = Substring(input)
        var turns: [Message] = []
        // Labels are searched from the end, so each turn's text runs to the next label.
        while let range = Self.lastLabel(in: rest) {
            let role: Role = rest[range] == Self.assistantLabel ? .assistant : .user
            turns.insert(Message(role: role, content: String(rest[range.upperBound...])), at: 0)
            rest = rest[..<range.lowerBound]
        }
        var opening = instruction
        if !rest.isEmpty { opening = instruction.isEmpty ? String(rest) : instruction + "\n\n" + String(rest) }
        if !opening.isEmpty { messages.append(.user(opening)) }
        messages += turns
        if !output.isEmpty { messages.append(.assistant(output)) }
        return Dialogue(messages: messages)
    }

    private static func lastLabel(in text: Substring) -> Range<Substring.Index>? {
        let user = text.range(of: userLabel, options: .backwards)
        let assistant = text.range(of: assistantLabel, options: .backwards)
        switch (user, assistant) {
        case (nil, nil): return nil
        case (let range?, nil), (nil, let range?): return range
        case (let u?, let a?): return u.lowerBound > a.lowerBound ? u : a
        }
    }
}
