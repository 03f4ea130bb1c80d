import Backends
import ClarifyCore
import Foundation
import Testing

@testable import Synth

@Suite("LLM synthesizer")
struct LLMSynthesizerTests {
    @Test("rewrite, questions from the rewrite only, answers from the original, reference code: one full example")
    func endToEnd() async throws {
        let model = ScriptedChatModel(identity: "scripted-llm") { request, _ in .text(LLMScript.wellBehaved(request)) }
        let out = scratchDirectory("llm-e2e")
        let manifest = try await SynthesisRun.run(
            problems: [LLMScript.problem], synthesizer: LLMSynthesizer(model: model),
            parameters: SynthesisRun.Parameters(categories: [.ambiguous1], perProblem: 1, outputDirectory: out))
        #expect(manifest.examples == 1 && manifest.synthesizer == "llm:scripted-llm")
        let example = try #require(try JSONL.readAll(ClarifyExample.self, from: out + "/examples.jsonl").records.first)
        #expect(example.prompt == LLMScript.rewrite && example.category == .ambiguous1)
        #expect(example.changes == [Change(
            kind: .ambiguous, description: "'sum' made vague as 'combination'.", original: "the sum of",
            replacement: "the combination of", clarification: "Add the two numbers.")])
        #expect(example.questions == ["Should a and b be added, subtracted or multiplied?"])
        #expect(example.answers == ["They should be added: return a + b."])
        #expect(example.code == LLMScript.problem.referenceSolution)
        #expect(example.dialogue.messages.map(\.role) == [.user, .assistant, .user, .assistant])
        #expect(example.dialogue.messages[1].content.contains("Should a and b be added"))

        let requests = model.requests
        #expect(requests.map { LLMScript.step(of: $0) } == [.rewrite, .questions, .answers])
        #expect(requests.allSatisfy { $0.temperature == 0 })
        // The questions are asked from the rewrite alone; the answers see the original.
        #expect(requests[1].messages.last!.content.contains("the combination of"))
        #expect(!requests[1].messages.contains { $0.content.contains("the sum of") })
        #expect(requests[2].messages.last!.content.contains("the sum of"))
    }

    @Test("garbage, truncated JSON and a missing field are sent back with the error until the reply reads")
    func retriesMalformed() async throws {
        let replies: [ScriptedChatModel.Reply] = [
            .text("I think the problem is fine as it is."),
            .text(#"{"prompt": "def add(a, b):\n    \"\"\"Return the comb"#),
            .text(#"{"prompt": "def add(a, b): pass"}"#),
            .text(LLMScript.rewriteReply), .text(LLMScript.questionsReply), .text(LLMScript.answersReply),
        ]
        let model = ScriptedChatModel(replies: replies)
        let draft = try await LLMSynthesizer(model: model, maxTries: 4).draft(
            problem: LLMScript.problem, category: .ambiguous1, seed: 0)
        #expect(draft.variant.prompt == LLMScript.rewrite && draft.answers.count == 1)
        let fourth = model.requests[3].messages
        #expect(fourth.count == 8)  // system, user, then three (reply, complaint) pairs
        #expect(fourth[3].content.contains("contains no JSON object"))
        #expect(fourth[5].content.contains("looks truncated"))
        #expect(fourth[7].content.contains("the field \"changes\" is missing"))
        #expect(fourth[6].role == .assistant && fourth[6].content == #"{"prompt": "def add(a, b): pass"}"#)
    }

    @Test("answers that do not match the questions one for one are a parse error")
    func answerCount() async throws {
        let model = ScriptedChatModel(replies: [
            .text(LLMScript.rewriteReply), .text(LLMScript.questionsReply), .text(#"{"answers": ["a", "b"]}"#),
        ])
        await #expect(throws: AttemptFailure(.malformedOutput, "answers: 2 answers for 1 questions; give one answer per question (after 1 tries)")) {
            try await LLMSynthesizer(model: model, maxTries: 1).draft(problem: LLMScript.problem, category: .ambiguous1, seed: 0)
        }
    }

    @Test("a model that never follows the format fails each attempt after the bounded retries; the run completes and counts them")
    func neverFollows() async throws {
        let model = ScriptedChatModel { _, _ in .text("Here is some code: def add(a, b): return a + b") }
        let out = scratchDirectory("llm-never")
        let manifest = try await SynthesisRun.run(
            problems: [LLMScript.problem, LLMScript.problem.renamed("test/add2")],
            synthesizer: LLMSynthesizer(model: model, maxTries: 2),
            parameters: SynthesisRun.Parameters(categories: [.ambiguous1, .incomplete1], perProblem: 1, outputDirectory: out))
        // Per problem: 3 attempts (3 × perProblem), each 2 tries of step 1.
        #expect(model.requests.count == 2 * 3 * 2)
        #expect(manifest.problems == 2 && manifest.examples == 0 && manifest.problemsWithoutExamples == 2)
        #expect(manifest.failures["malformed_output"] == 6 && manifest.failures["backend_error"] == 0)
        let ledger = String(decoding: contents(out + "/problems.jsonl"), as: UTF8.self)
        #expect(ledger.contains("rewrite: the reply contains no JSON object (after 2 tries)"))
        #expect(String(decoding: contents(out + "/README.md"), as: UTF8.self).contains("| malformed_output | 6 |"))
    }

    @Test("a backend failure is recorded against the problem; an authentication failure stops the run")
    func backendFailures() async throws {
        let flaky = ScriptedChatModel { request, _ in
            LLMScript.step(of: request) == .questions
                ? .failure(BackendError(.serverError, "HTTP 500 after 6 attempts")) : .text(LLMScript.wellBehaved(request))
        }
        let out = scratchDirectory("llm-backend")
        let manifest = try await SynthesisRun.run(
            problems: [LLMScript.problem], synthesizer: LLMSynthesizer(model: flaky),
            parameters: SynthesisRun.Parameters(categories: [.ambiguous1], perProblem: 1, outputDirectory: out))
        #expect(manifest.failures["backend_error"] == 3 && manifest.examples == 0)

        let locked = ScriptedChatModel { _, _ in .failure(BackendError(.authentication, "HTTP 401: check OPENAI_API_KEY")) }
        await #expect(throws: BackendError.self) {
            try await SynthesisRun.run(
                problems: [LLMScript.problem], synthesizer: LLMSynthesizer(model: locked),
                parameters: SynthesisRun.Parameters(categories: [.ambiguous1], outputDirectory: scratchDirectory("llm-auth")))
        }
    }

    @Test("with the response cache a resumed run replays the model and ends with the same files, concurrency or not")
    func resumeFromCache() async throws {
        let cache = try ResponseCache(directory: URL(fileURLWithPath: scratchDirectory("llm-cache")))
        let problems = (0..<4).map { LLMScript.problem.renamed("test/add\($0)") }
        let parameters = { (out: String, resume: Bool, limit: Int?, concurrency: Int) in
            SynthesisRun.Parameters(
                categories: [.ambiguous1], perProblem: 1, outputDirectory: out, resume: resume, limit: limit,
                concurrency: concurrency)
        }
        let live = ScriptedChatModel { request, _ in .text(LLMScript.wellBehaved(request)) }
        let whole = scratchDirectory("llm-whole")
        try await SynthesisRun.run(
            problems: problems, synthesizer: LLMSynthesizer(model: CachedChatModel(live, cache: cache)),
            parameters: parameters(whole, false, nil, 3))
        // Identical requests of different problems are answered once, from the cache.
        let asked = live.requests.count
        let partial = scratchDirectory("llm-partial")
        let replay = ScriptedChatModel { request, _ in .text(LLMScript.wellBehaved(request)) }
        try await SynthesisRun.run(
            problems: problems, synthesizer: LLMSynthesizer(model: CachedChatModel(replay, cache: cache)),
            parameters: parameters(partial, false, 2, 1))
        try await SynthesisRun.run(
            problems: problems, synthesizer: LLMSynthesizer(model: CachedChatModel(replay, cache: cache)),
            parameters: parameters(partial, true, nil, 2))
        #expect(asked >= 3 && replay.requests.isEmpty)
        for file in ["examples.jsonl", "problems.jsonl", "manifest.json", "humanevalcomm.jsonl"] {
            #expect(contents(whole + "/" + file) == contents(partial + "/" + file), "\(file) differs")
        }
    }
}

extension Problem {
    func renamed(_ id: String) -> Problem {
        var copy = self
        copy.id = id
        return copy
    }
}
