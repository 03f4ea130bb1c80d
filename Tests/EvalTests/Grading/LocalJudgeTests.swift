import Backends
import ClarifyCore
import Testing

@testable import Eval

@Suite("Local judge variants, on a scripted model")
struct LocalJudgeTests {
    static let query = EvaluationQuery(
        original: "def f(xs):\n    \"\"\"Return xs sorted in ascending order.\"\"\"\n",
        modified: "def candidate(xs):\n    \"\"\"Return xs sorted in some order.\"\"\"\n",
        questions: "Should the order be ascending or descending?", category: .ambiguous1)

    /// A model whose yes-probability depends on which sub-question is asked.
    static func model(targets: Double, answerable: Double, grades: [Double] = [0.1, 0.2, 0.7]) -> ScriptedScoringModel {
        ScriptedScoringModel(replies: ScriptedChatModel { _, _ in .text("Ascending. ") }) { call in
            let prompt = call.messages.last?.content ?? ""
            if call.candidates.count == 3 { return grades }
            let p = prompt.contains(JudgeStep.targetsChange.question) ? targets : answerable
            return [p, 1 - p]
        }
    }

    @Test("prompt: the grade is the likeliest digit after a forced QUALITY=, and answers follow it")
    func promptVariant() async throws {
        let model = Self.model(targets: 0, answerable: 0, grades: [0.1, 0.6, 0.3])
        let verdict = try await LocalJudge(model: model, variant: .prompt).verdict(for: Self.query)
        #expect(verdict.grade == 2)
        #expect(model.scoreCalls.map(\.assistantPrefix) == ["QUALITY="])
        #expect(model.scoreCalls[0].candidates == [["1"], ["2"], ["3"]])
        #expect(model.scoreCalls[0].messages.last?.content == LLMEvaluator.prompt(Self.query))
        #expect(model.prefixes == ["QUALITY=2\nANSWERS=```"])
        #expect(model.replies.requests[0].stop == ["```"])
        #expect(verdict.answers == "Ascending.")
        #expect(abs(verdict.scores!["p_good"]! - 1.0 / 3) < 1e-9)
    }

    @Test("steps: Good only when the question targets a change and the original answers it")
    func stepsVariant() async throws {
        let good = try await LocalJudge(model: Self.model(targets: 0.8, answerable: 0.7), variant: .steps)
            .verdict(for: Self.query)
        #expect(good.grade == 3)
        let offTarget = try await LocalJudge(model: Self.model(targets: 0.3, answerable: 0.9), variant: .steps)
            .verdict(for: Self.query)
        #expect(offTarget.grade == 2)
        let unanswerable = try await LocalJudge(model: Self.model(targets: 0.9, answerable: 0.4), variant: .steps)
            .verdict(for: Self.query)
        #expect(unanswerable.grade == 2)
        #expect(unanswerable.raw?.hasPrefix("asks about a change: Yes\nanswerable from the original: No") == true)
    }

    @Test("steps: each sub-question's prompt shows the word diff, with the rename to candidate left out")
    func stepsShowTheDiff() async throws {
        let model = Self.model(targets: 0.8, answerable: 0.7)
        _ = try await LocalJudge(model: model, variant: .steps, writesAnswers: false).verdict(for: Self.query)
        #expect(model.scoreCalls.count == 2)
        for call in model.scoreCalls {
            #expect(call.assistantPrefix == "Answer:")
            let prompt = call.messages.last!.content
            #expect(prompt.contains("- \"ascending\" was changed to \"some\""))
            #expect(!prompt.contains("\"f\" was changed"))
        }
        #expect(model.prefixes.isEmpty)
    }

    @Test("steps and probs: a reply that asks nothing is 1 without asking the model")
    func noQuestion() async throws {
        let model = Self.model(targets: 1, answerable: 1)
        var query = Self.query
        query.questions = "```python\ndef candidate(xs):\n    return sorted(xs)\n```"
        for variant in [LocalJudge.Variant.steps, .probs] {
            let verdict = try await LocalJudge(model: model, variant: variant).verdict(for: query)
            #expect(verdict.grade == 1)
            #expect(verdict.answers.isEmpty)
        }
        #expect(model.scoreCalls.isEmpty && model.prefixes.isEmpty)
    }

    @Test("probs: P(good) is the product of the yes-probabilities, graded 3 from the threshold up")
    func probsVariant() async throws {
        let model = Self.model(targets: 0.8, answerable: 0.5)
        let strict = try await LocalJudge(model: model, variant: .probs, threshold: 0.45).verdict(for: Self.query)
        #expect(strict.grade == 2)
        #expect(abs(strict.scores!["p_good"]! - 0.4) < 1e-9)
        let lenient = try await LocalJudge(model: model, variant: .probs, threshold: 0.35).verdict(for: Self.query)
        #expect(lenient.grade == 3)
    }

    @Test("a model failure becomes the item's failure, the other items still graded")
    func failures() async throws {
        let model = ScriptedScoringModel(replies: ScriptedChatModel { _, _ in .text("x") }) { call in
            if call.messages.last!.content.contains("broken") { throw BackendError(.other, "boom") }
            return [0.9, 0.1]
        }
        var broken = Self.query
        broken.questions = "What is broken here?"
        let results = await LocalJudge(model: model, variant: .steps, writesAnswers: false).evaluate([Self.query, broken])
        #expect((try? results[0].get())?.grade == 3)
        guard case .failure(let failure) = results[1] else {
            Issue.record("the broken item was graded")
            return
        }
        #expect(failure.description.contains("boom"))
    }
}
