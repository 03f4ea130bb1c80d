@testable import Backends
import ClarifyCore
import Foundation
import LLM
import Testing

/// The local engine's scoring entry point on the cached SmolLM2-135M: next-token probabilities after
/// a forced prefix agree with what greedy decoding after the same prefix picks.
@Suite("Local engine scoring")
struct LocalScoringTests {
    func model() throws -> LocalChatModel {
        LocalChatModel(engine: try LocalChatModelTests.engine.get(), identity: "smollm2-test", maxBatch: 4, threads: 2)
    }

    static let messages: [Message] = [.user("Is the sky blue? Answer Yes or No.")]

    @Test("the token greedy decoding writes after a forced prefix is the likeliest candidate")
    func greedyAgreesWithScores() async throws {
        let local = try model()
        let reply = try await local.complete(
            ChatRequest(messages: Self.messages, temperature: 0, maxTokens: 1), assistantPrefix: "Answer:")
        let greedy = reply.text
        #expect(!greedy.isEmpty)
        let other = greedy == " No" ? " Yes" : " No"
        let logs = try await local.nextTokenLogProbabilities(
            Self.messages, assistantPrefix: "Answer:", candidates: [[greedy], [other]])
        #expect(logs[0] > logs[1])
        #expect(logs.allSatisfy { $0 <= 0 })
    }

    @Test("a candidate's spellings add their probabilities; candidates sharing a first token are refused")
    func spellingsAdd() async throws {
        let local = try model()
        let single = try await local.nextTokenLogProbabilities(
            Self.messages, assistantPrefix: "Answer:", candidates: [[" Yes"], [" yes"]])
        let joint = try await local.nextTokenLogProbabilities(
            Self.messages, assistantPrefix: "Answer:", candidates: [[" Yes", " yes"]])
        #expect(abs(exp(joint[0]) - (exp(single[0]) + exp(single[1]))) < 1e-5)
        await #expect(throws: BackendError.self) {
            try await local.nextTokenLogProbabilities(
                Self.messages, assistantPrefix: "Answer:", candidates: [[" Yes"], [" Yes"]])
        }
        let normalised = try await local.candidateProbabilities(
            Self.messages, assistantPrefix: "Answer:", candidates: [[" Yes"], [" No"]])
        #expect(abs(normalised.reduce(0, +) - 1) < 1e-9)
    }
}
