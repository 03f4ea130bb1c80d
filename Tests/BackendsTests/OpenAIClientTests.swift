import Backends
import BackendsTesting
import ClarifyCore
import Foundation
import Testing

@Suite("OpenAI-compatible client against the fake server")
struct OpenAIClientTests {
    @Test("a completion comes back with the answer, n choices and usage")
    func completes() async throws {
        try await withFakeServer { server, model in
            let response = try await model.complete(
                ChatRequest(messages: [.system("s"), .user("add two numbers")], n: 3))
            #expect(response.choices.map(\.content) == Array(repeating: "echo: add two numbers", count: 3))
            #expect(response.choices.map(\.index) == [0, 1, 2])
            #expect(response.usage == TokenUsage(promptTokens: 3, completionTokens: 5))
            #expect(response.model == "fake-model")
            #expect(server.statistics.requests == 1)
        }
    }

    @Test("quotes, backslashes, control characters and non-ASCII text survive the round trip")
    func escaping() async throws {
        let message = "say \"hi\" \\ path\\to\nnext\tline\r\u{01}\u{1F} — 日本語 🙂 </script>"
        try await withFakeServer { _, model in
            let response = try await model.complete(ChatRequest(messages: [.user(message)]))
            #expect(response.text == "echo: " + message)
        }
    }

    @Test("the base URL works with or without /v1 and with a trailing slash")
    func baseURLForms() async throws {
        let fake = try await FakeOpenAIServer.start()
        let root = "http://127.0.0.1:\(fake.port)"
        for base in [root, root + "/", root + "/v1", root + "/v1/"] {
            let model = try OpenAICompatibleModel(
                configuration: OpenAIConfiguration(baseURL: base, model: "fake-model"))
            let text = try await model.complete(ChatRequest(messages: [.user("ping")])).text
            try await model.shutdown()
            #expect(text == "echo: ping", "base URL \(base)")
            #expect(model.identity == "openai:fake-model@\(root)/v1")
        }
        try await fake.shutdown()
        #expect(throws: BackendError.self) {
            try OpenAICompatibleModel(configuration: OpenAIConfiguration(baseURL: "127.0.0.1:8080", model: "m"))
        }
    }

    @Test("the API key is read from the named variable and a refusal says which variable to set")
    func apiKey() async throws {
        let server = FakeOpenAIServer.Configuration(requiredAPIKey: "sk-secret-123")
        let withKey = OpenAIConfiguration(baseURL: "http://x", model: "fake-model", apiKeyEnvironmentVariable: "MY_KEY")
        try await withFakeServer(
            server,
            client: {
                var c = withKey
                c.baseURL = $0
                return c
            }, environment: ["MY_KEY": "sk-secret-123"]
        ) { _, model in
            let answer1 = try await model.complete(ChatRequest(messages: [.user("hi")])).text
            #expect(answer1 == "echo: hi")
        }
        try await withFakeServer(
            server,
            client: {
                var c = withKey
                c.baseURL = $0
                return c
            }
        ) { fake, model in
            let error = try #require(
                await backendError { _ = try await model.complete(ChatRequest(messages: [.user("hi")])) })
            #expect(error.kind == .authentication)
            #expect(error.message.contains("$MY_KEY is not set"))
            #expect(error.attempts == 1 && fake.statistics.requests == 1)
        }
        try await withFakeServer(
            server,
            client: {
                var c = withKey
                c.baseURL = $0
                return c
            }, environment: ["MY_KEY": "sk-wrong-456"]
        ) { _, model in
            let error = try #require(
                await backendError { _ = try await model.complete(ChatRequest(messages: [.user("hi")])) })
            #expect(error.kind == .authentication)
            #expect(!error.description.contains("sk-wrong-456"))
        }
    }

    @Test("429 and 500 are retried until the server answers")
    func retriesTransientStatuses() async throws {
        let server = FakeOpenAIServer.Configuration { request in
            switch request.attempt {
            case 0: return .rateLimited(retryAfter: nil)
            case 1: return .serverError
            default: return .ok
            }
        }
        let retries = Recorder<OpenAICompatibleModel.RetryEvent>()
        try await withFakeServer(server, client: { quickClient($0) }, retries: retries) { fake, model in
            let answer2 = try await model.complete(ChatRequest(messages: [.user("q")])).text
            #expect(answer2 == "echo: q")
            #expect(fake.statistics.requests == 3)
            #expect(retries.all.map(\.error.kind) == [.rateLimited, .serverError])
            #expect(retries.all.map(\.error.statusCode) == [429, 500])
        }
    }

    @Test("a Retry-After in seconds is waited out before the retry")
    func honoursRetryAfterSeconds() async throws {
        let server = FakeOpenAIServer.Configuration { $0.attempt == 0 ? .rateLimited(retryAfter: "1") : .ok }
        try await withFakeServer(server, client: { quickClient($0) }) { _, model in
            let clock = ContinuousClock()
            let start = clock.now
            let answer3 = try await model.complete(ChatRequest(messages: [.user("q")])).text
            #expect(answer3 == "echo: q")
            #expect(clock.now - start >= .seconds(1))
        }
    }

    @Test("a Retry-After HTTP-date is waited out before the retry")
    func honoursRetryAfterDate() async throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let server = FakeOpenAIServer.Configuration { request in
            // Three seconds ahead at whole-second resolution: 2 to 3 s from now, far above the
            // client's 10–50 ms back-off, so only an honoured header explains the wait (the
            // slack of a second absorbs a loaded machine's delay before the client reads it).
            request.attempt == 0 ? .rateLimited(retryAfter: formatter.string(from: Date().addingTimeInterval(3))) : .ok
        }
        let retries = Recorder<OpenAICompatibleModel.RetryEvent>()
        try await withFakeServer(server, client: { quickClient($0) }, retries: retries) { _, model in
            let clock = ContinuousClock()
            let start = clock.now
            let answer4 = try await model.complete(ChatRequest(messages: [.user("q")])).text
            #expect(answer4 == "echo: q")
            #expect(clock.now - start >= .seconds(1))
            let waits = retries.all.map(\.wait)
            #expect(waits.count == 1 && waits[0] >= .seconds(1) && waits[0] <= .seconds(3))
        }
    }

    @Test("a server asking to wait longer than the policy allows fails at once with its message")
    func retryAfterTooLong() async throws {
        let server = FakeOpenAIServer.Configuration { _ in .rateLimited(retryAfter: "3600") }
        try await withFakeServer(server, client: { quickClient($0) }) { fake, model in
            let error = try #require(
                await backendError { _ = try await model.complete(ChatRequest(messages: [.user("q")])) })
            #expect(error.kind == .rateLimited)
            #expect(error.retryAfter == .seconds(3600))
            #expect(error.message.contains("asked to wait"))
            #expect(fake.statistics.requests == 1)
        }
    }

    @Test("a hung request times out at the attempt deadline and is retried")
    func hangTimesOut() async throws {
        // The hang outlasts the bound below by far, so only the attempt timeout can end the call in
        // time; the bound itself is loose because the whole suite shares two cores in CI.
        let server = FakeOpenAIServer.Configuration(hangLimit: .seconds(30)) { $0.attempt == 0 ? .hang : .ok }
        try await withFakeServer(server, client: { quickClient($0, attemptTimeout: .milliseconds(300)) }) {
            fake, model in
            let clock = ContinuousClock()
            let start = clock.now
            let answer5 = try await model.complete(ChatRequest(messages: [.user("q")])).text
            #expect(answer5 == "echo: q")
            let elapsed = clock.now - start
            #expect(elapsed >= .milliseconds(300) && elapsed < .seconds(20))
            #expect(fake.statistics.requests == 2)
        }
    }

    @Test("the overall deadline bounds a call that keeps timing out")
    func overallDeadline() async throws {
        let server = FakeOpenAIServer.Configuration(hangLimit: .seconds(3)) { _ in .hang }
        let client = {
            quickClient($0, attempts: 100, attemptTimeout: .milliseconds(250), requestDeadline: .seconds(1))
        }
        try await withFakeServer(server, client: client) { _, model in
            let clock = ContinuousClock()
            let start = clock.now
            let error = try #require(
                await backendError { _ = try await model.complete(ChatRequest(messages: [.user("q")])) })
            #expect(error.kind == .timeout)
            // Bounded by the 1 s deadline (plus scheduling slack), not by 100 attempts × 250 ms.
            #expect(clock.now - start < .seconds(3))
        }
    }

    @Test("truncated JSON, garbage, resets and empty choices are retried; persistent garbage fails with the body")
    func brokenBodies() async throws {
        let faults: [FakeBehavior] = [.truncatedJSON, .garbage, .connectionReset, .emptyChoices]
        let server = FakeOpenAIServer.Configuration { request in
            request.attempt < faults.count ? faults[request.attempt] : .ok
        }
        try await withFakeServer(server, client: { quickClient($0, attempts: 5) }) { fake, model in
            let answer6 = try await model.complete(ChatRequest(messages: [.user("q")])).text
            #expect(answer6 == "echo: q")
            #expect(fake.statistics.requests == 5)
        }
        try await withFakeServer(.init { _ in .garbage }, client: { quickClient($0, attempts: 3) }) { fake, model in
            let error = try #require(
                await backendError { _ = try await model.complete(ChatRequest(messages: [.user("q")])) })
            #expect(error.kind == .malformedResponse)
            #expect(error.attempts == 3 && fake.statistics.requests == 3)
            #expect(error.bodyExcerpt?.contains("502 Bad Gateway") == true)
        }
    }

    @Test("final errors are not retried: not a completion, bad request, unknown model")
    func finalErrors() async throws {
        let cases: [(FakeBehavior, BackendError.Kind)] = [
            (.notACompletion, .unexpectedResponse),
            (.status(400, body: #"{"error":{"message":"max_tokens is too large"}}"#), .requestRejected),
            (.status(404, body: #"{"error":{"message":"model 'nope' not found"}}"#), .notFound),
        ]
        for (behavior, kind) in cases {
            try await withFakeServer(.init { _ in behavior }, client: { quickClient($0) }) { fake, model in
                let error = try #require(
                    await backendError { _ = try await model.complete(ChatRequest(messages: [.user("q")])) })
                #expect(error.kind == kind)
                #expect(error.attempts == 1)
                if kind != .unexpectedResponse { #expect(error.message.contains("the server says:")) }
                if kind == .notFound { #expect(error.message.hasSuffix("the server serves: fake-model")) }
            }
        }
    }

    @Test("no more requests are in flight than the concurrency limit")
    func concurrencyLimit() async throws {
        let server = FakeOpenAIServer.Configuration(latency: .milliseconds(50))
        try await withFakeServer(server, client: { quickClient($0, concurrency: 4) }) { fake, model in
            let requests = (0..<24).map { ChatRequest(messages: [.user("item \($0)")]) }
            let results = await model.completeBatch(requests, maxConcurrent: 24)
            #expect(results.compactMap { try? $0.get().text } == (0..<24).map { "echo: item \($0)" })
            #expect(fake.statistics.maxInFlight == 4)
        }
    }

    @Test("cancelling the caller ends a hung request promptly as cancelled")
    func cancellation() async throws {
        // Neither the hang (60 s) nor the attempt timeout (30 s) ends the call before the bound below:
        // only cancellation can. The bound is loose because the whole suite shares two cores in CI.
        let server = FakeOpenAIServer.Configuration(hangLimit: .seconds(60)) { _ in .hang }
        try await withFakeServer(server, client: { quickClient($0, attemptTimeout: .seconds(30)) }) { _, model in
            let clock = ContinuousClock()
            let start = clock.now
            let task = Task { try await model.complete(ChatRequest(messages: [.user("q")])) }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            let error = try #require(await backendError { _ = try await task.value })
            #expect(error.kind == .cancelled)
            #expect(clock.now - start < .seconds(20))
        }
    }

    @Test("listModels names the served models")
    func listsModels() async throws {
        try await withFakeServer(.init(models: ["a-model", "b-model"])) { _, model in
            let models = try await model.listModels()
            #expect(models == ["a-model", "b-model"])
        }
    }

    @Test("a refused connection is a retryable connection error that asks whether the server runs")
    func connectionRefused() async throws {
        let fake = try await FakeOpenAIServer.start()
        let base = fake.baseURL
        try await fake.shutdown()
        let model = try OpenAICompatibleModel(configuration: quickClient(base, attempts: 2))
        let error = await backendError { _ = try await model.complete(ChatRequest(messages: [.user("q")])) }
        try await model.shutdown()
        #expect(error?.kind == .connection)
        #expect(error?.attempts == 2)
        #expect(error?.message.contains("is the server running?") == true)
    }
}
