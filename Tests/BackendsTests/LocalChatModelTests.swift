@testable import Backends
import ClarifyCore
import Foundation
import LLM
import Testing

/// The local engine behind the ChatModel protocol, on the cached SmolLM2-135M (`clarifycoder data
/// fetch`; scripts/test.sh runs it), with a few tokens only: debug builds decode slowly.
@Suite("Local engine chat model")
struct LocalChatModelTests {
    static let engine: Result<LanguageModel, any Error> = Result {
        // fp32 weights run on BLAS, fast even in a debug build (the quantized kernels are not).
        try LanguageModel(path: try AssetStore().path(for: .model), precision: .float32)
    }

    func model(maxBatch: Int = 8) throws -> LocalChatModel {
        LocalChatModel(engine: try Self.engine.get(), identity: "smollm2-test", maxBatch: maxBatch, threads: 2)
    }

    @Test("greedy requests answered in one batch get the same text as each answered alone")
    func batchedEqualsAlone() async throws {
        let prompts = ["Write a Python function that adds two numbers.", "What is 2 + 2?", "Say hello."]
        let requests = prompts.map { ChatRequest(messages: [.user($0)], temperature: 0, maxTokens: 4) }
        let batchedModel = try model()
        let batched = await batchedModel.completeBatch(requests, maxConcurrent: 8)
        let alone = try model(maxBatch: 1)
        for (request, result) in zip(requests, batched) {
            let together = try result.get()
            let single = try await alone.complete(request)
            #expect(together.text == single.text)
            #expect(together.model == "smollm2-test")
            #expect(together.usage?.completionTokens ?? 0 <= 4)
            #expect(together.choices[0].finishReason == .length || together.choices[0].finishReason == .stop)
        }
    }

    @Test("a seeded sampled request is reproducible and n gives n choices")
    func seededSampling() async throws {
        let request = ChatRequest(messages: [.user("Name a colour.")], temperature: 1.0, maxTokens: 3, n: 2, seed: 7)
        let local = try model()
        let first = try await local.complete(request)
        let second = try await local.complete(request)
        #expect(first.choices.count == 2)
        #expect(first.choices.map(\.content) == second.choices.map(\.content))
    }

    @Test("a request the engine cannot take fails with a clear error, not a crash")
    func badRequest() async throws {
        let local = try model()
        await #expect(throws: BackendError.self) {
            try await local.complete(ChatRequest(messages: [.user("hi")], topP: 0, maxTokens: 2))
        }
    }

    @Test("a request's repetition penalty reaches the engine's sampler; none means off")
    func repetitionPenalty() throws {
        let penalised = try LocalChatModel.parameters(ChatRequest(messages: [.user("hi")], repetitionPenalty: 1.3))
        #expect(penalised.repetitionPenalty == 1.3)
        #expect(try LocalChatModel.parameters(ChatRequest(messages: [.user("hi")])).repetitionPenalty == 1)
        #expect(throws: BackendError.self) { try LocalChatModel.parameters(ChatRequest(messages: [.user("hi")], repetitionPenalty: 0)) }
    }

    @Test("a request's presence and frequency penalties reach the sampler; none means 0; out of range is refused")
    func presenceAndFrequencyPenalties() throws {
        let penalised = try LocalChatModel.parameters(
            ChatRequest(messages: [.user("hi")], presencePenalty: 0.5, frequencyPenalty: -0.25))
        #expect(penalised.presencePenalty == 0.5 && penalised.frequencyPenalty == -0.25)
        let plain = try LocalChatModel.parameters(ChatRequest(messages: [.user("hi")]))
        #expect(plain.presencePenalty == 0 && plain.frequencyPenalty == 0)
        #expect(throws: BackendError.self) { try LocalChatModel.parameters(ChatRequest(messages: [.user("hi")], presencePenalty: 3)) }
        #expect(throws: BackendError.self) { try LocalChatModel.parameters(ChatRequest(messages: [.user("hi")], frequencyPenalty: -2.5)) }
    }
}
