import ClarifyCore

/// One synthesized clarification scenario as written to `examples.jsonl`: the problem it
/// came from, the rewrite with its record of changes, the questions, the user's answers, the
/// final code, and the rendered dialogue.
public struct ClarifyExample: Codable, Sendable, Hashable {
    /// `<problem id>#<category>#<attempt>`: unique within a run and stable across resumes.
    public var id: String
    public var problemID: String
    public var source: String
    public var entryPoint: String?
    public var category: ClarificationCategory
    public var kinds: [AmbiguityKind]
    public var originalPrompt: String
    public var prompt: String
    public var changes: [Change]
    public var summary: String
    public var questions: [String]
    public var answers: [String]
    /// The reference solution of the original problem.
    public var code: String
    public var synthesizer: String
    /// The confirm-then-code dialogue (see ``DialogueFormat``).
    public var dialogue: Dialogue

    enum CodingKeys: String, CodingKey {
        case id, source, category, kinds, prompt, changes, summary, questions, answers, code, synthesizer, dialogue
        case problemID = "problem_id"
        case entryPoint = "entry_point"
        case originalPrompt = "original_prompt"
    }

    public var draft: ClarificationDraft {
        ClarificationDraft(
            variant: Variant(category: category, prompt: prompt, changes: changes), summary: summary,
            questions: questions, answers: answers)
    }
}

/// One line of `problems.jsonl`, written after all of a problem's examples: the resume ledger
/// and the source of the manifest's counts.
struct LedgerEntry: Codable, Sendable, Hashable {
    var problemID: String
    var kept: Int
    var rejected: [RejectionReason: Int]
    /// Attempts for which no edit applied.
    var inapplicable: Int
    /// Attempts that failed (unreadable model output, backend errors, unverified ambiguity),
    /// by reason, with one message each; written only when there are any.
    var failures: [AttemptFailure.Reason: Int] = [:]
    var failureMessages: [String] = []

    enum CodingKeys: String, CodingKey {
        case kept, rejected, inapplicable, failures
        case problemID = "problem_id"
        case failureMessages = "failure_messages"
    }

    init(problemID: String, kept: Int, rejected: [RejectionReason: Int], inapplicable: Int) {
        self.problemID = problemID
        self.kept = kept
        self.rejected = rejected
        self.inapplicable = inapplicable
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        problemID = try container.decode(String.self, forKey: .problemID)
        kept = try container.decode(Int.self, forKey: .kept)
        inapplicable = try container.decode(Int.self, forKey: .inapplicable)
        let raw = try container.decode([String: Int].self, forKey: .rejected)
        rejected = [:]
        for (key, value) in raw {
            guard let reason = RejectionReason(rawValue: key) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .rejected, in: container, debugDescription: "unknown rejection reason '\(key)'")
            }
            rejected[reason] = value
        }
        for (key, value) in try container.decodeIfPresent([String: Int].self, forKey: .failures) ?? [:] {
            guard let reason = AttemptFailure.Reason(rawValue: key) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .failures, in: container, debugDescription: "unknown failure reason '\(key)'")
            }
            failures[reason] = value
        }
        failureMessages = try container.decodeIfPresent([String].self, forKey: .failureMessages) ?? []
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(problemID, forKey: .problemID)
        try container.encode(kept, forKey: .kept)
        try container.encode(inapplicable, forKey: .inapplicable)
        try container.encode(Dictionary(uniqueKeysWithValues: rejected.map { ($0.key.rawValue, $0.value) }), forKey: .rejected)
        if !failures.isEmpty {
            try container.encode(
                Dictionary(uniqueKeysWithValues: failures.map { ($0.key.rawValue, $0.value) }), forKey: .failures)
            try container.encode(failureMessages, forKey: .failureMessages)
        }
    }
}
