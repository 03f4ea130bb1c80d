import Foundation
import Hummingbird
import NIOCore

/// An error in OpenAI's shape — `{"error": {"message", "type", "param", "code"}}` — with its HTTP
/// status. It renders itself (Hummingbird's `HTTPResponseError`), so a handler only throws it.
/// Messages say what was wrong with the request; nothing internal (paths, stack traces) goes out.
struct APIError: Error, HTTPResponseError, Sendable {
    var status: HTTPResponse.Status
    var message: String
    /// OpenAI's `type`: `invalid_request_error`, `authentication_error`, `not_found_error`, `server_error`.
    var type: String
    var param: String?
    var code: String?
    var headers: HTTPFields = [:]

    static func invalidRequest(_ message: String, param: String? = nil, code: String? = nil) -> APIError {
        APIError(status: .badRequest, message: message, type: "invalid_request_error", param: param, code: code)
    }

    static func unknownModel(_ name: String, served: [String]) -> APIError {
        APIError(
            status: .notFound,
            message:
                "The model `\(name)` does not exist; this server has \(served.map { "`\($0)`" }.joined(separator: ", "))",
            type: "invalid_request_error", param: "model", code: "model_not_found")
    }

    static func contextTooLong(prompt: Int, maxTokens: Int?, context: Int) -> APIError {
        let asked = maxTokens.map { " and \($0) in the completion" } ?? ""
        return APIError(
            status: .badRequest,
            message: "This model's maximum context length is \(context) tokens. However, you requested "
                + "\((maxTokens ?? 0) + prompt) tokens (\(prompt) in the messages\(asked)). Please reduce the length "
                + "of the messages or completion.",
            type: "invalid_request_error", param: "messages", code: "context_length_exceeded")
    }

    static func bodyTooLarge(limit: Int?) -> APIError {
        APIError(
            status: .contentTooLarge,
            message: "The request body is larger than this server accepts"
                + (limit.map { " (\($0) bytes; see --max-body)." } ?? "."),
            type: "invalid_request_error", code: "request_too_large")
    }

    static var unauthorized: APIError {
        APIError(
            status: .unauthorized,
            message: "Incorrect or missing API key: send the server's key as `Authorization: Bearer KEY`.",
            type: "authentication_error", code: "invalid_api_key", headers: [.wwwAuthenticate: "Bearer"])
    }

    static func notFound(_ path: String) -> APIError {
        APIError(
            status: .notFound, message: "No route for \(path.prefix(200)). The API is under /v1 (see GET /v1/models).",
            type: "not_found_error", code: "not_found")
    }

    static func methodNotAllowed(_ method: String, allowed: [String]) -> APIError {
        var fields = HTTPFields()
        fields[.allow] = allowed.joined(separator: ", ")
        return APIError(
            status: .methodNotAllowed,
            message: "\(method.prefix(20)) is not allowed here; use \(allowed.joined(separator: " or ")).",
            type: "invalid_request_error", code: "method_not_allowed", headers: fields)
    }

    static var internalError: APIError {
        APIError(
            status: .internalServerError, message: "The server failed to answer this request.", type: "server_error",
            code: "internal_error")
    }

    /// The JSON body.
    var body: Data {
        struct Body: Encodable {
            struct Detail: Encodable {
                var message: String
                var type: String
                var param: String?
                var code: String?
                func encode(to encoder: any Encoder) throws {
                    var container = encoder.container(keyedBy: CodingKeys.self)
                    try container.encode(message, forKey: .message)
                    try container.encode(type, forKey: .type)
                    try container.encode(param, forKey: .param)
                    try container.encode(code, forKey: .code)
                }
                enum CodingKeys: String, CodingKey { case message, type, param, code }
            }
            var error: Detail
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(Body(error: .init(message: message, type: type, param: param, code: code))))
            ?? Data(#"{"error":{"message":"error","type":"server_error","param":null,"code":null}}"#.utf8)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response { response }

    var response: Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
