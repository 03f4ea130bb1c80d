import Backends
import ClarifyCore
import Execution
import Foundation

/// The HumanEvalComm evaluator on a local model that decides from evidence, not from free text.
///
/// A 1.5B model handed the benchmark's evaluator prompt grades almost every question 3, and a 0.5B
/// does not follow the answer format; so every grade here is read from the model's next-token
/// probabilities after a forced prefix — it always parses — and the variants differ in what the
/// model is asked (``Variant``). Answers for round 2 are written the benchmark's way in every variant:
/// the evaluator prompt with the reply forced to begin `QUALITY=<grade>\nANSWERS=```` .
public struct LocalJudge: QuestionEvaluator {
    /// What the model is asked; `local:NAME:VARIANT` picks one (docs/evaluation.md#local-judge).
    public enum Variant: String, Sendable, Hashable, CaseIterable, Codable {
        /// The benchmark's evaluator prompt as is; the reply is forced to `QUALITY=` and the grade is
        /// the likeliest of 1, 2, 3.
        case prompt
        /// Two yes/no sub-questions, each in its own prompt that shows the word diff of the two
        /// descriptions and the reply: does the reply ask about a change? can the original wording answer it?
        /// Good when both are yes; no question in the reply (the rule-based detector) is 1.
        case steps
        /// The same evidence as numbers: P(good) from the sub-questions' yes-probabilities against a
        /// threshold (``threshold``); 1 as in `steps`.
        case probs
    }

    public let model: any ScoringChatModel
    public var variant: Variant
    /// `probs`: the P(good) at or above which a question is graded 3.
    public var threshold: Double
    /// Write answers for round 2 (off only to measure grading alone).
    public var writesAnswers: Bool
    public var maxConcurrent: Int
    public var maxAnswerTokens: Int

    public var kind: EvaluatorKind { .llm }
    public var name: String { "\(model.identity) judge:\(variant.rawValue)" }

    /// The `probs` threshold: P(good) better than even. The calibration log supported no other value
    /// (BENCHMARKS.md, "Local question judge"); `bench/judge/sweep.py` re-sweeps it from a run's scores.
    public static let defaultThreshold = 0.5

    public init(
        model: any ScoringChatModel, variant: Variant = .probs, threshold: Double = LocalJudge.defaultThreshold,
        writesAnswers: Bool = true, maxConcurrent: Int = 8, maxAnswerTokens: Int = 256
    ) {
        self.model = model
        self.variant = variant
        self.threshold = threshold
        self.writesAnswers = writesAnswers
        self.maxConcurrent = max(1, maxConcurrent)
        self.maxAnswerTokens = maxAnswerTokens
    }

    public func evaluate(_ queries: [EvaluationQuery]) async -> [Result<EvaluatorVerdict, EvaluatorFailure>] {
        // No nested function capturing the group and the counter: the release build of that form
        // trapped at `results[index]` (Swift 6.3, `clarifycoder grade`); this one is plain loops.
        let finished = await withTaskGroup(
            of: (Int, Result<EvaluatorVerdict, EvaluatorFailure>).self,
            returning: [(Int, Result<EvaluatorVerdict, EvaluatorFailure>)].self
        ) { group in
            var finished: [(Int, Result<EvaluatorVerdict, EvaluatorFailure>)] = []
            var next = 0
            while next < min(maxConcurrent, queries.count) {
                let (index, query) = (next, queries[next])
                group.addTask { await self.graded(query, index: index) }
                next += 1
            }
            while let item = await group.next() {
                finished.append(item)
                if next < queries.count {
                    let (index, query) = (next, queries[next])
                    group.addTask { await self.graded(query, index: index) }
                    next += 1
                }
            }
            return finished
        }
        var results = [Result<EvaluatorVerdict, EvaluatorFailure>?](repeating: nil, count: queries.count)
        for (index, result) in finished { results[index] = result }
        return results.map { $0! }
    }

    private func graded(_ query: EvaluationQuery, index: Int) async -> (Int, Result<EvaluatorVerdict, EvaluatorFailure>) {
        do {
            return (index, .success(try await verdict(for: query)))
        } catch {
            return (index, .failure(EvaluatorFailure("the local judge failed: \(error)")))
        }
    }

    /// One item's grade, evidence and answers.
    public func verdict(for query: EvaluationQuery) async throws -> EvaluatorVerdict {
        var verdict: EvaluatorVerdict
        switch variant {
        case .prompt:
            let p = try await model.candidateProbabilities(
                [.user(LLMEvaluator.prompt(query))], assistantPrefix: "QUALITY=", candidates: [["1"], ["2"], ["3"]])
            let grade = p.indices.max { p[$0] < p[$1] }! + 1
            let scores = ["p1": p[0], "p2": p[1], "p3": p[2], "p_good": p[2] / max(p[1] + p[2], 1e-12)]
            verdict = EvaluatorVerdict(answers: "", grade: grade, raw: "QUALITY=\(grade)", scores: scores)
        case .steps, .probs:
            guard ResponseAnalyzer.asks(query.questions) else {
                return EvaluatorVerdict(answers: "", grade: 1, raw: "no question in the reply", scores: [:])
            }
            let diff = WordDiff(original: query.original, modified: query.modified).rendered()
            var p: [JudgeStep: Double] = [:]
            for step in JudgeStep.allCases {
                p[step] = try await model.candidateProbabilities(
                    [.user(step.prompt(query, diff: diff))], assistantPrefix: JudgeStep.prefix,
                    candidates: JudgeStep.candidates)[0]
            }
            let (targets, answerable) = (p[.targetsChange]!, p[.answerableFromOriginal]!)
            let good = targets * answerable
            let grade = variant == .steps ? (targets >= 0.5 && answerable >= 0.5 ? 3 : 2) : (good >= threshold ? 3 : 2)
            let raw = JudgeStep.allCases.map { "\($0.rawValue): \(p[$0]! >= 0.5 ? "Yes" : "No")" }
                .joined(separator: "\n")
            verdict = EvaluatorVerdict(
                answers: "", grade: grade, raw: raw,
                scores: ["p_targets_change": targets, "p_answerable": answerable, "p_good": good])
        }
        if writesAnswers, verdict.grade > 1 {
            let prefix = "QUALITY=\(verdict.grade)\nANSWERS=```"
            let reply = try await model.complete(
                ChatRequest(
                    messages: [.user(LLMEvaluator.prompt(query))], temperature: 0, maxTokens: maxAnswerTokens,
                    stop: ["```"]),
                assistantPrefix: prefix)
            verdict.answers = reply.text.trimmingCharacters(in: .whitespacesAndNewlines)
            verdict.raw = (verdict.raw.map { $0 + "\n" } ?? "") + prefix + reply.text + "```"
        }
        return verdict
    }
}

/// The sub-questions of the `steps` and `probs` variants, each asked in a prompt of its own and
/// answered by the probability of " Yes" against " No" after a forced `Answer:`.
enum JudgeStep: String, CaseIterable, Sendable {
    case targetsChange = "asks about a change"
    case answerableFromOriginal = "answerable from the original"

    static let prefix = "Answer:"
    static let candidates = [[" Yes", " yes", "Yes"], [" No", " no", "No"]]

    var question: String {
        switch self {
        case .targetsChange:
            "Does the developer's reply ask about one of the changes listed above — a question whose answer "
                + "would tell them what the original description says at that place?"
        case .answerableFromOriginal:
            "Can the developer's question be answered with the original wording above, so that the answer "
                + "recovers what the modification removed or changed?"
        }
    }

    /// The changes and the reply, not the two whole descriptions: a prompt a quarter as long (≈ 200
    /// tokens) is what makes grading affordable on two cores, and the changes are the evidence asked about.
    func prompt(_ query: EvaluationQuery, diff: String) -> String {
        let reply = query.questions.count <= 2000 ? query.questions : String(query.questions.prefix(2000)) + " …"
        return """
            A coding problem's description was modified so that it became ambiguous, incomplete or inconsistent. \
            These are the changes (the original wording, then what the developer saw instead):
            \(diff)

            A developer who saw only the modified description replied:
            \(reply)

            \(question) Answer Yes or No.
            """
    }
}
