import AsyncHTTPClient
import ClarifyCore
import Foundation
import NIOCore
import NIOHTTP1

/// Turning HTTP statuses and transport failures into ``BackendError``s whose kind decides the
/// retry and whose message tells the user what to change.
extension OpenAICompatibleModel {
    /// The error for a non-2xx response. The server's own `error.message`, when the body has
    /// one, leads the message because it is usually the most specific ("model not found").
    func statusError(_ status: Int, headers: HTTPHeaders, body: Data) -> BackendError {
        let text = String(decoding: body, as: UTF8.self)
        let excerpt = BackendError.excerpt(text)
        let serverSays = OpenAIWireFormat.apiErrorMessage(body).map { "the server says: \($0); " } ?? ""
        let retryAfter = headers.first(name: "Retry-After").flatMap { RetryAfter.parse($0) }
        let endpoint = "\(apiRoot)/chat/completions"
        switch status {
        case 429:
            return BackendError(
                .rateLimited, "\(serverSays)too many requests to \(endpoint); lower the concurrency if this persists",
                statusCode: status, bodyExcerpt: excerpt, retryAfter: retryAfter)
        case 408, 500...599:
            return BackendError(
                .serverError, "\(serverSays)the server at \(endpoint) failed", statusCode: status,
                bodyExcerpt: excerpt, retryAfter: retryAfter)
        case 401, 403:
            let keyAdvice =
                configuration.apiKey() == nil
                ? "$\(configuration.apiKeyEnvironmentVariable) is not set; export it with a valid key"
                : "check the key in $\(configuration.apiKeyEnvironmentVariable)"
            return BackendError(
                .authentication, "\(serverSays)the server refused the request: \(keyAdvice)", statusCode: status,
                bodyExcerpt: excerpt)
        case 404:
            return BackendError(
                .notFound,
                "\(serverSays)\(endpoint) has no model '\(configuration.model)' or no such path; check the base URL "
                    + "and the model name",
                statusCode: status, bodyExcerpt: excerpt)
        default:
            return BackendError(
                .requestRejected, "\(serverSays)the server rejected the request to \(endpoint)", statusCode: status,
                bodyExcerpt: excerpt)
        }
    }

    /// Maps an error thrown during an attempt. Timeouts are told apart from other transport
    /// failures because their advice differs (raise the timeout vs check the server).
    func classify(_ error: any Error) -> BackendError {
        if let error = error as? BackendError { return error }
        if error is CancellationError { return BackendError(.cancelled, "the request was cancelled") }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .getConnectionFromPoolTimeout:
                return BackendError(
                    .timeout,
                    "no complete answer from \(apiRoot) within \(describe(configuration.attemptTimeout)) (\(error)); "
                        + "raise the attempt timeout for slow models")
            case .cancelled:
                return Task.isCancelled
                    ? BackendError(.cancelled, "the request was cancelled")
                    : BackendError(.timeout, "the request to \(apiRoot) was cut off at its deadline")
            case .invalidURL, .emptyHost, .emptyScheme:
                return BackendError(.configuration, "cannot send to \(apiRoot): \(error)")
            default:
                break
            }
        }
        if error is NIOTooManyBytesError {
            return BackendError(
                .unexpectedResponse,
                "the response from \(apiRoot) is larger than \(configuration.maxResponseBytes) bytes; "
                    + "raise maxResponseBytes")
        }
        return BackendError(.connection, "could not talk to \(apiRoot): \(error); is the server running?")
    }

    func describe(_ duration: Duration) -> String {
        let seconds = duration.seconds
        return seconds < 10 ? String(format: "%.3g s", seconds) : String(format: "%.0f s", seconds)
    }
}
