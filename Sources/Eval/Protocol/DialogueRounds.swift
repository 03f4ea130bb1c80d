import Backends
import ClarifyCore
import Execution
import Foundation
import Sandbox

/// An item and its execution, ready to store.
struct FinishedItem: Sendable {
    var record: ItemRecord
    var execution: ExecutionReport?
}

/// One chunk of prompts through the HumanEvalComm protocol (docs/design.md):
///
/// 1. round 1 — the instruction (code-or-ask, or code-only for the baseline) and the prompt;
/// 2. the response read by the strict detector and HumanEvalComm's rule (and the LLM classifier);
///    code is executed as it is;
/// 3. a response without code goes to the evaluator, which answers with the original requirement
///    and grades the questions 3/2/1;
/// 4. round 2 — the answers appended and the model told to write the code;
/// 5. code extraction and sandboxed execution of the final code.
///
/// Each stage is one batch over the chunk: model calls through `completeBatch` (the local engine
/// turns concurrent requests into one batched generation), responses through one sandboxed parser
/// run, executions spread over the sandbox pool. Every result is placed by index, so nothing
/// depends on the order in which calls finish.
struct DialogueRounds: Sendable {
    let parameters: EvaluationParameters
    let runID: Int64
    let model: any ChatModel
    let evaluator: (any QuestionEvaluator)?
    let classifier: LLMQuestionClassifier?
    let analyzer: ResponseAnalyzer
    let executor: ProblemExecutor

    var instruction: String {
        parameters.mode == .noClarification ? ClarificationInstructions.codeOnly : ClarificationInstructions.codeOrAsk
    }

    func request(_ messages: [Message], sample: Int) -> ChatRequest {
        var decoding = parameters.options.decoding
        decoding.seed &+= sample
        return ChatRequest(messages: messages, decoding: decoding)
    }

    func process(_ units: [PromptUnit]) async throws -> [FinishedItem] {
        var records = units.map {
            ItemRecord(
                runID: runID, position: $0.position, problemID: $0.problem.id, category: $0.category,
                sample: $0.sample, prompt: $0.prompt, status: .executed, evaluatorKind: .none)
        }
        // Round 1.
        let firstTurns = units.map { Message.user(instruction + "\n\n" + $0.prompt) }
        let firstReplies = await model.completeBatch(
            units.indices.map { request([firstTurns[$0]], sample: units[$0].sample) },
            maxConcurrent: parameters.options.concurrency)
        var answered: [Int] = []
        for (index, reply) in firstReplies.enumerated() {
            switch reply {
            case .success(let response):
                records[index].round1Response = response.text
                answered.append(index)
            case .failure(let error):
                records[index].status = .modelFailed
                records[index].error = "round 1: \(error)"
            }
        }
        let firstAnalyses = try await analyzer.analyze(answered.map { records[$0].round1Response! })
        var finalAnalysis: [Int: ResponseAnalysis] = [:]
        var asking: [Int] = []
        for (index, analysis) in zip(answered, firstAnalyses) {
            records[index].strictVerdict = analysis.kind
            records[index].paperVerdict = analysis.paperKind
            if parameters.mode == .noClarification || analysis.kind == .code || evaluator == nil {
                finalAnalysis[index] = analysis
                if analysis.kind == .code, let evaluator {
                    records[index].evaluatorKind = evaluator.kind
                    records[index].grade = 1
                }
            } else {
                asking.append(index)
            }
        }
        if let classifier {
            let kinds = await classifier.classify(answered.map { records[$0].round1Response! })
            for (index, kind) in zip(answered, kinds) { records[index].llmVerdict = kind }
        }
        // The evaluator answers whatever was not code.
        if let evaluator, !asking.isEmpty {
            let queries = asking.map { index in
                EvaluationQuery(
                    original: units[index].problem.prompt, modified: units[index].prompt,
                    questions: records[index].round1Response!, category: units[index].category,
                    changes: units[index].changes)
            }
            let verdicts = await evaluator.evaluate(queries)
            var secondRound: [Int] = []
            for (index, verdict) in zip(asking, verdicts) {
                records[index].questions = records[index].round1Response
                records[index].evaluatorKind = evaluator.kind
                switch verdict {
                case .success(let verdict):
                    records[index].evaluatorAnswers = verdict.answers
                    records[index].grade = verdict.grade
                    secondRound.append(index)
                case .failure(let failure):
                    records[index].status = .evaluatorFailed
                    records[index].error = "evaluator: \(failure)"
                }
            }
            // Round 2.
            let requests = secondRound.map { index -> ChatRequest in
                let answers = records[index].evaluatorAnswers ?? ""
                let turn = ClarificationInstructions.answersTurn(
                    answers.isEmpty ? "There is nothing to add to the description." : answers)
                return request(
                    [firstTurns[index], .assistant(records[index].round1Response!), .user(turn)],
                    sample: units[index].sample)
            }
            let secondReplies = await model.completeBatch(requests, maxConcurrent: parameters.options.concurrency)
            var coded: [Int] = []
            for (index, reply) in zip(secondRound, secondReplies) {
                switch reply {
                case .success(let response):
                    records[index].round2Response = response.text
                    coded.append(index)
                case .failure(let error):
                    records[index].status = .modelFailed
                    records[index].error = "round 2: \(error)"
                }
            }
            let secondAnalyses = try await analyzer.analyze(coded.map { records[$0].round2Response! })
            for (index, analysis) in zip(coded, secondAnalyses) { finalAnalysis[index] = analysis }
        }
        // Execution of the final code; a final response without code fails every test.
        var executions = [ExecutionReport?](repeating: nil, count: units.count)
        var toRun: [(index: Int, candidate: Candidate)] = []
        for (index, analysis) in finalAnalysis.sorted(by: { $0.key < $1.key }) {
            let problem = units[index].problem
            if let code = analysis.code {
                records[index].finalCode = code
                toRun.append((index, CandidateBuilder.candidate(code: code, functions: analysis.functions, problem: problem)))
            } else {
                records[index].status = .noCode
                executions[index] = Self.noCodeReport(problem)
            }
        }
        let reports = await execute(toRun.map { (units[$0.index].problem, $0.candidate) })
        for (item, report) in zip(toRun, reports) { executions[item.index] = report }
        return records.indices.map { FinishedItem(record: records[$0], execution: executions[$0]) }
    }

    static func noCodeReport(_ problem: Problem) -> ExecutionReport {
        ExecutionReport(
            problemID: problem.id,
            outcomes: (0..<max(1, problem.tests.count)).map {
                TestOutcome(index: $0, passed: false, status: .failed, detail: "the final response holds no code")
            })
    }

    /// Runs candidates in small groups spread over the pool's workers; reports in input order.
    func execute(_ items: [(Problem, Candidate)]) async -> [ExecutionReport] {
        guard !items.isEmpty else { return [] }
        let perGroup = max(1, min(8, items.count / max(1, executor.pool.workers * 2)))
        let groups = stride(from: 0, to: items.count, by: perGroup).map { $0..<min($0 + perGroup, items.count) }
        let executor = self.executor
        return await withTaskGroup(of: ExecutedGroup.self) { group in
            for (number, range) in groups.enumerated() {
                let slice = Array(items[range])
                group.addTask { ExecutedGroup(number: number, reports: await executor.execute(slice)) }
            }
            var collected = [[ExecutionReport]](repeating: [], count: groups.count)
            for await done in group { collected[done.number] = done.reports }
            return collected.flatMap { $0 }
        }
    }
}

/// A named struct rather than a tuple as a child task's result (the Swift 6.3.1 `-O` miscompile
/// seen with tuples in task groups; see `BatchItem` in Backends).
struct ExecutedGroup: Sendable {
    var number: Int
    var reports: [ExecutionReport]
}
