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
            FakeJSON.object([
                ("index", .int(index)),
                ("message", .object([("role", .string("assistant")), ("content", .string(content))])),
                ("finish_reason", .string("stop")),
            ])
        }
        let words = request.lastUserMessage.split(separator: " ").count
        return FakeJSON.object([
            ("id", .string("chatcmpl-fake-\(request.number)")),
            ("object", .string("chat.completion")),
            ("created", .int(0)),
            ("model", .string(request.model)),
            ("choices", .array(choices)),
            (
                "usage",
                .object([
                    ("prompt_tokens", .int(words)), ("completion_tokens", .int(words + 2)),
                    ("total_tokens", .int(2 * words + 2)),
                ])
            ),
        ]).text
    }

    static func emptyChoices(for request: FakeRequest) -> String {
        FakeJSON.object([
            ("id", .string("chatcmpl-fake-\(request.number)")), ("object", .string("chat.completion")),
            ("model", .string(request.model)), ("choices", .array([])),
        ]).text
    }

    static func error(_ message: String, type: String) -> String {
        FakeJSON.object([("error", .object([("message", .string(message)), ("type", .string(type))]))]).text
    }

    static func models(_ ids: [String]) -> String {
        FakeJSON.object([
            ("object", .string("list")),
            ("data", .array(ids.map { .object([("id", .string($0)), ("object", .string("model"))]) })),
        ]).text
    }

    static let garbage = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
}

/// The few JSON shapes the fake server writes, serialised by hand. `JSONSerialization` with sorted
/// keys (used before) cost ≈ 0.3 ms per response — casts from `Any` and ICU collation for the key
/// order — on the server's one event-loop thread (perf, 2 shared cores): with 64 responses due at
/// the same instant the last left ≈ 18 ms late, and `bench/http.sh` measured the fake server
/// (raw async-http-client reached 0.85 of the ideal rate) instead of the client (0.94 after).
indirect enum FakeJSON {
    case string(String)
    case int(Int)
    case array([FakeJSON])
    case object([(String, FakeJSON)])

    var text: String {
        var output = ""
        write(to: &output)
        return output
    }

    private func write(to output: inout String) {
        switch self {
        case .string(let value): Self.quote(value, to: &output)
        case .int(let value): output += String(value)
        case .array(let values):
            output += "["
            for (position, value) in values.enumerated() {
                if position > 0 { output += "," }
                value.write(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (position, (key, value)) in members.enumerated() {
                if position > 0 { output += "," }
                Self.quote(key, to: &output)
                output += ":"
                value.write(to: &output)
            }
            output += "}"
        }
    }

    /// A JSON string literal (RFC 8259 §7): quote, backslash and control characters escaped,
    /// everything else as UTF-8.
    private static func quote(_ value: String, to output: inout String) {
        output += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
