import Backends
import BackendsTesting
import ClarifyCore
import Foundation
import Testing

@testable import Synth

@Suite("LLM synthesizer over HTTP")
struct FakeServerSynthesisTests {
    /// An OpenAI chat-completion body whose one choice is `content`.
    static func completion(_ content: String) -> String {
        let object: [String: Any] = [
            "id": "chatcmpl-test", "object": "chat.completion", "model": "fake-model",
            "choices": [["index": 0, "message": ["role": "assistant", "content": content], "finish_reason": "stop"]],
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    @Test("synthesizes through the OpenAI-compatible client against the fake server, surviving a 500")
    func throughFakeServer() async throws {
        let server = try await FakeOpenAIServer.start(.init { request in
            if request.lastUserMessage.contains("Rewrite the programming problem") {
                return request.attempt == 0 ? .serverError : .status(200, body: Self.completion(LLMScript.rewriteReply))
            }
            if request.lastUserMessage.contains("ask the clarifying questions") {
                return .status(200, body: Self.completion(LLMScript.questionsReply))
            }
            return .status(200, body: Self.completion(LLMScript.answersReply))
        })
        let client = try OpenAICompatibleModel(
            configuration: OpenAIConfiguration(
                baseURL: server.baseURL, model: "fake-model", retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10))),
            environment: [:])
        do {
            let out = scratchDirectory("llm-http")
            let manifest = try await SynthesisRun.run(
                problems: [LLMScript.problem], synthesizer: LLMSynthesizer(model: client),
                parameters: SynthesisRun.Parameters(categories: [.ambiguous1], perProblem: 1, outputDirectory: out))
            #expect(manifest.examples == 1 && manifest.synthesizer == "llm:openai:fake-model@\(server.baseURL)")
            let example = try #require(try JSONL.readAll(ClarifyExample.self, from: out + "/examples.jsonl").records.first)
            #expect(example.prompt == LLMScript.rewrite && example.answers == ["They should be added: return a + b."])
            #expect(server.statistics.requests == 4)
        } catch {
            try? await client.shutdown()
            try? await server.shutdown()
            throw error
        }
        try await client.shutdown()
        try await server.shutdown()
    }
}
