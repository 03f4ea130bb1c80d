import Backends
import ClarifyCore
import Foundation
import Testing

@testable import Eval

/// Bad input and interruptions: recorded failures, a run that completes, and resume equality.
@Suite("Evaluation failures and resume")
struct EvaluationFailureTests {
    @Test("a model answering garbage, nothing, or failing is recorded per item and the run completes")
    func badModel() async throws {
        let problems = try EvalRunSupport.humanEvalCommSample()
        let model = ScriptedChatModel { request, _ in
            switch request.messages[0].content.count % 3 {
            case 0: return .text("")
            case 1: return .text("\u{1}\u{2} ]]]} ~~~ \u{FFFD}")
            default: return .failure(BackendError(.serverError, "HTTP 500 after 6 attempts"))
            }
        }
        let store = EvalRunSupport.scratchStore("garbage")
        let result = try await EvalRunSupport.run(problems, mode: .humanevalcomm, model: model, store: store)
        let items = try RunStore(path: store).items(run: result.run.id)
        #expect(items.count == problems.map { $0.variants.count + 1 }.reduce(0, +))
        #expect(items.allSatisfy { [.noCode, .modelFailed].contains($0.status) })
        #expect(items.contains { $0.status == .modelFailed && $0.error?.contains("HTTP 500") == true })
        #expect(result.breakdown.modified.passAt1 == 0)
        #expect(result.run.finishedAt != nil)
    }

    @Test("an evaluator model that never follows the format is retried, then recorded as failed")
    func evaluatorNeverFollowsFormat() async throws {
        let problems = try EvalRunSupport.humanEvalCommSample()
        let model = ScriptedChatModel { _, _ in .text("Could you say which order you mean?") }
        let judge = ScriptedChatModel(identity: "judge") { request, _ in
            if request.messages[0].content.contains("Reply with the single word") { return .text("QUESTION") }
            return .text("I think these questions are quite good overall.")
        }
        let store = EvalRunSupport.scratchStore("badjudge")
        let result = try await EvalRunSupport.run(
            problems, mode: .humanevalcomm, model: model, evaluator: .model(judge), store: store)
        let items = try RunStore(path: store).items(run: result.run.id)
        #expect(items.allSatisfy { $0.status == .evaluatorFailed && $0.grade == nil && $0.llmVerdict == .question })
        #expect(items.allSatisfy { $0.error?.contains("after 3 attempts") == true })
        let evaluatorCalls = judge.requests.filter { $0.messages[0].content.contains("QUALITY=") }
        #expect(evaluatorCalls.count == 3 * items.count)
        #expect(result.breakdown.modified.communicationRate == 1 && result.breakdown.modified.communicationRateLLM == 1)
        #expect(result.breakdown.modified.passAt1 == nil, "nothing was executed")
        #expect(result.run.evaluatorKind == .llm)
    }

    @Test("an LLM evaluator's grade and answers reach the store and round 2")
    func llmEvaluator() async throws {
        let problems = try EvalRunSupport.humanEvalCommSample()
        let model = ScriptedChatModel { request, _ in
            if request.messages.count == 1 { return .text("Which order is meant?") }
            #expect(request.messages[2].content.hasPrefix("Ascending order."))
            return .text(EvalRunSupport.fenced(EvalRunSupport.solution(for: request.messages[0].content, in: problems)!))
        }
        let judge = ScriptedChatModel(identity: "judge") { request, _ in
            if request.messages[0].content.contains("Reply with the single word") { return .text("question") }
            return .text("**QUALITY**= [3]\nANSWERS=```Ascending order.```")
        }
        let result = try await EvalRunSupport.run(
            problems, mode: .humanevalcomm, model: model, evaluator: .model(judge),
            store: EvalRunSupport.scratchStore("judge"))
        #expect(result.breakdown.modified.goodQuestionRate == 1 && result.breakdown.modified.passAt1 == 1)
    }

    @Test("a run cancelled midway resumes to the same results as an uninterrupted run, without redoing finished work")
    func resumeEquality() async throws {
        let problems = try EvalRunSupport.humanEvalCommSample()
        // Deterministic, as a greedy or seeded model is: it asks on some prompts and codes on others.
        func script() -> ScriptedChatModel {
            ScriptedChatModel { request, _ in
                let first = request.messages[0].content
                let solution = EvalRunSupport.solution(for: first, in: problems)!
                let asks = request.messages.count == 1 && first.count % 2 == 0
                return .delayed(
                    .milliseconds(15), .text(asks ? "Which order is meant here?" : EvalRunSupport.fenced(solution)))
            }
        }
        let wholeModel = script()
        let whole = try await EvalRunSupport.run(
            problems, mode: .humanevalcomm, model: wholeModel, store: EvalRunSupport.scratchStore("whole"),
            chunkSize: 3)

        let path = EvalRunSupport.scratchStore("killed")
        let task = Task {
            try await EvalRunSupport.run(problems, mode: .humanevalcomm, model: script(), store: path, chunkSize: 3)
        }
        // Stop it once some, but not all, items are stored.
        while true {
            try await Task.sleep(for: .milliseconds(5))
            if let store = try? RunStore(path: path), let run = try store.listRuns().first,
                try store.finishedItems(run: run.id).count >= 3
            { break }
        }
        task.cancel()
        _ = await task.result
        let stored = try RunStore(path: path)
        let run = try #require(try stored.listRuns().first)
        let total = whole.statusCounts.values.reduce(0, +)
        try #require(try stored.finishedItems(run: run.id).count < total, "the run finished before it could be stopped")
        #expect(run.finishedAt == nil)
        let recorded = try stored.modelCalls(run: run.id).filter { $0.error == nil }.count

        let resumedModel = script()
        let resumed = try await EvalRunSupport.run(
            problems, mode: .humanevalcomm, model: resumedModel, store: path, chunkSize: 3, resume: true)
        #expect(resumed.run.id == run.id && resumed.run.finishedAt != nil)
        #expect(resumed.breakdown == whole.breakdown)
        let strip: (ItemRecord) -> ItemRecord = {
            var item = $0
            item.id = nil
            item.runID = 0
            return item
        }
        #expect(try stored.items(run: run.id).map(strip) == RunStore(path: whole.storePath).items(run: whole.run.id).map(strip))
        // Nothing answered before the stop was asked again.
        #expect(resumedModel.requests.count == wholeModel.requests.count - recorded)
        #expect(try stored.listRuns().count == 1)
    }

    @Test("resuming with different settings is refused, naming what differs")
    func resumeWithOtherSettings() async throws {
        let problems = try EvalRunSupport.humanEvalCommSample()
        let path = EvalRunSupport.scratchStore("settings")
        _ = try await EvalRunSupport.run(
            problems, mode: .humaneval, model: ReferenceChatModel(problems: problems), store: path, limit: 1)
        await #expect {
            try await EvalRunSupport.run(
                problems, mode: .humaneval, model: ReferenceChatModel(problems: problems), store: path, resume: true,
                limit: 2)
        } throws: { error in
            "\(error)".contains("limit: 1 → 2")
        }
    }

    @Test("a repetition penalty reaches every model request, is stored with the run, and a resume must match it")
    func repetitionPenalty() async throws {
        let problems = try EvalRunSupport.humanEvalCommSample()
        let path = EvalRunSupport.scratchStore("penalty")
        let model = EvalRunSupport.solver(problems)
        _ = try await EvalRunSupport.run(problems, mode: .humaneval, model: model, store: path, limit: 1, repetitionPenalty: 1.1)
        #expect(!model.requests.isEmpty && model.requests.allSatisfy { $0.repetitionPenalty == 1.1 })
        let run = try #require(try RunStore(path: path).listRuns().first)
        #expect(run.settingsJSON.contains("\"repetitionPenalty\":1.1"))
        await #expect {
            try await EvalRunSupport.run(
                problems, mode: .humaneval, model: model, store: path, resume: true, limit: 1)
        } throws: { error in
            "\(error)".contains("repetition penalty: 1.1 → -")
        }
        // Without one the key is absent, so the stored settings of runs made before it existed still match.
        let plain = EvalRunSupport.scratchStore("no-penalty")
        _ = try await EvalRunSupport.run(problems, mode: .humaneval, model: model, store: plain, limit: 1)
        #expect(try #require(try RunStore(path: plain).listRuns().first).settingsJSON.contains("enalty") == false)
    }

    @Test("presence and frequency penalties reach every model request, are stored with the run, and a resume must match them")
    func presenceAndFrequencyPenalties() async throws {
        let problems = try EvalRunSupport.humanEvalCommSample()
        let path = EvalRunSupport.scratchStore("presence")
        let model = EvalRunSupport.solver(problems)
        _ = try await EvalRunSupport.run(
            problems, mode: .humaneval, model: model, store: path, limit: 1, presencePenalty: 0.5, frequencyPenalty: 0.25)
        #expect(!model.requests.isEmpty)
        #expect(model.requests.allSatisfy { $0.presencePenalty == 0.5 && $0.frequencyPenalty == 0.25 && $0.repetitionPenalty == nil })
        let run = try #require(try RunStore(path: path).listRuns().first)
        #expect(run.settingsJSON.contains("\"presencePenalty\":0.5") && run.settingsJSON.contains("\"frequencyPenalty\":0.25"))
        await #expect {
            try await EvalRunSupport.run(
                problems, mode: .humaneval, model: model, store: path, resume: true, limit: 1, presencePenalty: 0.5)
        } throws: { error in
            "\(error)".contains("frequency penalty: 0.25 → -") && !"\(error)".contains("presence penalty:")
        }
    }
}
