import Backends
import ClarifyCore
import Foundation
import Synth
import Testing

@testable import Eval

/// The protocol runner end to end, with the reference and scripted models, the real sandbox and the
/// run store. Needs the cached HumanEval (`clarifycoder data fetch`; scripts/test.sh runs it).
@Suite("Evaluation runs")
struct EvaluationRunTests {
    @Test("the reference model scores 100% on all of HumanEval with every test run and never asks")
    func referenceOnHumanEval() async throws {
        let problems = try EvalRunSupport.humanEval()
        let result = try await EvalRunSupport.run(
            problems, mode: .humaneval, model: ReferenceChatModel(problems: problems),
            store: EvalRunSupport.scratchStore("ref-he"))
        let original = result.breakdown.original
        #expect(original.items == 164)
        #expect(original.passAt1 == 1 && original.testPassRate == 1)
        #expect(original.communicationRate == 0 && original.communicationRatePaper == 0)
        #expect(result.breakdown.modified.items == 0)
        #expect(result.statusCounts == [.executed: 164])
        #expect(result.run.finishedAt != nil)
    }

    @Test("the reference model scores 100% on real HumanEvalComm records, modified prompts included")
    func referenceOnHumanEvalComm() async throws {
        let problems = try EvalRunSupport.humanEvalCommSample()
        let result = try await EvalRunSupport.run(
            problems, mode: .humanevalcomm, model: ReferenceChatModel(problems: problems),
            store: EvalRunSupport.scratchStore("ref-hec"))
        let modified = result.breakdown.modified
        #expect(modified.items == problems.map(\.variants.count).reduce(0, +))
        #expect(modified.passAt1 == 1 && modified.testPassRate == 1)
        #expect(modified.communicationRate == 0 && modified.communicationRatePaper == 0)
        #expect(modified.goodQuestionRate == 0, "code without questions is graded 1")
        #expect(result.breakdown.original.items == 4 && result.breakdown.original.passAt1 == 1)
        // Every test ran: HumanEval/32's 100 template tests are in the totals.
        let store = try RunStore(path: result.storePath)
        let totals = try store.outcomes(run: result.run.id).filter { $0.problemID == "HumanEval/32" }
            .flatMap(\.executions).map(\.testsTotal)
        #expect(!totals.isEmpty && totals.allSatisfy { $0 == 100 })
    }

    @Test("the reference model scores 100% on the offline HumanEvalComm that synthesize exports from HumanEval")
    func referenceOnSynthesizedExport() async throws {
        let problems = Array(try EvalRunSupport.humanEval().prefix(12))
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("cc-export-\(UUID().uuidString)").path
        _ = try await SynthesisRun.run(
            problems: problems, synthesizer: RuleBasedSynthesizer(),
            parameters: SynthesisRun.Parameters(
                categories: SynthesisRun.categories(forKinds: ["ambiguous", "incomplete", "inconsistent", "combos"]),
                perProblem: 7, outputDirectory: out, sourceName: "humaneval"))
        let exported = try DatasetReader.loadProblems(path: out + "/humanevalcomm.jsonl").problems
        try #require(exported.count >= 8)
        let result = try await EvalRunSupport.run(
            exported, mode: .humanevalcomm, model: ReferenceChatModel(problems: exported),
            store: EvalRunSupport.scratchStore("ref-export"))
        #expect(result.breakdown.modified.items > exported.count)
        #expect(result.breakdown.modified.passAt1 == 1 && result.breakdown.modified.testPassRate == 1)
        #expect(result.breakdown.modified.communicationRate == 0)
        #expect(result.breakdown.original.passAt1 == 1)
    }

    @Test("a model that asks on modified prompts goes through the evaluator and codes in round 2")
    func asksThenCodes() async throws {
        let problems = try EvalRunSupport.humanEvalCommSample()
        let model = ScriptedChatModel { request, _ in
            let first = request.messages[0].content
            let solution = EvalRunSupport.solution(for: first, in: problems)!
            if request.messages.count == 1 {
                // Ask on every modified prompt, code at once on the originals.
                let isOriginal = problems.contains { first.hasSuffix("\n\n" + $0.prompt) }
                return isOriginal
                    ? .text(EvalRunSupport.fenced(solution))
                    : .text("What should the function return when the input is empty? Which order is meant?")
            }
            #expect(request.messages.count == 3 && request.messages[2].content.hasSuffix("Please write the code now."))
            return .text("Here it is:\n" + EvalRunSupport.fenced(solution))
        }
        let store = EvalRunSupport.scratchStore("asks")
        let result = try await EvalRunSupport.run(problems, mode: .humanevalcomm, model: model, store: store)
        let modified = result.breakdown.modified
        #expect(modified.communicationRate == 1 && modified.communicationRatePaper == 1)
        #expect(modified.passAt1 == 1 && modified.testPassRate == 1)
        #expect(modified.goodQuestionRate != nil)
        #expect(result.breakdown.original.communicationRate == 0)
        let items = try RunStore(path: store).items(run: result.run.id).filter { $0.category != .original }
        #expect(items.allSatisfy { $0.questions != nil && $0.evaluatorAnswers != nil && $0.round2Response != nil })
        #expect(items.allSatisfy { $0.evaluatorKind == .heuristic && $0.grade != nil })
        // Round 1 for every prompt, round 2 for each modified one.
        #expect(model.requests.count == result.statusCounts.values.reduce(0, +) + items.count)
    }

    @Test("the no-clarification baseline tells the model to write code only and grades nothing")
    func noClarification() async throws {
        let problems = try EvalRunSupport.humanEvalCommSample()
        let model = ScriptedChatModel { request, _ in
            #expect(request.messages[0].content.hasPrefix(ClarificationInstructions.codeOnly))
            return .text("Which order do you mean?")
        }
        let result = try await EvalRunSupport.run(
            problems, mode: .noClarification, model: model, store: EvalRunSupport.scratchStore("noclar"))
        #expect(result.run.evaluatorKind == .none)
        #expect(result.breakdown.modified.goodQuestionRate == nil)
        #expect(result.breakdown.modified.passAt1 == 0 && result.statusCounts[.noCode] == model.requests.count)
    }

    @Test("n samples per prompt give unbiased pass@k, each sample seeded on its own")
    func samples() async throws {
        let problems = Array(try EvalRunSupport.humanEvalCommSample().prefix(2))
        // Sample 0 writes the solution, the others do not: pass@1 = 1/3 per problem.
        let model = ScriptedChatModel { request, _ in
            let solution = EvalRunSupport.solution(for: request.messages[0].content, in: problems)!
            return .text(EvalRunSupport.fenced(request.seed == 0 ? solution : "def nothing():\n    pass"))
        }
        let result = try await EvalRunSupport.run(
            problems, mode: .humaneval, model: model, store: EvalRunSupport.scratchStore("samples"), samples: 3,
            temperature: 0.8)
        let original = result.breakdown.original
        #expect(original.items == 2)
        #expect(abs((original.passAtK[1] ?? -1) - 1.0 / 3) < 1e-9)
        #expect(original.passAtK[10] == nil)
        #expect(Set(model.requests.compactMap(\.seed)) == [0, 1, 2])
        #expect(model.requests.allSatisfy { $0.temperature == 0.8 })
    }
}
