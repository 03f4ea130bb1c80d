/// Who speaks a chat message. Raw values are the OpenAI / Hugging Face role names.
public enum Role: String, Codable, Sendable, Hashable, CaseIterable {
    case system
    case user
    case assistant

    /// Refuses an unknown role (`tool`, `function`, a typo) with the allowed names, at the field's
    /// own path (`messages[2].role`), instead of the decoder's message naming a Swift type.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let role = Role(rawValue: name) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: Self.unknown(name))
        }
        self = role
    }

    /// The message for a role name that is not one of ours (both JSON decoders use it).
    static func unknown(_ name: String) -> String {
        "unknown role '\(name)'; expected \(Role.allCases.map(\.rawValue).joined(separator: ", "))"
    }
}

/// One chat message.
public struct Message: Codable, Sendable, Hashable {
    public var role: Role
    public var content: String

    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }

    public static func system(_ content: String) -> Message { Message(role: .system, content: content) }
    public static func user(_ content: String) -> Message { Message(role: .user, content: content) }
    public static func assistant(_ content: String) -> Message { Message(role: .assistant, content: content) }
}

/// A conversation, e.g. one training example: user(rewrite) → assistant(questions) →
/// user(answers) → assistant(code). Encodes as chat JSONL (`{"messages": [...]}`), the
/// format TRL and most trainers read; `metadata` travels alongside for provenance.
public struct Dialogue: Codable, Sendable, Hashable {
    public var messages: [Message]
    public var metadata: [String: String]

    public init(messages: [Message], metadata: [String: String] = [:]) {
        self.messages = messages
        self.metadata = metadata
    }

    private enum CodingKeys: String, CodingKey {
        case messages
        case metadata
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        messages = try container.decode([Message].self, forKey: .messages)
        metadata = try container.decodeIfPresent([String: String].self, forKey: .metadata) ?? [:]
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(messages, forKey: .messages)
        if !metadata.isEmpty { try container.encode(metadata, forKey: .metadata) }
    }
}
