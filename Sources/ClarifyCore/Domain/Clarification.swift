/// The three ways a programming request can need clarification, as defined by the
/// ClarifyCoder paper and HumanEvalComm.
public enum AmbiguityKind: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    /// Several valid readings; a detail is left vague ("sorted" instead of "ascending").
    case ambiguous
    /// A key concept, condition or specification has been removed.
    case incomplete
    /// Statements that conflict, e.g. examples contradicting the text.
    case inconsistent

    /// The one-letter code HumanEvalComm uses in its category names.
    public var letter: Character {
        switch self {
        case .ambiguous: return "a"
        case .incomplete: return "p"
        case .inconsistent: return "c"
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A prompt category: the original problem, or one of the HumanEvalComm modification
/// categories. The raw values are the HumanEvalComm field suffixes (`prompt1a` → `1a`).
public enum ClarificationCategory: String, Codable, Sendable, Hashable, CaseIterable {
    case original
    case ambiguous1 = "1a"
    case inconsistent1 = "1c"
    case incomplete1 = "1p"
    case ambiguousInconsistent = "2ac"
    case ambiguousIncomplete = "2ap"
    case inconsistentIncomplete = "2cp"
    case all3 = "3acp"

    /// The modification kinds combined in this category (empty for the original prompt).
    public var kinds: [AmbiguityKind] {
        switch self {
        case .original: return []
        case .ambiguous1: return [.ambiguous]
        case .inconsistent1: return [.inconsistent]
        case .incomplete1: return [.incomplete]
        case .ambiguousInconsistent: return [.ambiguous, .inconsistent]
        case .ambiguousIncomplete: return [.ambiguous, .incomplete]
        case .inconsistentIncomplete: return [.inconsistent, .incomplete]
        case .all3: return [.ambiguous, .inconsistent, .incomplete]
        }
    }

    /// The category that combines exactly these kinds; `nil` for an empty set.
    public init?(kinds: Set<AmbiguityKind>) {
        guard let match = Self.allCases.first(where: { $0 != .original && Set($0.kinds) == kinds }) else {
            return nil
        }
        self = match
    }

    /// Whether a clear model should ask a question here (every category but the original).
    public var needsClarification: Bool { self != .original }

    /// The HumanEvalComm JSONL field holding this category's prompt (`prompt1a`), or `prompt`.
    public var humanEvalCommField: String { self == .original ? "prompt" : "prompt" + rawValue }
}

/// A rewrite of a problem's prompt that needs clarification, with a record of what changed.
///
/// The record of changes is what grounds everything downstream: the clarifying questions a
/// good model should ask, the answers a user gives, and the heuristic evaluator's grade.
public struct Variant: Codable, Sendable, Hashable {
    public var category: ClarificationCategory
    /// The modified prompt the model sees.
    public var prompt: String
    /// What was changed relative to the original, one entry per edit. Empty when the source
    /// (e.g. a HumanEvalComm file) does not say.
    public var changes: [Change]

    public init(category: ClarificationCategory, prompt: String, changes: [Change] = []) {
        self.category = category
        self.prompt = prompt
        self.changes = changes
    }
}

/// One edit that turned the original prompt into a variant.
public struct Change: Codable, Sendable, Hashable {
    public var kind: AmbiguityKind
    /// Human-readable statement of the edit ("'ascending' made vague as 'sorted'").
    public var description: String
    /// The exact original text that was removed or replaced, if any.
    public var original: String?
    /// The text that replaced it, if any.
    public var replacement: String?
    /// The fact a user states to resolve the edit ("The list must be sorted in ascending order.").
    public var clarification: String?

    public init(
        kind: AmbiguityKind,
        description: String,
        original: String? = nil,
        replacement: String? = nil,
        clarification: String? = nil
    ) {
        self.kind = kind
        self.description = description
        self.original = original
        self.replacement = replacement
        self.clarification = clarification
    }
}
