import ClarifyCore

/// Why quality control rejected a draft. Raw values are the manifest's count keys.
public enum RejectionReason: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    /// The rewrite equals the original once whitespace is normalised.
    case unchanged
    /// A question is empty or does not end with a question mark, or questions and answers differ in number.
    case notAQuestion = "not_a_question"
    /// A question states the removed or corrected text itself.
    case leak
    /// Too similar to a variant already kept for the same problem (shingled Jaccard).
    case nearDuplicate = "near_duplicate"
    /// The prompt, a question or an answer exceeds the length limits.
    case tooLong = "too_long"

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The filters every draft passes before it is written, whatever synthesizer made it.
///
/// Near-duplicates are judged within one problem's variants (word 3-gram shingles, Jaccard
/// similarity): different problems of one bank family legitimately share most words, and a
/// per-problem check keeps resume exact (no state crosses problems).
public struct QualityControl: Sendable, Hashable, Codable {
    public var maxPromptCharacters: Int
    public var maxQuestionCharacters: Int
    public var maxAnswerCharacters: Int
    public var maxQuestions: Int
    /// Jaccard similarity at or above which a rewrite is a near-duplicate of a kept one.
    public var duplicateThreshold: Double

    public init(
        maxPromptCharacters: Int = 6000, maxQuestionCharacters: Int = 400, maxAnswerCharacters: Int = 800,
        maxQuestions: Int = 5, duplicateThreshold: Double = 0.9
    ) {
        self.maxPromptCharacters = maxPromptCharacters
        self.maxQuestionCharacters = maxQuestionCharacters
        self.maxAnswerCharacters = maxAnswerCharacters
        self.maxQuestions = maxQuestions
        self.duplicateThreshold = duplicateThreshold
    }

    /// The reason to reject `draft`, or `nil` to keep it. `kept` are the prompts of the same
    /// problem's variants kept so far.
    public func check(_ draft: ClarificationDraft, original: String, kept: [String]) -> RejectionReason? {
        let prompt = draft.variant.prompt
        if Self.normalized(prompt) == Self.normalized(original) { return .unchanged }
        if draft.questions.isEmpty || draft.questions.count != draft.answers.count
            || draft.questions.contains(where: { !$0.trimmingCharacters(in: .whitespaces).hasSuffix("?") })
        {
            return .notAQuestion
        }
        if draft.questions.contains(where: { leaks($0, changes: draft.variant.changes) }) { return .leak }
        if prompt.count > maxPromptCharacters || draft.questions.count > maxQuestions
            || draft.questions.contains(where: { $0.count > maxQuestionCharacters })
            || draft.answers.contains(where: { $0.count > maxAnswerCharacters })
        {
            return .tooLong
        }
        let shingles = Self.shingles(prompt)
        if kept.contains(where: { Self.jaccard(shingles, Self.shingles($0)) >= duplicateThreshold }) { return .nearDuplicate }
        return nil
    }

    /// A question leaks when it contains the clarification, or — for removed or contradicted
    /// text — the original text (at least two words, or a value of four or more characters).
    func leaks(_ question: String, changes: [Change]) -> Bool {
        for change in changes {
            var q = Self.normalized(question)
            if let clarification = change.clarification, q.contains(Self.normalized(clarification)) { return true }
            guard change.kind != .ambiguous, let original = change.original else { continue }
            // Quoting the new (wrong or vague) text is asking about it, not leaking the answer.
            if let replacement = change.replacement, !replacement.isEmpty {
                q = q.replacingOccurrences(of: Self.normalized(replacement), with: " ")
            }
            let text = Self.normalized(original)
            let substantial = text.split(separator: " ").count >= 2 || text.count >= 4
            if substantial, q.contains(text) { return true }
        }
        return false
    }

    static func normalized(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static func shingles(_ text: String) -> Set<String> {
        let words = text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        guard words.count >= 3 else { return Set(words) }
        return Set((0...(words.count - 3)).map { words[$0..<($0 + 3)].joined(separator: " ") })
    }

    static func jaccard(_ a: Set<String>, _ b: Set<String>) -> Double {
        let union = a.union(b).count
        return union == 0 ? 1 : Double(a.intersection(b).count) / Double(union)
    }
}
