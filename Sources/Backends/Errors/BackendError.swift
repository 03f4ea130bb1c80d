/// A failure of a model backend.
///
/// Shaped like async-http-client's `HTTPClientError`: a public struct wrapping a private code
/// enum, exposed through static ``Kind`` members, so kinds can be added without breaking callers
/// that switch over them. Every error carries a message that says what happened and what to do,
/// and, for HTTP failures, the status and an excerpt of the body (never the API key).
public struct BackendError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, coarse enough to decide on a retry and to count failures by.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Code: String, Sendable, Hashable {
            case rateLimited = "rate limited"
            case serverError = "server error"
            case requestRejected = "request rejected"
            case authentication = "authentication failed"
            case notFound = "not found"
            case timeout = "timed out"
            case connection = "connection failed"
            case malformedResponse = "malformed response"
            case unexpectedResponse = "unexpected response"
            case emptyResponse = "empty response"
            case cancelled = "cancelled"
            case configuration = "configuration"
            case noReference = "no reference answer"
            case other = "other"
        }

        private let code: Code
        private init(_ code: Code) { self.code = code }

        /// HTTP 429: the endpoint asks us to slow down. Retryable, honouring `Retry-After`.
        public static let rateLimited = Kind(.rateLimited)
        /// HTTP 5xx (and 408): the endpoint failed. Retryable.
        public static let serverError = Kind(.serverError)
        /// HTTP 4xx other than 401/403/404/408/429: the request itself is wrong. Final.
        public static let requestRejected = Kind(.requestRejected)
        /// HTTP 401/403: missing or wrong API key. Final.
        public static let authentication = Kind(.authentication)
        /// HTTP 404: wrong base URL or model name. Final.
        public static let notFound = Kind(.notFound)
        /// The per-attempt deadline or the overall deadline passed. Retryable per attempt.
        public static let timeout = Kind(.timeout)
        /// The connection could not be made or broke (refused, reset, closed early). Retryable.
        public static let connection = Kind(.connection)
        /// The body is not JSON or is cut short (a proxy page, a truncated transfer). Retryable.
        public static let malformedResponse = Kind(.malformedResponse)
        /// The body is JSON but not a chat completion (a required field is missing). Final.
        public static let unexpectedResponse = Kind(.unexpectedResponse)
        /// A completion with no choices. Retryable.
        public static let emptyResponse = Kind(.emptyResponse)
        /// The caller's task was cancelled. Final.
        public static let cancelled = Kind(.cancelled)
        /// The backend is set up wrongly (bad URL, missing API key variable). Final.
        public static let configuration = Kind(.configuration)
        /// The reference model has no known solution for the prompt. Final.
        public static let noReference = Kind(.noReference)
        /// Any other error a backend threw, wrapped so a batch never loses it. Final.
        public static let other = Kind(.other)

        /// Whether trying the same request again may succeed.
        public var isRetryable: Bool {
            switch code {
            case .rateLimited, .serverError, .timeout, .connection, .malformedResponse, .emptyResponse: return true
            default: return false
            }
        }

        public var description: String { code.rawValue }
    }

    public var kind: Kind
    /// What happened and what to do about it.
    public var message: String
    /// The HTTP status, for failures that got one.
    public var statusCode: Int?
    /// The start of the response body, for failures that got one (at most ~500 characters).
    public var bodyExcerpt: String?
    /// How long the endpoint asked us to wait (`Retry-After`), when it said.
    public var retryAfter: Duration?
    /// How many attempts were made before giving up (1 when no retry happened).
    public var attempts: Int

    public init(
        _ kind: Kind,
        _ message: String,
        statusCode: Int? = nil,
        bodyExcerpt: String? = nil,
        retryAfter: Duration? = nil,
        attempts: Int = 1
    ) {
        self.kind = kind
        self.message = message
        self.statusCode = statusCode
        self.bodyExcerpt = bodyExcerpt
        self.retryAfter = retryAfter
        self.attempts = attempts
    }

    public var isRetryable: Bool { kind.isRetryable }

    public var description: String {
        var text = "\(kind): \(message)"
        if let statusCode { text += " (HTTP \(statusCode))" }
        if attempts > 1 { text += " after \(attempts) attempts" }
        if let bodyExcerpt, !bodyExcerpt.isEmpty { text += "; body: \(bodyExcerpt)" }
        return text
    }

    /// Wraps any error as a ``BackendError``: a `BackendError` is returned as is, cancellation
    /// becomes ``Kind-swift.struct/cancelled``, anything else ``Kind-swift.struct/other`` with
    /// its description, so batch results never lose the cause.
    public static func wrapping(_ error: any Error) -> BackendError {
        if let error = error as? BackendError { return error }
        if error is CancellationError {
            return BackendError(.cancelled, "the request was cancelled before it finished")
        }
        return BackendError(.other, String(describing: error))
    }

    /// Cuts a body to an excerpt short enough for an error message, keeping its start.
    static func excerpt(_ body: String, limit: Int = 500) -> String {
        if body.count <= limit { return body }
        return String(body.prefix(limit)) + "… (\(body.utf8.count) bytes in all)"
    }
}
