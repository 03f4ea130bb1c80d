import AsyncHTTPClient
import ClarifyCore
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// A ``ChatModel`` served by any OpenAI-compatible endpoint over `POST {base}/v1/chat/completions`.
///
/// Built on async-http-client. Each call holds one of ``OpenAIConfiguration/maxConcurrentRequests``
/// slots per attempt, retries what may succeed on a second try (429, 5xx, timeouts, broken
/// connections, truncated or garbage bodies) with full-jitter back-off that never comes back
/// sooner than the server's `Retry-After`, and fails at once, with the server's own message,
/// on what will not (bad key, wrong model, a rejected request). Cancelling the calling task
/// cancels the HTTP request or the back-off sleep and ends the call with
/// ``BackendError/Kind-swift.struct/cancelled``.
///
/// The model owns its `HTTPClient` unless one is passed in; call ``shutdown()`` when done with
/// an owned one (async-http-client requires it).
public final class OpenAICompatibleModel: ChatModel {
    public let configuration: OpenAIConfiguration
    public let identity: String
    /// Called before each back-off sleep; for progress displays and benchmarks. Never sees the key.
    public let onRetry: (@Sendable (RetryEvent) -> Void)?

    /// `{base}/v1`, checked at construction.
    let apiRoot: String
    private let apiKey: String?
    private let client: HTTPClient
    private let ownsClient: Bool
    private let limiter: ConcurrencyLimiter

    /// A retry about to happen.
    public struct RetryEvent: Sendable {
        /// The attempt that failed (1 for the first).
        public var failedAttempt: Int
        public var error: BackendError
        /// How long the client will sleep before the next attempt.
        public var wait: Duration
    }

    /// - Parameters:
    ///   - httpClient: a client to share; when `nil` the model makes its own, with a connection
    ///     pool as large as the concurrency limit, and ``shutdown()`` closes it.
    ///   - environment: where the API key variable is read (the process environment by default).
    public init(
        configuration: OpenAIConfiguration,
        httpClient: HTTPClient? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        onRetry: (@Sendable (RetryEvent) -> Void)? = nil
    ) throws {
        self.configuration = configuration
        apiRoot = try configuration.apiRoot()
        apiKey = configuration.apiKey(environment: environment)
        identity = "openai:\(configuration.model)@\(apiRoot)"
        self.onRetry = onRetry
        limiter = ConcurrencyLimiter(limit: max(1, configuration.maxConcurrentRequests))
        if let httpClient {
            client = httpClient
            ownsClient = false
        } else {
            var httpConfiguration = HTTPClient.Configuration()
            httpConfiguration.connectionPool = .init(
                idleTimeout: .seconds(60),
                concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, configuration.maxConcurrentRequests))
            httpConfiguration.timeout = .init(connect: .seconds(10))
            // Fail a refused connection at once: our retry loop backs off and reports the real
            // cause, where the pool's own silent reconnecting would surface only as a timeout.
            httpConfiguration.connectionPool.retryConnectionEstablishment = false
            client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
            ownsClient = true
        }
    }

    /// Closes the owned HTTP client; a no-op for a shared one.
    public func shutdown() async throws {
        if ownsClient { try await client.shutdown() }
    }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let body = try OpenAIWireFormat.encode(request, model: configuration.model)
        let clock = ContinuousClock()
        let deadline = configuration.requestDeadline.map { clock.now + $0 }
        var generator = SystemRandomNumberGenerator()
        var attempt = 0
        while true {
            attempt += 1
            var failure: BackendError
            do {
                try Task.checkCancellation()
                return try await limiter.withSlot {
                    // Measured once a slot is held, so waiting behind other requests does not
                    // eat into this attempt's time, only into the overall deadline.
                    let attemptTimeout = self.configuration.attemptTimeout
                    let timeout = deadline.map { min(attemptTimeout, $0 - clock.now) } ?? attemptTimeout
                    return try await self.attempt(body: body, timeout: timeout)
                }
            } catch {
                failure = classify(error)
            }
            failure.attempts = attempt
            if failure.kind == .cancelled || Task.isCancelled {
                throw BackendError(.cancelled, "the request was cancelled", attempts: attempt)
            }
            if failure.kind == .notFound { await appendServedModels(to: &failure) }
            guard failure.isRetryable, attempt < configuration.retry.maxAttempts else { throw failure }
            guard
                let wait = configuration.retry.delay(
                    beforeRetry: attempt - 1, retryAfter: failure.retryAfter, using: &generator)
            else {
                failure.message +=
                    "; the server asked to wait \(failure.retryAfter.map(describe) ?? "?"), longer "
                    + "than the \(describe(configuration.retry.maxRetryAfter)) we wait: lower the request rate"
                throw failure
            }
            if let deadline, clock.now + wait >= deadline {
                failure.message +=
                    "; no time left to retry within the request deadline of "
                    + describe(configuration.requestDeadline ?? .zero)
                throw failure
            }
            onRetry?(RetryEvent(failedAttempt: attempt, error: failure, wait: wait))
            do {
                try await Task.sleep(for: wait)
            } catch {
                throw BackendError(.cancelled, "the request was cancelled while waiting to retry", attempts: attempt)
            }
        }
    }

    /// One HTTP exchange: send, collect the body within the timeout, map the status.
    private func attempt(body: Data, timeout: Duration) async throws -> ChatResponse {
        guard timeout > .zero else {
            throw BackendError(.timeout, "the request deadline passed before the request could be sent")
        }
        var request = HTTPClientRequest(url: apiRoot + "/chat/completions")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        if let apiKey { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        request.body = .bytes(ByteBuffer(data: body))
        let nioDeadline = NIODeadline.now() + .nanoseconds(Int64(timeout.seconds * 1e9))
        let response = try await client.execute(request, deadline: nioDeadline)
        let buffer = try await response.body.collect(upTo: configuration.maxResponseBytes)
        let data = Data(buffer: buffer)
        let status = Int(response.status.code)
        if (200..<300).contains(status) {
            return try OpenAIWireFormat.decodeCompletion(data, requestedModel: configuration.model, statusCode: status)
        }
        throw statusError(status, headers: response.headers, body: data)
    }

    /// Adds the served model names to a 404, since a misspelt model name is its usual cause.
    private func appendServedModels(to failure: inout BackendError) async {
        guard let models = try? await listModels(timeout: .seconds(5)), !models.isEmpty else { return }
        let shown = models.prefix(20).joined(separator: ", ") + (models.count > 20 ? ", …" : "")
        failure.message += "; the server serves: \(shown)"
    }

    /// The ids of the models the endpoint serves (`GET {base}/v1/models`), for error messages
    /// and for checking a model name before a long run.
    public func listModels(timeout: Duration = .seconds(10)) async throws -> [String] {
        var request = HTTPClientRequest(url: apiRoot + "/models")
        if let apiKey { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(Int64(timeout.seconds * 1e9)))
            let data = Data(buffer: try await response.body.collect(upTo: configuration.maxResponseBytes))
            let status = Int(response.status.code)
            guard (200..<300).contains(status) else { throw statusError(status, headers: response.headers, body: data) }
            return try OpenAIWireFormat.decodeModelList(data, statusCode: status)
        } catch {
            throw classify(error)
        }
    }
}
