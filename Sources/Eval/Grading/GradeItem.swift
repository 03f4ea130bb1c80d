import ClarifyCore
import Foundation

/// One line of `grade`'s input: a model's first response to a modified problem, with both problem
/// texts and, optionally, a reference grade (GPT-3.5's in HumanEvalComm's logs).
///
/// `{"id", "original", "modified", "response", "reference_grade"?, "category"?}` — `category` is a
/// HumanEvalComm category (`1a` … `3acp`); when absent it is read from an id ending in `promptXX`.
public struct GradeItem: Sendable, Hashable, Codable {
    public var id: String
    public var original: String
    public var modified: String
    public var response: String
    /// 1–3 when the input carries one.
    public var referenceGrade: Int?
    public var category: ClarificationCategory?

    enum CodingKeys: String, CodingKey {
        case id, original, modified, response, category
        case referenceGrade = "reference_grade"
    }

    public init(
        id: String, original: String, modified: String, response: String, referenceGrade: Int? = nil,
        category: ClarificationCategory? = nil
    ) {
        self.id = id
        self.original = original
        self.modified = modified
        self.response = response
        self.referenceGrade = referenceGrade
        self.category = category
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        guard !id.isEmpty else {
            throw DecodingError.dataCorruptedError(forKey: .id, in: container, debugDescription: "the id is empty")
        }
        original = try container.decode(String.self, forKey: .original)
        modified = try container.decode(String.self, forKey: .modified)
        response = try container.decode(String.self, forKey: .response)
        referenceGrade = try container.decodeIfPresent(Int.self, forKey: .referenceGrade)
        if let grade = referenceGrade, !(1...3).contains(grade) {
            throw DecodingError.dataCorruptedError(
                forKey: .referenceGrade, in: container, debugDescription: "a grade is 1, 2 or 3, not \(grade)")
        }
        category = try container.decodeIfPresent(ClarificationCategory.self, forKey: .category)
    }

    /// The category for the evaluator's query: the given one, else the id's `promptXX` suffix, else
    /// `1a` (no evaluator here reads it to grade).
    var queryCategory: ClarificationCategory {
        if let category { return category }
        if let range = id.range(of: "prompt", options: .backwards),
            let parsed = ClarificationCategory(rawValue: String(id[range.upperBound...]))
        {
            return parsed
        }
        return .ambiguous1
    }
}

/// One line of `grade`'s per-item output (`grades.jsonl`).
public struct GradedItem: Sendable, Hashable, Codable {
    public var id: String
    /// 1–3; nil when the evaluator failed on this item (``error`` says why).
    public var quality: Int?
    public var answers: String
    /// The judge's output, verbatim.
    public var judgeOutput: String?
    /// A local judge's evidence (probabilities).
    public var scores: [String: Double]?
    /// What the response is by the project's detector: code, question or neither.
    public var responseKind: String
    public var referenceGrade: Int?
    public var error: String?
    /// Seconds of judging, this item's share of its batch.
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case id, quality, answers, scores, error, seconds
        case judgeOutput = "judge_output"
        case responseKind = "response_kind"
        case referenceGrade = "reference_grade"
    }
}
