import Foundation
import LLM

/// The JSON the server answers with, as OpenAI's API reference gives it: completions, streamed
/// chunks (server-sent events), the model list. Fields that OpenAI sends as `null` are written as
/// `null`, not left out, since some clients index them.
enum OpenAIResponses {
    struct Usage: Encodable {
        var prompt_tokens: Int
        var completion_tokens: Int
        var total_tokens: Int
        init(prompt: Int, completion: Int) {
            prompt_tokens = prompt
            completion_tokens = completion
            total_tokens = prompt + completion
        }
    }

    /// OpenAI's `finish_reason` for an engine result: `stop` (end of turn or a stop string) or
    /// `length` (`max_tokens` or the context).
    static func finishReason(_ reason: LLM.FinishReason) -> String {
        switch reason {
        case .maxTokens, .contextFull: "length"
        case .stopToken, .stopString, .cancelled: "stop"
        }
    }

    struct ChatChoice: Encodable {
        struct Message: Encodable {
            var role = "assistant"
            var content: String
        }
        var index: Int
        var message: Message
        var finish_reason: String
        var logprobs: String? = nil

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(message, forKey: .message)
            try container.encode(finish_reason, forKey: .finish_reason)
            try container.encode(logprobs, forKey: .logprobs)
        }
        enum CodingKeys: String, CodingKey { case index, message, finish_reason, logprobs }
    }

    struct ChatCompletion: Encodable {
        var id: String
        var object = "chat.completion"
        var created: Int
        var model: String
        var choices: [ChatChoice]
        var usage: Usage
    }

    struct ChatChunk: Encodable {
        struct Choice: Encodable {
            struct Delta: Encodable {
                var role: String?
                var content: String?
            }
            var index: Int
            var delta: Delta
            var finish_reason: String?

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(index, forKey: .index)
                try container.encode(delta, forKey: .delta)
                try container.encode(finish_reason, forKey: .finish_reason)
                try container.encode(String?.none, forKey: .logprobs)
            }
            enum CodingKeys: String, CodingKey { case index, delta, finish_reason, logprobs }
        }
        var id: String
        var object = "chat.completion.chunk"
        var created: Int
        var model: String
        var choices: [Choice]
        /// Only on the last chunk, when the request asked for `stream_options.include_usage`.
        var usage: Usage?
    }

    struct TextChoice: Encodable {
        var index: Int
        var text: String
        var finish_reason: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(text, forKey: .text)
            try container.encode(finish_reason, forKey: .finish_reason)
            try container.encode(String?.none, forKey: .logprobs)
        }
        enum CodingKeys: String, CodingKey { case index, text, finish_reason, logprobs }
    }

    /// Both the whole `text_completion` and its streamed chunks (the same object type in OpenAI's API).
    struct TextCompletion: Encodable {
        var id: String
        var object = "text_completion"
        var created: Int
        var model: String
        var choices: [TextChoice]
        var usage: Usage?
    }

    struct ModelList: Encodable {
        struct Model: Encodable {
            var id: String
            var object = "model"
            var created: Int
            var owned_by = "clarifycoder"
            /// vLLM's fields: the base model an adapter runs on (`root` and `parent`), nil for the base.
            var root: String
            var parent: String?
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(id, forKey: .id)
                try container.encode(object, forKey: .object)
                try container.encode(created, forKey: .created)
                try container.encode(owned_by, forKey: .owned_by)
                try container.encode(root, forKey: .root)
                try container.encode(parent, forKey: .parent)
            }
            enum CodingKeys: String, CodingKey { case id, object, created, owned_by, root, parent }
        }
        var object = "list"
        var data: [Model]
    }

    static func json(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every value here encodes (strings, numbers): a failure would be a programming error.
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }

    /// A random id such as `chatcmpl-3f9a…` (24 hex digits).
    static func id(_ prefix: String) -> String {
        prefix + "-"
            + (0..<3).map { _ in String(format: "%016llx", UInt64.random(in: 0...UInt64.max)) }.joined().prefix(24)
    }
}
