import Backends
import ClarifyCore
import Foundation
import Sandbox
import Testing

@testable import Synth

@Suite("Verified ambiguity")
struct AmbiguityVerifierTests {
    /// A model whose sampled solutions of the rewrite and of the original are the given expressions.
    static func model(rewrite: [String], original: [String]) -> ScriptedChatModel {
        ScriptedChatModel { request, _ in
            guard LLMScript.step(of: request) == .solve else { return .text(LLMScript.wellBehaved(request)) }
            let isRewrite = request.messages.last!.content.contains("the combination of")
            let choices = (isRewrite ? rewrite : original).enumerated().map {
                ChatChoice(index: $0.offset, content: LLMScript.solution($0.element))
            }
            return .response(ChatResponse(choices: choices, model: "scripted"))
        }
    }

    static let pool = SandboxPool(sandbox: try! Sandbox(), workers: 2)

    @Test("keeps a rewrite whose solutions behave differently while the original's agree")
    func keeps() async throws {
        let model = Self.model(rewrite: ["a + b", "a * b", "a - b"], original: ["a + b", "b + a", "a + b"])
        let verifier = AmbiguityVerifier(model: model, pool: Self.pool, samples: 3)
        let verdict = try await verifier.judge(problem: LLMScript.problem, rewrite: LLMScript.rewrite, seed: 5)
        #expect(verdict.rewritePatterns == ["PPP", "FPF", "FPF"])
        #expect(verdict.originalPatterns == ["PPP", "PPP", "PPP"])
        #expect(verdict.keep)
        let solveRequests = model.requests.filter { LLMScript.step(of: $0) == .solve }
        #expect(solveRequests.count == 2 && solveRequests.allSatisfy { $0.n == 3 && $0.temperature > 0 && $0.seed == 5 })
        let draft = try await LLMSynthesizer(model: model, verifier: verifier).draft(
            problem: LLMScript.problem, category: .ambiguous1, seed: 5)
        #expect(draft.variant.prompt == LLMScript.rewrite)
    }

    @Test("drops a rewrite whose solutions all agree, or whose original already splits the model; counts in the manifest")
    func rejects() async throws {
        let agreeing = Self.model(rewrite: ["a + b", "b + a"], original: ["a + b", "a + b"])
        let verifier = AmbiguityVerifier(model: agreeing, pool: Self.pool, samples: 2)
        #expect(try await !verifier.judge(problem: LLMScript.problem, rewrite: LLMScript.rewrite, seed: 1).keep)

        let splitOriginal = Self.model(rewrite: ["a + b", "a * b"], original: ["a + b", "a - b"])
        let second = AmbiguityVerifier(model: splitOriginal, pool: Self.pool, samples: 2)
        let verdict = try await second.judge(problem: LLMScript.problem, rewrite: LLMScript.rewrite, seed: 1)
        #expect(Set(verdict.rewritePatterns).count == 2 && !verdict.keep)

        let out = scratchDirectory("llm-verify")
        let manifest = try await SynthesisRun.run(
            problems: [LLMScript.problem], synthesizer: LLMSynthesizer(model: agreeing, verifier: verifier),
            parameters: SynthesisRun.Parameters(categories: [.ambiguous1], perProblem: 1, outputDirectory: out))
        #expect(manifest.examples == 0 && manifest.failures["unverified"] == 3)
        #expect(manifest.synthesizer == "llm:scripted+verify2")
    }

    @Test("a sampled answer without code is its own behaviour")
    func noCode() async throws {
        let model = ScriptedChatModel { request, _ in
            let isRewrite = request.messages.last!.content.contains("the combination of")
            let texts = isRewrite ? ["Do you mean add or multiply?", LLMScript.solution("a + b")]
                : [LLMScript.solution("a + b"), LLMScript.solution("a + b")]
            return .response(ChatResponse(
                choices: texts.enumerated().map { ChatChoice(index: $0.offset, content: $0.element) }, model: "scripted"))
        }
        let verdict = try await AmbiguityVerifier(model: model, pool: Self.pool, samples: 2).judge(
            problem: LLMScript.problem, rewrite: LLMScript.rewrite, seed: 0)
        #expect(verdict.rewritePatterns == ["no-code", "PPP"] && verdict.keep)
    }
}
