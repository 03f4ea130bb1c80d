import Foundation

/// `grade`'s summary (`summary.json`, rendered as `summary.md`): the Good Question Rate and grade
/// distribution of every subset, and, where the input carries reference grades, agreement with them.
public struct GradeSummary: Sendable, Hashable, Codable {
    /// One subset of the graded items.
    public struct Subset: Sendable, Hashable, Codable {
        /// `all`, `questions` (responses the project's detector reads as a question: no code),
        /// `balanced` and `questions_balanced` (as many items of each reference grade as the rarest
        /// has, the same items whatever the evaluator: chosen by a hash of the id).
        public var name: String
        public var items: Int
        /// Share graded 3.
        public var goodQuestionRate: Double?
        /// Items graded 1, 2, 3.
        public var distribution: [Int]
        /// The reference's Good Question Rate and distribution on the same items.
        public var referenceGoodQuestionRate: Double?
        public var referenceDistribution: [Int]?
        public var agreement: Agreement?

        enum CodingKeys: String, CodingKey {
            case name, items, distribution, agreement
            case goodQuestionRate = "good_question_rate"
            case referenceGoodQuestionRate = "reference_good_question_rate"
            case referenceDistribution = "reference_distribution"
        }
    }

    public var evaluator: String
    public var data: String
    public var items: Int
    /// Items the evaluator gave no grade (listed with their error in grades.jsonl).
    public var failed: Int
    /// Input lines skipped under `--on-error skip`, and why (file, line, field).
    public var skippedLines: Int
    public var skippedErrors: [String]
    /// Mean seconds of judging per item graded by this invocation (nil when all came from a resume).
    public var secondsPerItem: Double?
    public var subsets: [Subset]

    enum CodingKeys: String, CodingKey {
        case evaluator, data, items, failed, subsets
        case skippedLines = "skipped_lines"
        case skippedErrors = "skipped_errors"
        case secondsPerItem = "seconds_per_item"
    }

    static func subset(_ name: String, _ items: [GradedItem]) -> Subset {
        let graded = items.compactMap(\.quality)
        func distribution(_ grades: [Int]) -> [Int] { (1...3).map { g in grades.filter { $0 == g }.count } }
        func rate(_ grades: [Int]) -> Double? {
            grades.isEmpty ? nil : Double(grades.filter { $0 == 3 }.count) / Double(grades.count)
        }
        let pairs = items.compactMap { item in
            item.quality.flatMap { q in item.referenceGrade.map { (reference: $0, grade: q) } }
        }
        let references = items.filter { $0.quality != nil }.compactMap(\.referenceGrade)
        return Subset(
            name: name, items: graded.count, goodQuestionRate: rate(graded), distribution: distribution(graded),
            referenceGoodQuestionRate: pairs.isEmpty ? nil : rate(references),
            referenceDistribution: pairs.isEmpty ? nil : distribution(references),
            agreement: pairs.isEmpty ? nil : Agreement(pairs: pairs))
    }

    /// As many items of each reference grade as the rarest grade has, picked by a stable hash of
    /// the id so that every evaluator is measured on the same items.
    static func balanced(_ items: [GradedItem]) -> [GradedItem] {
        let byGrade = Dictionary(grouping: items.filter { $0.referenceGrade != nil }, by: { $0.referenceGrade! })
        guard byGrade.count == 3, let count = byGrade.values.map(\.count).min(), count > 0 else { return [] }
        return (1...3).flatMap { grade in
            byGrade[grade]!.sorted { (stableHash($0.id), $0.id) < (stableHash($1.id), $1.id) }.prefix(count)
        }
    }

    /// FNV-1a over the id's UTF-8: the same on every machine and run (Swift's `hashValue` is seeded).
    static func stableHash(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    /// The summary as Markdown: one table of the subsets, then each subset's confusion matrix.
    public var markdown: String {
        func percent(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
        func number(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "—" }
        var lines = [
            "# Grades by \(evaluator)", "",
            "\(items) items from \(data); \(failed) without a grade; \(skippedLines) input lines skipped."
                + (secondsPerItem.map { String(format: " %.2f s per item.", $0) } ?? ""),
            "",
            "| subset | items | GQR | grades 1/2/3 | reference GQR | reference 1/2/3 | exact agreement | quadratic κ |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for subset in subsets {
            lines.append(
                "| \(subset.name) | \(subset.items) | \(percent(subset.goodQuestionRate)) | "
                    + "\(subset.distribution.map(String.init).joined(separator: "/")) | "
                    + "\(percent(subset.referenceGoodQuestionRate)) | "
                    + "\(subset.referenceDistribution?.map(String.init).joined(separator: "/") ?? "—") | "
                    + "\(percent(subset.agreement?.exact)) | \(number(subset.agreement?.quadraticKappa)) |")
        }
        for subset in subsets {
            guard let agreement = subset.agreement else { continue }
            lines += [
                "", "Confusion, \(subset.name) (rows: reference grade, columns: this evaluator's):", "",
                "| | 1 | 2 | 3 |", "|---|---|---|---|",
            ]
            for (r, row) in agreement.confusion.enumerated() {
                lines.append("| **\(r + 1)** | " + row.map(String.init).joined(separator: " | ") + " |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
