import Foundation

/// What the fake server does with one request. Each case is a failure real endpoints produce,
/// so the client's handling of it can be tested without a real endpoint.
public enum FakeBehavior: Sendable, Hashable {
    /// A normal completion: each choice echoes the last user message as `echo: <message>`, so a
    /// caller can check that every answer belongs to its own request.
    case ok
    /// HTTP 429 with the given `Retry-After` value (seconds or an HTTP-date), or none.
    case rateLimited(retryAfter: String?)
    /// HTTP 500 with an OpenAI-style JSON error body.
    case serverError
    /// Never answer; the connection is closed after the server's `hangLimit`. Tests deadlines.
    case hang
    /// HTTP 200 whose JSON body is cut in half (with a matching Content-Length).
    case truncatedJSON
    /// HTTP 200 with an HTML page instead of JSON, as a misconfigured proxy sends.
    case garbage
    /// Close the connection with a TCP reset and no response.
    case connectionReset
    /// HTTP 200, a completion with `"choices": []`.
    case emptyChoices
    /// HTTP 200, valid JSON that is not a completion (no `choices`).
    case notACompletion
    /// Any status with this exact body.
    case status(Int, body: String)
}

/// One request as the fake server saw it, for the plan to decide on.
public struct FakeRequest: Sendable {
    /// Arrival order over the server's life, from 0.
    public var number: Int
    public var method: String
    public var path: String
    /// The last user message of a chat request (empty for other requests).
    public var lastUserMessage: String
    /// How many earlier requests carried the same last user message: 0 on a first attempt,
    /// 1 on the first retry, … — lets a plan fail first attempts only.
    public var attempt: Int
    /// The `n` of a chat request (1 when absent).
    public var n: Int
    /// The `Authorization` header, if any.
    public var authorization: String?
    /// The `model` field of a chat request.
    public var model: String
}

/// The JSON bodies the fake server sends.
enum FakeBodies {
    struct ChatBody: Decodable {
        struct WireMessage: Decodable {
            var role: String
            var content: String
        }
        var model: String?
        var messages: [WireMessage]
        var n: Int?
    }

    static func completion(for request: FakeRequest) -> String {
        let content = "echo: " + request.lastUserMessage
        let choices = (0..<max(1, request.n)).map { index in
            ["index": index, "message": ["role": "assistant", "content": content], "finish_reason": "stop"]
                as [String: Any]
        }
        let words = request.lastUserMessage.split(separator: " ").count
        let object: [String: Any] = [
            "id": "chatcmpl-fake-\(request.number)",
            "object": "chat.completion",
            "created": 0,
            "model": request.model,
            "choices": choices,
            "usage": ["prompt_tokens": words, "completion_tokens": words + 2, "total_tokens": 2 * words + 2],
        ]
        return json(object)
    }

    static func emptyChoices(for request: FakeRequest) -> String {
        json([
            "id": "chatcmpl-fake-\(request.number)", "object": "chat.completion", "model": request.model, "choices": [],
        ])
    }

    static func error(_ message: String, type: String) -> String {
        json(["error": ["message": message, "type": type]])
    }

    static func models(_ ids: [String]) -> String {
        json(["object": "list", "data": ids.map { ["id": $0, "object": "model"] }])
    }

    static let garbage = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"

    private static func json(_ object: [String: Any]) -> String {
        // The objects above are built from JSON-compatible literals only.
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
