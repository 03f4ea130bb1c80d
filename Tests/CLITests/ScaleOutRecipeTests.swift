import BackendsTesting
import ClarifyCore
import Eval
import Foundation
import Testing

@testable import clarifycoder

/// docs/scale-out.md's inference recipes against a stand-in endpoint: vLLM serving the adapter as
/// `--lora-modules clarify=DIR` (or llama-server serving the merged model) is reached with
/// `eval --model openai:clarify --base-url URL`, many requests in flight, and a run cut short by a
/// failing endpoint is finished by `--resume` without redoing what it had.
@Suite("scale-out inference recipe (eval against an OpenAI-compatible server)")
struct ScaleOutRecipeTests {
    final class Seen: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [(model: String, message: String, ok: Bool)] = []
        func add(_ model: String, _ message: String, ok: Bool) { lock.withLock { entries.append((model, message, ok)) } }
        var all: [(model: String, message: String, ok: Bool)] { lock.withLock { entries } }
    }

    static let question = #"{"id": "x", "object": "chat.completion", "model": "clarify", "choices": [{"index": 0, "#
        + #""message": {"role": "assistant", "content": "Should the list be sorted first?"}, "finish_reason": "stop"}]}"#

    func scratch(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("cc-scaleout-\(name)-\(UUID().uuidString)").path
    }

    func arguments(_ server: FakeOpenAIServer, out: String) -> [String] {
        [
            "--benchmark", "humanevalcomm", "--data", EvalCommandTests.fixture, "--model", "openai:clarify",
            "--base-url", server.baseURL, "--api-key-env", "CLARIFYCODER_TEST_NO_KEY", "--concurrency", "64",
            "--out", out,
        ]
    }

    @Test("every request names the served adapter (openai:clarify → model \"clarify\"), 64 in flight allowed")
    func adapterByName() async throws {
        let seen = Seen()
        let server = try await FakeOpenAIServer.start(.init(plan: { request in
            seen.add(request.model, request.lastUserMessage, ok: true)
            return .status(200, body: Self.question)
        }))
        do {
            let result = try await EvalCommand.parse(arguments(server, out: scratch("name"))).evaluate()
            #expect(!seen.all.isEmpty && seen.all.allSatisfy { $0.model == "clarify" })
            #expect(result.statusCounts[.modelFailed] == nil && result.breakdown.modified.communicationRate == 1)
        } catch {
            try? await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }

    /// An answer with code: the item is finished after one call.
    static let code = #"{"id": "x", "object": "chat.completion", "model": "clarify", "choices": [{"index": 0, "#
        + #""message": {"role": "assistant", "content": "```python\ndef f(x):\n    return x\n```"}, "finish_reason": "stop"}]}"#

    final class Switch: @unchecked Sendable {
        private let lock = NSLock()
        private var healthy = false
        var isHealthy: Bool {
            get { lock.withLock { healthy } }
            set { lock.withLock { healthy = newValue } }
        }
    }

    @Test("an endpoint that fails midway leaves failed prompts; --resume redoes those alone and loses none")
    func resumeAfterOutage() async throws {
        let out = scratch("outage")
        // The first three requests are answered, then the endpoint refuses everything (400: not retried)
        // until it is healthy again — the same server, as a restarted vLLM on the same address.
        let first = Seen(), second = Seen(), state = Switch()
        let server = try await FakeOpenAIServer.start(.init(plan: { request in
            if state.isHealthy {
                second.add(request.model, request.lastUserMessage, ok: true)
                return .status(200, body: Self.code)
            }
            let ok = request.number < 3
            first.add(request.model, request.lastUserMessage, ok: ok)
            return ok ? .status(200, body: Self.code) : .status(400, body: #"{"error": {"message": "down"}}"#)
        }))
        do {
            let broken = try await EvalCommand.parse(arguments(server, out: out)).evaluate()
            let failedItems = broken.statusCounts[.modelFailed] ?? 0
            let total = broken.statusCounts.values.reduce(0, +)
            #expect(failedItems > 0 && failedItems < total, "the outage hit some prompts, not all")

            state.isHealthy = true
            let resumed = try await EvalCommand.parse(arguments(server, out: out) + ["--resume"]).evaluate()
            #expect(resumed.statusCounts[.modelFailed] == nil, "every failed prompt was redone")
            #expect(resumed.statusCounts.values.reduce(0, +) == total, "no prompt lost or counted twice")
            #expect(try RunStore(path: out + "/run.sqlite").listRuns().count == 1)
            // What the endpoint answered before the outage is replayed from the run store, not asked again.
            let answered = Set(first.all.filter(\.ok).map(\.message))
            #expect(second.all.count == failedItems && second.all.allSatisfy { !answered.contains($0.message) })
        } catch {
            try? await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }
}
