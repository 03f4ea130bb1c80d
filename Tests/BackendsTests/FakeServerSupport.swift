import Backends
import BackendsTesting
import Foundation
import Synchronization
import Testing

/// Runs `body` against a fresh fake server and a client pointed at it, shutting both down
/// whatever happens (async-http-client insists on an explicit shutdown).
func withFakeServer<T>(
    _ server: FakeOpenAIServer.Configuration = .init(),
    client: (String) -> OpenAIConfiguration = { OpenAIConfiguration(baseURL: $0, model: "fake-model") },
    environment: [String: String] = [:],
    retries: Recorder<OpenAICompatibleModel.RetryEvent>? = nil,
    _ body: (FakeOpenAIServer, OpenAICompatibleModel) async throws -> T
) async throws -> T {
    let fake = try await FakeOpenAIServer.start(server)
    let model: OpenAICompatibleModel
    do {
        model = try OpenAICompatibleModel(
            configuration: client(fake.baseURL), environment: environment, onRetry: { retries?.append($0) })
    } catch {
        try await fake.shutdown()
        throw error
    }
    do {
        let value = try await body(fake, model)
        try await model.shutdown()
        try await fake.shutdown()
        return value
    } catch {
        try? await model.shutdown()
        try? await fake.shutdown()
        throw error
    }
}

/// A client configuration with short, test-sized waits.
func quickClient(
    _ baseURL: String,
    attempts: Int = 4,
    attemptTimeout: Duration = .seconds(5),
    requestDeadline: Duration? = .seconds(20),
    concurrency: Int = 8
) -> OpenAIConfiguration {
    OpenAIConfiguration(
        baseURL: baseURL, model: "fake-model", maxConcurrentRequests: concurrency, attemptTimeout: attemptTimeout,
        requestDeadline: requestDeadline,
        retry: RetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50)))
}

/// The error a call threw, as a `BackendError`; records an issue when it did not throw one.
func backendError(
    sourceLocation: SourceLocation = #_sourceLocation, _ call: () async throws -> Void
) async -> BackendError? {
    do {
        try await call()
        Issue.record("expected the call to fail", sourceLocation: sourceLocation)
        return nil
    } catch let error as BackendError {
        return error
    } catch {
        Issue.record("expected a BackendError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Collects values from `@Sendable` callbacks.
final class Recorder<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])
    func append(_ value: Value) { values.withLock { $0.append(value) } }
    var all: [Value] { values.withLock { $0 } }
}
