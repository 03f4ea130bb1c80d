import ClarifyCore
import Execution
import Foundation

/// The offline evaluator: it answers with the original requirement and grades questions by whether
/// they address what the modification changed. Every number it produces is **approximate** — a word
/// overlap is not an LLM's judgement — and is recorded as such (``EvaluatorKind/heuristic``).
///
/// - Answers: the variant's ``Change/clarification`` statements when the benchmark kept them
///   (synthesized sets do); otherwise the original prompt's lines that the modified prompt lacks
///   or altered, stated as the precise requirement (HumanEvalComm's evaluator is asked for the
///   same: "answers … to recover the modified requirements in the original problem description").
/// - Grade: 1 when the response asks nothing; 3 when the questions mention a content word of what
///   changed (words on one side of the original/modified diff only, or of the change records);
///   2 otherwise, and 2 when nothing changed (asking about a clear prompt is at best fair).
public struct HeuristicEvaluator: QuestionEvaluator {
    public var kind: EvaluatorKind { .heuristic }
    public var name: String { "heuristic" }

    public init() {}

    public func evaluate(_ queries: [EvaluationQuery]) async -> [Result<EvaluatorVerdict, EvaluatorFailure>] {
        queries.map { .success(verdict(for: $0)) }
    }

    public func verdict(for query: EvaluationQuery) -> EvaluatorVerdict {
        EvaluatorVerdict(answers: answers(for: query), grade: grade(for: query))
    }

    func answers(for query: EvaluationQuery) -> String {
        let clarifications = query.changes.compactMap(\.clarification).filter { !$0.isEmpty }
        if !clarifications.isEmpty { return clarifications.joined(separator: "\n") }
        let modifiedLines = Set(Self.lines(query.modified))
        let missing = Self.lines(query.original).filter { !modifiedLines.contains($0) && !Self.isCode($0) }
        if missing.isEmpty {
            return "The description is complete as given. The exact requirement is:\n" + query.original
        }
        return "The precise requirement is:\n" + missing.joined(separator: "\n")
    }

    func grade(for query: EvaluationQuery) -> Int {
        let asked = query.questions.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !asked.isEmpty, ResponseAnalyzer.asks(asked) else { return 1 }
        let changed = Self.changedWords(query)
        guard !changed.isEmpty else { return 2 }
        return Set(Self.words(asked)).isDisjoint(with: changed) ? 2 : 3
    }

    /// Content words on one side of the diff only, plus those of the change records.
    static func changedWords(_ query: EvaluationQuery) -> Set<String> {
        let original = Set(words(query.original))
        let modified = Set(words(query.modified))
        var changed = original.symmetricDifference(modified)
        for change in query.changes {
            for text in [change.original, change.replacement] {
                if let text { changed.formUnion(words(text)) }
            }
        }
        return changed
    }

    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Signature, import and doctest lines: they hold no requirement a user would state.
    static func isCode(_ line: String) -> Bool {
        line.hasPrefix("def ") || line.hasPrefix("import ") || line.hasPrefix("from ") || line.hasPrefix(">>>")
            || line == "\"\"\"" || line == "'''"
    }

    /// Lower-cased words of three letters or more that are not function words.
    static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init)
            .filter { $0.count >= 3 && !stopWords.contains($0) }
    }

    static let stopWords: Set<String> = [
        "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "has", "have", "was", "were", "will",
        "with", "this", "that", "these", "those", "from", "into", "than", "then", "them", "they", "there", "their",
        "what", "which", "when", "where", "who", "whom", "why", "how", "does", "did", "should", "would", "could",
        "return", "returns", "given", "function", "list", "input", "output", "value", "values", "number", "numbers",
        "string", "strings", "example", "examples", "please", "clarify", "question", "questions", "about", "each",
        "some", "such", "only", "also", "more", "most", "other", "its", "our", "your", "out", "one", "two", "def",
        "int", "str", "float", "bool", "none", "true", "false", "self", "case", "cases", "need", "mean", "means",
    ]
}
