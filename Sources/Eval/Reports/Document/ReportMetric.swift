import ClarifyCore

/// The numbers a report shows for a run, with their labels and where they come from.
///
/// The first five are HumanEvalComm's metrics over the modified prompts (the paper's headline); the
/// last three are measured on the original, clear prompts, where asking is over-asking and Pass@1
/// is plain coding ability.
public enum ReportMetric: String, Sendable, Hashable, CaseIterable {
    case communicationRate = "communication_rate"
    case communicationRatePaper = "communication_rate_paper"
    /// Shown only when some run had an LLM classifier.
    case communicationRateLLM = "communication_rate_llm"
    case goodQuestionRate = "good_question_rate"
    case passAt1 = "pass_at_1"
    case testPassRate = "test_pass_rate"
    case overAskingRate = "over_asking_rate"
    case originalPassAt1 = "original_pass_at_1"
    case originalTestPassRate = "original_test_pass_rate"

    public var label: String {
        switch self {
        case .communicationRate: return "Communication Rate (strict detector)"
        case .communicationRatePaper: return "Communication Rate (HumanEvalComm rule)"
        case .communicationRateLLM: return "Communication Rate (LLM classifier)"
        case .goodQuestionRate: return "Good Question Rate"
        case .passAt1: return "Pass@1 after answers"
        case .testPassRate: return "Test Pass Rate after answers"
        case .overAskingRate: return "Over-asking on original prompts"
        case .originalPassAt1: return "Pass@1 on original prompts"
        case .originalTestPassRate: return "Test Pass Rate on original prompts"
        }
    }

    /// A label short enough for a chart's category axis.
    public var shortLabel: String {
        switch self {
        case .communicationRate: return "Communication (strict)"
        case .communicationRatePaper: return "Communication (paper rule)"
        case .communicationRateLLM: return "Communication (LLM classifier)"
        case .goodQuestionRate: return "Good questions"
        case .passAt1: return "Pass@1 after answers"
        case .testPassRate: return "Test pass after answers"
        case .overAskingRate: return "Over-asking (original)"
        case .originalPassAt1: return "Pass@1 (original)"
        case .originalTestPassRate: return "Test pass (original)"
        }
    }

    /// Grades and round-2 answers come from the evaluator, so these move with it; the first-round
    /// reading of a response and the original prompts do not.
    public var dependsOnEvaluator: Bool {
        switch self {
        case .communicationRateLLM, .goodQuestionRate, .passAt1, .testPassRate: return true
        default: return false
        }
    }

    public func value(_ metrics: MetricBreakdown) -> Double? {
        switch self {
        case .communicationRate: return metrics.modified.communicationRate
        case .communicationRatePaper: return metrics.modified.communicationRatePaper
        case .communicationRateLLM: return metrics.modified.communicationRateLLM
        case .goodQuestionRate: return metrics.modified.goodQuestionRate
        case .passAt1: return metrics.modified.passAt1
        case .testPassRate: return metrics.modified.testPassRate
        case .overAskingRate: return metrics.overAskingRate
        case .originalPassAt1: return metrics.original.passAt1
        case .originalTestPassRate: return metrics.original.testPassRate
        }
    }

    /// The value of the metric's per-category counterpart (communication, good questions, Pass@1,
    /// test pass rate), for the per-category table and charts.
    static let perCategory: [ReportMetric] = [.communicationRate, .goodQuestionRate, .passAt1, .testPassRate]

    func value(_ summary: MetricSummary) -> Double? {
        switch self {
        case .communicationRate, .overAskingRate: return summary.communicationRate
        case .communicationRatePaper: return summary.communicationRatePaper
        case .communicationRateLLM: return summary.communicationRateLLM
        case .goodQuestionRate: return summary.goodQuestionRate
        case .passAt1, .originalPassAt1: return summary.passAt1
        case .testPassRate, .originalTestPassRate: return summary.testPassRate
        }
    }

    var perCategoryLabel: String {
        switch self {
        case .communicationRate: return "Communication"
        case .goodQuestionRate: return "Good questions"
        case .passAt1: return "Pass@1"
        default: return "Test pass"
        }
    }
}

extension ClarificationCategory {
    /// How reports name a category: `1a (ambiguous)`, `original`.
    public var reportLabel: String {
        switch self {
        case .original: return "original"
        default: return "\(rawValue) (" + kinds.map(\.rawValue).joined(separator: "+") + ")"
        }
    }
}
