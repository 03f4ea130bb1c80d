import ClarifyCore

/// A question a model asked, with the prompt it answered and how it was graded: what a reader
/// needs to judge the numbers for themselves.
public struct ReportExample: Sendable, Hashable {
    public var problemID: String
    public var category: ClarificationCategory
    /// The prompt the model saw (the modified problem).
    public var prompt: String
    /// The model's first response (its questions).
    public var response: String
    /// 3 Good, 2 Fair, 1 No questions; `nil` when not graded.
    public var grade: Int?
    /// The evaluator's answers, when it gave any.
    public var answer: String?
    /// Whether the final code passed every test; `nil` when nothing was executed.
    public var passed: Bool?

    public init(
        problemID: String, category: ClarificationCategory, prompt: String, response: String, grade: Int? = nil,
        answer: String? = nil, passed: Bool? = nil
    ) {
        self.problemID = problemID
        self.category = category
        self.prompt = prompt
        self.response = response
        self.grade = grade
        self.answer = answer
        self.passed = passed
    }

    /// "Good", "Fair", "No questions", or `nil`.
    public var gradeLabel: String? {
        switch grade {
        case 3: return "Good"
        case 2: return "Fair"
        case 1: return "No questions"
        case let other?: return "grade \(other)"
        case nil: return nil
        }
    }

    /// Whether the response holds a real question (a sentence ending in `?`), not only a statement
    /// or a fragment that a detector took for one.
    public var asksQuestion: Bool {
        response.split(whereSeparator: \.isNewline).contains { line in
            let text = line.trimmingCharacters(in: .whitespaces)
            return text.hasSuffix("?") && text.split(separator: " ").count >= 3
        }
    }

    /// Up to `limit` examples chosen to show the range of what was asked, deterministically: one
    /// per category in category order, real questions (``asksQuestion``) first, then best grade,
    /// then round again; ties by problem id. Examples on original prompts are over-asking and
    /// come last.
    public static func select(from candidates: [ReportExample], limit: Int) -> [ReportExample] {
        guard limit > 0 else { return [] }
        let ordered = candidates.sorted { a, b in
            if a.asksQuestion != b.asksQuestion { return a.asksQuestion }
            if (a.grade ?? 0) != (b.grade ?? 0) { return (a.grade ?? 0) > (b.grade ?? 0) }
            if a.problemID != b.problemID { return naturalLess(a.problemID, b.problemID) }
            return a.response < b.response
        }
        let categories = ClarificationCategory.allCases.filter { $0 != .original } + [.original]
        var queues = categories.map { category in ordered.filter { $0.category == category } }
        var chosen: [ReportExample] = []
        while chosen.count < limit && queues.contains(where: { !$0.isEmpty }) {
            for index in queues.indices where !queues[index].isEmpty && chosen.count < limit {
                chosen.append(queues[index].removeFirst())
            }
        }
        return chosen
    }

    /// Problem ids in the order people expect: `HumanEval/2` before `HumanEval/10` (digit runs
    /// compare as numbers), independent of the locale.
    static func naturalLess(_ a: String, _ b: String) -> Bool {
        func runs(_ text: String) -> [(digits: Bool, text: Substring)] {
            var result: [(digits: Bool, text: Substring)] = []
            var start = text.startIndex
            while start < text.endIndex {
                let digits = text[start].isASCII && text[start].isNumber
                let end = text[start...].firstIndex { ($0.isASCII && $0.isNumber) != digits } ?? text.endIndex
                result.append((digits, text[start..<end]))
                start = end
            }
            return result
        }
        for (x, y) in zip(runs(a), runs(b)) where x.text != y.text {
            if x.digits && y.digits {
                let xs = x.text.drop { $0 == "0" }
                let ys = y.text.drop { $0 == "0" }
                if xs.count != ys.count { return xs.count < ys.count }
                if xs != ys { return xs < ys }
            }
            return x.text < y.text
        }
        return a.count != b.count ? a.count < b.count : a < b
    }
}
