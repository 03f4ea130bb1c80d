import ClarifyCore

/// What the evaluator is shown for one item: HumanEvalComm's evaluator sees the original problem,
/// the modified problem and the model's questions.
public struct EvaluationQuery: Sendable, Hashable {
    public var original: String
    public var modified: String
    public var questions: String
    public var category: ClarificationCategory
    /// The variant's record of what changed, when the benchmark file kept one (synthesized sets do;
    /// HumanEvalComm itself does not).
    public var changes: [Change]

    public init(
        original: String, modified: String, questions: String, category: ClarificationCategory,
        changes: [Change] = []
    ) {
        self.original = original
        self.modified = modified
        self.questions = questions
        self.category = category
        self.changes = changes
    }
}

/// The evaluator's reply: answers that recover the original requirement, and the questions' grade.
public struct EvaluatorVerdict: Sendable, Hashable, Codable {
    public var answers: String
    /// 3 Good (the questions recover what was modified), 2 Fair, 1 No questions.
    public var grade: Int
    /// What the judge said, verbatim (a model's reply; a local judge's forced-prefix completions),
    /// for `grade`'s per-item output; nil for the heuristic.
    public var raw: String?
    /// The evidence a local judge decided from (`p_good`, `p_targets_change`, …), each in [0, 1].
    public var scores: [String: Double]?

    public init(answers: String, grade: Int, raw: String? = nil, scores: [String: Double]? = nil) {
        self.answers = answers
        self.grade = grade
        self.raw = raw
        self.scores = scores
    }
}

/// An evaluator that could not give a verdict (a model that never followed the format, or failed).
public struct EvaluatorFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Plays the user in the HumanEvalComm protocol: answers a model's clarifying questions and grades them.
public protocol QuestionEvaluator: Sendable {
    var kind: EvaluatorKind { get }
    /// What to record as the evaluator's name (`heuristic`, or the model's identity).
    var name: String { get }
    /// One result per query, in input order, whatever order they finish in.
    func evaluate(_ queries: [EvaluationQuery]) async -> [Result<EvaluatorVerdict, EvaluatorFailure>]
}
