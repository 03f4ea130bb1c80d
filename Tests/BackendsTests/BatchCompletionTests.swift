import Backends
import BackendsTesting
import ClarifyCore
import Synchronization
import Testing

@Suite("Batch completion")
struct BatchCompletionTests {
    @Test("results come back in input order whatever order they finish in")
    func inputOrder() async throws {
        // Later items finish first: item i sleeps (40 - i) ms.
        let model = ScriptedChatModel { request, _ in
            let number = Int(request.lastUserMessage!.split(separator: " ").last!)!
            return .delayed(.milliseconds(40 - number), .text("answer \(number)"))
        }
        let requests = (0..<40).map { ChatRequest(messages: [.user("item \($0)")]) }
        let progress = Recorder<BatchProgress>()
        let results = await model.completeBatch(requests, maxConcurrent: 40, onProgress: { progress.append($0) })
        #expect(results.map { try? $0.get().text } == (0..<40).map { "answer \($0)" })
        #expect(progress.all.map(\.finished) == Array(1...40))
        #expect(progress.all.last == BatchProgress(finished: 40, failed: 0, total: 40))
    }

    @Test("failures are recorded in place, other errors are wrapped, nothing is lost")
    func failuresRecorded() async throws {
        struct Oops: Error {}
        let model = ScriptedChatModel { request, _ in
            let number = Int(request.lastUserMessage!)!
            if number % 3 == 0 { return .failure(BackendError(.serverError, "scripted 500 for \(number)")) }
            if number % 5 == 0 { throw Oops() }
            return .text("ok \(number)")
        }
        let requests = (0..<30).map { ChatRequest(messages: [.user("\($0)")]) }
        let results = await model.completeBatch(requests, maxConcurrent: 4)
        #expect(results.count == 30)
        for (number, result) in results.enumerated() {
            switch result {
            case .success(let response):
                #expect(number % 3 != 0 && number % 5 != 0)
                #expect(response.text == "ok \(number)")
            case .failure(let error):
                if number % 3 == 0 {
                    #expect(error.kind == .serverError && error.message == "scripted 500 for \(number)")
                } else {
                    #expect(number % 5 == 0 && error.kind == .other && error.message.contains("Oops"))
                }
            }
        }
        #expect(model.requests.count == 30)
    }

    @Test("the batch never has more than maxConcurrent requests in flight")
    func batchLimit() async throws {
        let gauge = InFlightGauge()
        let model = ScriptedChatModel { _, _ in
            gauge.enter()
            try? await Task.sleep(for: .milliseconds(5))
            gauge.leave()
            return .text("x")
        }
        _ = await model.completeBatch(
            Array(repeating: ChatRequest(messages: [.user("x")]), count: 60), maxConcurrent: 5)
        #expect(gauge.maximum == 5)
    }

    @Test("cancelling a batch records every unfinished item as cancelled")
    func cancelled() async throws {
        let model = ScriptedChatModel { _, _ in .delayed(.seconds(10), .text("late")) }
        let requests = (0..<20).map { ChatRequest(messages: [.user("\($0)")]) }
        let task = Task { await model.completeBatch(requests, maxConcurrent: 4) }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        let results = await task.value
        #expect(results.count == 20)
        #expect(results.allSatisfy { if case .failure(let e) = $0 { e.kind == .cancelled } else { false } })
        #expect(model.requests.count == 4)
    }

    @Test("over HTTP with injected faults every item completes with its own answer or a recorded failure")
    func httpFaultsNoLoss() async throws {
        // Per message: first attempts fail in rotation; messages ending in 7 always fail.
        let faults: [FakeBehavior] = [
            .rateLimited(retryAfter: "0"), .serverError, .hang, .truncatedJSON, .garbage, .connectionReset, .ok, .ok,
        ]
        let server = FakeOpenAIServer.Configuration(latency: .milliseconds(5), hangLimit: .seconds(2)) { request in
            let number = Int(request.lastUserMessage.split(separator: " ").last ?? "") ?? 0
            if number % 10 == 7 { return .serverError }
            return request.attempt == 0 ? faults[number % faults.count] : .ok
        }
        let client = { quickClient($0, attempts: 3, attemptTimeout: .milliseconds(400), concurrency: 16) }
        try await withFakeServer(server, client: client) { _, model in
            let requests = (0..<120).map { ChatRequest(messages: [.user("item \($0)")]) }
            let results = await model.completeBatch(requests, maxConcurrent: 32)
            #expect(results.count == 120)
            for (number, result) in results.enumerated() {
                if number % 10 == 7 {
                    #expect((try? result.get()) == nil, "item \(number) should have failed")
                    if case .failure(let error) = result { #expect(error.kind == .serverError && error.attempts == 3) }
                } else {
                    #expect((try? result.get().text) == "echo: item \(number)")
                }
            }
        }
    }
}

/// Counts concurrent entries, remembering the peak.
final class InFlightGauge: Sendable {
    private let counts = Mutex<(current: Int, peak: Int)>((0, 0))

    func enter() {
        counts.withLock {
            $0.current += 1
            $0.peak = max($0.peak, $0.current)
        }
    }

    func leave() { counts.withLock { $0.current -= 1 } }

    var maximum: Int { counts.withLock { $0.peak } }
}
