import ClarifyCore
import Execution
import Foundation

/// Which prompts a run poses and how.
public enum EvaluationMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// HumanEval's original prompts under the code-or-ask instruction (Pass@1; asking is over-asking).
    case humaneval
    /// HumanEvalComm: every modified prompt (and the originals, to measure over-asking) under the
    /// code-or-ask instruction, with the evaluator and a second round when the model asks.
    case humanevalcomm
    /// The same prompts as `humanevalcomm`, but round 1 is told to write code only: the baseline a
    /// clarification-aware model must beat.
    case noClarification
}

/// What kind of evaluator graded a run's (or an item's) questions. Numbers from the heuristic
/// evaluator are approximate and are never pooled with LLM-graded ones.
public enum EvaluatorKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// No question was graded (code-only runs).
    case none
    /// The offline evaluator: answers from the original prompt, grades by word overlap with what changed.
    case heuristic
    /// A chat model following the HumanEvalComm evaluator prompt.
    case llm

    /// Whether its Good Question Rate is an approximation.
    public var isApproximate: Bool { self == .heuristic }
}

/// One row of `runs`: what was evaluated, with what, and when.
public struct RunRecord: Sendable, Hashable, Codable {
    public var id: Int64
    public var name: String
    /// The benchmark's name (`humaneval`, `humanevalcomm`) and the file it came from.
    public var benchmark: String
    public var mode: EvaluationMode
    /// The model's ``ChatModel/identity``.
    public var model: String
    public var adapter: String?
    public var evaluatorKind: EvaluatorKind
    public var evaluatorName: String?
    public var seed: Int
    public var samples: Int
    /// Every parameter that changes the answers, as JSON (see ``EvaluationSettings``).
    public var settingsJSON: String
    public var createdAt: Date
    /// `nil` while the run is unfinished (killed, or still running).
    public var finishedAt: Date?
    /// What made the run: version, commit, model hash, command (`nil` for runs stored before it was recorded).
    public var provenance: Provenance? = nil
}

/// How an item's dialogue ended.
public enum ItemStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// The final code was executed against the tests.
    case executed
    /// The final response held no code: every test counts as failed.
    case noCode
    /// The model call failed after its retries (the error is recorded); nothing was executed.
    case modelFailed
    /// The evaluator never gave a parsable reply; the item has no grade and no second round.
    case evaluatorFailed
}

/// One row of `items`: one sample of one prompt, through both rounds.
public struct ItemRecord: Sendable, Hashable, Codable {
    public var id: Int64?
    public var runID: Int64
    /// Position of the prompt in the run (problem order, then category order): results are stored
    /// and read in this order whatever order they finished in.
    public var position: Int
    public var problemID: String
    public var category: ClarificationCategory
    public var sample: Int
    /// The problem text shown in round 1 (original or modified), without the instruction.
    public var prompt: String
    public var round1Response: String?
    /// The first response read by the strict detector, HumanEvalComm's rule, and the LLM classifier.
    public var strictVerdict: ResponseKind?
    public var paperVerdict: ResponseKind?
    public var llmVerdict: ResponseKind?
    /// The round-1 response when it asked (the text the evaluator saw).
    public var questions: String?
    public var evaluatorKind: EvaluatorKind
    public var evaluatorAnswers: String?
    /// HumanEvalComm grade: 3 Good, 2 Fair, 1 No questions.
    public var grade: Int?
    public var round2Response: String?
    public var finalCode: String?
    public var status: ItemStatus
    public var error: String?

    public init(
        runID: Int64, position: Int, problemID: String, category: ClarificationCategory, sample: Int,
        prompt: String, status: ItemStatus, evaluatorKind: EvaluatorKind = .none
    ) {
        self.runID = runID
        self.position = position
        self.problemID = problemID
        self.category = category
        self.sample = sample
        self.prompt = prompt
        self.status = status
        self.evaluatorKind = evaluatorKind
    }
}

/// One row of `executions`: the tests of one item sample's final code.
public struct ExecutionRecord: Sendable, Hashable, Codable {
    public var itemID: Int64
    public var sample: Int
    public var report: ExecutionReport
}

/// One row of `model_calls`: a request and what came back, so a resumed run replays it instead of
/// asking again, and a report can show what the model was actually sent.
public struct ModelCallRecord: Sendable, Hashable, Codable {
    /// SHA-256 of the request's canonical JSON.
    public var requestHash: String
    /// `model` (rounds 1 and 2), `evaluator` or `classifier`.
    public var role: String
    public var requestJSON: String
    public var responseJSON: String?
    public var latencySeconds: Double
    public var error: String?
}

/// A question a model asked, with its grade: what reports quote.
public struct QuestionExample: Sendable, Hashable, Codable {
    public var problemID: String
    public var category: ClarificationCategory
    public var prompt: String
    public var questions: String
    public var answers: String?
    public var grade: Int?
    public var evaluatorKind: EvaluatorKind
}

/// One row of `metrics`: a named value in a scope (`modified`, `original`, or a category such as `1a`).
public struct MetricRecord: Sendable, Hashable, Codable {
    public var scope: String
    public var name: String
    public var value: Double
}
