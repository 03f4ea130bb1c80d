import ClarifyCore

/// A clarification scenario before formatting: the rewritten prompt with its record of
/// changes, what is unclear in one line, the clarifying questions, and the user's answers.
///
/// Every synthesizer — the rule-based one here and the LLM-driven one over a `ChatModel` —
/// produces drafts; quality control, dialogue assembly and the output files are shared.
public struct ClarificationDraft: Codable, Sendable, Hashable {
    public var variant: Variant
    /// One line naming what is unclear, said before the questions.
    public var summary: String
    public var questions: [String]
    /// One answer per question, from the original problem.
    public var answers: [String]

    public init(variant: Variant, summary: String, questions: [String], answers: [String]) {
        self.variant = variant
        self.summary = summary
        self.questions = questions
        self.answers = answers
    }
}

/// Turns a clear problem into clarification scenarios of the requested categories.
///
/// Implementations must be deterministic for a given `seed` (synthesis resumes by redoing
/// unfinished problems, and the redo must give the same records) and must not print.
/// A category the problem does not lend itself to is simply missing from the result.
public protocol Synthesizer: Sendable {
    /// Short name recorded with every example (`rules`, `llm:<model>`).
    var name: String { get }

    func synthesize(
        problem: Problem, categories: [ClarificationCategory], seed: UInt64
    ) async throws -> [ClarificationDraft]
}
