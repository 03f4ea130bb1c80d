import ClarifyCore
import Foundation

/// The bodies of `POST /v1/chat/completions` and `POST /v1/completions` as the OpenAI API reference
/// defines them (the subset the local engine honours). Fields we do not know are ignored, as vLLM
/// and llama-server do; fields we know are checked, and an error names the field (`messages[1].role`).
enum OpenAIRequests {
    /// `stop`: a string, a list of strings, or null.
    struct StopList: Decodable {
        var values: [String]
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                values = []
            } else if let one = try? container.decode(String.self) {
                values = [one]
            } else {
                values = try container.decode([String].self)
            }
        }
    }

    /// A message's `content`: a string, null, or a list of `{"type": "text", "text": …}` parts.
    struct Content: Decodable {
        var text: String
        private struct Part: Decodable {
            var type: String
            var text: String?
        }
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                text = ""
            } else if let string = try? container.decode(String.self) {
                text = string
            } else {
                let parts = try container.decode([Part].self)
                guard parts.allSatisfy({ $0.type == "text" && $0.text != nil }) else {
                    throw DecodingError.dataCorruptedError(
                        in: container,
                        debugDescription: "only text parts ({\"type\": \"text\", \"text\": …}) are supported")
                }
                text = parts.compactMap(\.text).joined()
            }
        }
    }

    struct ChatMessage: Decodable {
        var role: Role
        var content: Content?
    }

    struct StreamOptions: Decodable {
        var include_usage: Bool?
    }

    /// The sampling fields both endpoints share.
    struct Sampling: Decodable {
        var temperature: Double?
        var top_p: Double?
        var max_tokens: Int?
        var max_completion_tokens: Int?
        var n: Int?
        var seed: Int?
        var stop: StopList?
        var presence_penalty: Double?
        var frequency_penalty: Double?
        var repetition_penalty: Double?
        /// vLLM's and llama.cpp's extension (0 or absent: all tokens).
        var top_k: Int?
    }

    struct ChatCompletion: Decodable {
        var model: String?
        var messages: [ChatMessage]
        var stream: Bool?
        var stream_options: StreamOptions?
        var sampling: Sampling

        enum CodingKeys: String, CodingKey { case model, messages, stream, stream_options }
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            model = try container.decodeIfPresent(String.self, forKey: .model)
            messages = try container.decode([ChatMessage].self, forKey: .messages)
            stream = try container.decodeIfPresent(Bool.self, forKey: .stream)
            stream_options = try container.decodeIfPresent(StreamOptions.self, forKey: .stream_options)
            sampling = try Sampling(from: decoder)
        }
    }

    /// The legacy completions body: a `prompt` string (or a list holding one string).
    struct Completion: Decodable {
        var model: String?
        var prompt: String
        var stream: Bool?
        var stream_options: StreamOptions?
        var echo: Bool?
        var sampling: Sampling

        enum CodingKeys: String, CodingKey { case model, prompt, stream, stream_options, echo }
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            model = try container.decodeIfPresent(String.self, forKey: .model)
            if let text = try? container.decode(String.self, forKey: .prompt) {
                prompt = text
            } else {
                let list = try container.decode([String].self, forKey: .prompt)
                guard list.count == 1 else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .prompt, in: container,
                        debugDescription: "one prompt per request is supported (got \(list.count)); send a string")
                }
                prompt = list[0]
            }
            stream = try container.decodeIfPresent(Bool.self, forKey: .stream)
            stream_options = try container.decodeIfPresent(StreamOptions.self, forKey: .stream_options)
            echo = try container.decodeIfPresent(Bool.self, forKey: .echo)
            sampling = try Sampling(from: decoder)
        }
    }

    /// Decodes `body` as `T`, or throws a 400 naming the field at fault; a body that is not JSON
    /// (or not UTF-8) is a 400 that says so.
    static func decode<T: Decodable>(_ type: T.Type, from body: Data) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: body)
        } catch let error as DecodingError {
            if (try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])) == nil {
                throw APIError.invalidRequest(
                    body.isEmpty
                        ? "the request body is empty; send a JSON object"
                        : "the request body is not valid JSON (UTF-8)",
                    code: "invalid_json")
            }
            let (path, detail) = describe(error)
            throw APIError.invalidRequest(
                path.isEmpty ? detail : "\(path): \(detail)", param: path.isEmpty ? nil : path)
        }
    }

    /// The field path in OpenAI's notation (`messages[1].role`) and what is wrong with it.
    static func describe(_ error: DecodingError) -> (path: String, detail: String) {
        func render(_ path: [any CodingKey]) -> String {
            var text = ""
            for key in path {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += (text.isEmpty ? "" : ".") + key.stringValue
                }
            }
            return text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return (render(context.codingPath + [key]), "required field missing")
        case .typeMismatch(let type, let context):
            return (render(context.codingPath), "expected \(jsonName(type))")
        case .valueNotFound(let type, let context):
            return (render(context.codingPath), "expected \(jsonName(type)), got null")
        case .dataCorrupted(let context):
            return (render(context.codingPath), context.debugDescription)
        @unknown default:
            return ("", "the request body does not have the expected fields")
        }
    }

    private static func jsonName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is [Any].Type: "an array"
        default: String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }
}
