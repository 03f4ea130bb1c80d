import ClarifyCore
import Foundation

/// The JSON bodies of OpenAI's `POST /v1/chat/completions` and `GET /v1/models`, as documented in
/// the OpenAI API reference and accepted by vLLM, llama.cpp's `llama-server` and Ollama.
///
/// Decoding is deliberately lenient in what it accepts (a `null` content, a missing `usage` or
/// `finish_reason`, choices out of order) and precise in what it rejects: a body that is not
/// JSON or is cut short is ``BackendError/Kind-swift.struct/malformedResponse`` (retryable — a
/// proxy page or a broken transfer), JSON without the fields of a completion is
/// ``BackendError/Kind-swift.struct/unexpectedResponse`` naming the field (final), and no
/// choices at all is ``BackendError/Kind-swift.struct/emptyResponse`` (retryable).
enum OpenAIWireFormat {
    struct RequestBody: Encodable {
        struct WireMessage: Encodable {
            var role: String
            var content: String
        }
        var model: String
        var messages: [WireMessage]
        var temperature: Double
        var top_p: Double?
        var top_k: Int?
        var max_tokens: Int?
        var n: Int?
        var seed: Int?
        var stop: [String]?
        var repetition_penalty: Double?
        var presence_penalty: Double?
        var frequency_penalty: Double?
    }

    /// The body for `request` addressed to `model`. `n` is sent only when above 1, `stop` only when
    /// non-empty and `top_k` and the penalties (`top_k` and `repetition_penalty` are vLLM's and llama.cpp's
    /// extensions) only when set, because
    /// some servers reject fields they do not implement.
    static func encode(_ request: ChatRequest, model: String) throws -> Data {
        let body = RequestBody(
            model: model,
            messages: request.messages.map { .init(role: $0.role.rawValue, content: $0.content) },
            temperature: request.temperature,
            top_p: request.topP,
            top_k: request.topK,
            max_tokens: request.maxTokens,
            n: request.n > 1 ? request.n : nil,
            seed: request.seed,
            stop: request.stop.isEmpty ? nil : request.stop,
            repetition_penalty: request.repetitionPenalty,
            presence_penalty: request.presencePenalty,
            frequency_penalty: request.frequencyPenalty
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(body)
    }

    private struct ResponseBody: Decodable {
        struct Choice: Decodable {
            struct WireMessage: Decodable {
                var content: String?
            }
            var index: Int?
            var message: WireMessage?
            var text: String?
            var finish_reason: String?
        }
        struct Usage: Decodable {
            var prompt_tokens: Int?
            var completion_tokens: Int?
        }
        var model: String?
        var choices: [Choice]?
        var usage: Usage?
        var error: APIErrorBody.Detail?
    }

    /// Decodes a 2xx completion body.
    static func decodeCompletion(_ data: Data, requestedModel: String, statusCode: Int) throws -> ChatResponse {
        let body: ResponseBody
        do {
            body = try JSONDecoder().decode(ResponseBody.self, from: data)
        } catch let error as DecodingError {
            throw classify(error, data: data, statusCode: statusCode)
        }
        // Built only for an error: a copy of the whole body per successful call is a waste.
        let excerpt = { BackendError.excerpt(String(decoding: data, as: UTF8.self)) }
        if let apiError = body.error, body.choices == nil {
            throw BackendError(
                .serverError, "the endpoint answered with an error object: \(apiError.message ?? "no message")",
                statusCode: statusCode, bodyExcerpt: excerpt())
        }
        guard let wireChoices = body.choices else {
            throw BackendError(
                .unexpectedResponse,
                "the body is JSON but has no `choices` field, so it is not a chat completion; "
                    + "check that the base URL points at an OpenAI-compatible server",
                statusCode: statusCode, bodyExcerpt: excerpt())
        }
        if wireChoices.isEmpty {
            throw BackendError(
                .emptyResponse, "the completion has an empty `choices` list", statusCode: statusCode,
                bodyExcerpt: excerpt())
        }
        var choices: [ChatChoice] = []
        for (position, choice) in wireChoices.enumerated() {
            guard let content = choice.message.map({ $0.content ?? "" }) ?? choice.text else {
                throw BackendError(
                    .unexpectedResponse, "`choices[\(position)]` has neither `message` nor `text`",
                    statusCode: statusCode, bodyExcerpt: excerpt())
            }
            let reason = choice.finish_reason.map(FinishReason.init(rawValue:)) ?? .unknown
            choices.append(ChatChoice(index: choice.index ?? position, content: content, finishReason: reason))
        }
        choices.sort { $0.index < $1.index }
        let usage = body.usage.flatMap { usage -> TokenUsage? in
            guard let prompt = usage.prompt_tokens, let completion = usage.completion_tokens else { return nil }
            return TokenUsage(promptTokens: prompt, completionTokens: completion)
        }
        return ChatResponse(choices: choices, usage: usage, model: body.model ?? requestedModel)
    }

    /// The `error` object OpenAI-compatible servers put in non-2xx bodies.
    struct APIErrorBody: Decodable {
        struct Detail: Decodable {
            var message: String?
            var type: String?
        }
        var error: Detail?
    }

    /// The server's own error message from a non-2xx body, when it has one.
    static func apiErrorMessage(_ data: Data) -> String? {
        guard let body = try? JSONDecoder().decode(APIErrorBody.self, from: data) else { return nil }
        return body.error?.message
    }

    private struct ModelList: Decodable {
        struct Entry: Decodable { var id: String }
        var data: [Entry]
    }

    /// The model ids of a `GET /v1/models` body.
    static func decodeModelList(_ data: Data, statusCode: Int) throws -> [String] {
        do {
            return try JSONDecoder().decode(ModelList.self, from: data).data.map(\.id)
        } catch let error as DecodingError {
            throw classify(error, data: data, statusCode: statusCode)
        }
    }

    /// Invalid or truncated JSON is malformed (retryable); valid JSON of the wrong shape is
    /// unexpected (final), with the coding path of the offending field.
    private static func classify(_ error: DecodingError, data: Data, statusCode: Int) -> BackendError {
        let excerpt = BackendError.excerpt(String(decoding: data, as: UTF8.self))
        if (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) == nil {
            let what = data.isEmpty ? "the body is empty" : "the body is not valid JSON (truncated or not JSON at all)"
            return BackendError(.malformedResponse, what, statusCode: statusCode, bodyExcerpt: excerpt)
        }
        let path: String
        let detail: String
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            path = context.codingPath.map(\.stringValue).joined(separator: ".")
            detail = context.debugDescription
        case .keyNotFound(let key, let context):
            path = (context.codingPath + [key]).map(\.stringValue).joined(separator: ".")
            detail = "missing"
        @unknown default:
            path = ""
            detail = String(describing: error)
        }
        return BackendError(
            .unexpectedResponse, "field `\(path)` of the response: \(detail)", statusCode: statusCode,
            bodyExcerpt: excerpt)
    }
}
