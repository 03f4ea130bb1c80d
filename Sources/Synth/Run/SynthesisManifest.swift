import ClarifyCore
import Foundation

/// The summary of a finished run: counts per category and kind, quality-control rejections,
/// and the settings — written as `manifest.json` and rendered as the dataset card.
public struct SynthesisManifest: Codable, Sendable, Hashable {
    public var synthesizer: String
    public var source: String
    public var seed: UInt64
    public var perProblem: Int
    public var problems: Int
    /// Problems for which no variant was kept.
    public var problemsWithoutExamples: Int
    public var examples: Int
    public var perCategory: [String: Int]
    public var perKind: [String: Int]
    /// Quality-control rejections by reason (every reason listed, zeros included).
    public var rejections: [String: Int]
    /// Attempts for which no rule applied (e.g. no example to contradict).
    public var inapplicable: Int
    /// Attempts that failed, by ``AttemptFailure/Reason`` (every reason listed, zeros included):
    /// unreadable model output, backend errors, and variants dropped by verified ambiguity.
    public var failures: [String: Int]
    /// What made the run (absent from manifests written before it was recorded).
    public var provenance: Provenance?

    enum CodingKeys: String, CodingKey {
        case synthesizer, source, seed, problems, examples, rejections, inapplicable, failures, provenance
        case perProblem = "per_problem"
        case problemsWithoutExamples = "problems_without_examples"
        case perCategory = "per_category"
        case perKind = "per_kind"
    }

    init(settings: RunSettings, entries: [LedgerEntry], examples: [ClarifyExample], provenance: Provenance? = nil) {
        self.provenance = provenance
        synthesizer = settings.synthesizer
        source = settings.source
        seed = settings.seed
        perProblem = settings.perProblem
        problems = entries.count
        problemsWithoutExamples = entries.filter { $0.kept == 0 }.count
        self.examples = examples.count
        perCategory = Dictionary(grouping: examples, by: \.category.rawValue).mapValues(\.count)
        var kinds: [String: Int] = [:]
        for example in examples { for kind in example.kinds { kinds[kind.rawValue, default: 0] += 1 } }
        perKind = kinds
        var rejections = Dictionary(uniqueKeysWithValues: RejectionReason.allCases.map { ($0.rawValue, 0) })
        for entry in entries { for (reason, count) in entry.rejected { rejections[reason.rawValue, default: 0] += count } }
        self.rejections = rejections
        inapplicable = entries.reduce(0) { $0 + $1.inapplicable }
        var failures = Dictionary(uniqueKeysWithValues: AttemptFailure.Reason.allCases.map { ($0.rawValue, 0) })
        for entry in entries { for (reason, count) in entry.failures { failures[reason.rawValue, default: 0] += count } }
        self.failures = failures
    }

    var json: Data { (try? OutputFiles.encoder.encode(self)) ?? Data() }

    /// The dataset card: what is in the directory, counts per kind, rejections, the command.
    func card(command: String) -> String {
        var lines = [
            "# Clarification dataset", "",
            "Synthesized by ClarifyCoder's `\(synthesizer)` synthesizer from `\(source)` (\(problems) problems, seed \(seed)).", "",
            "```sh", command.isEmpty ? "clarifycoder synthesize" : command, "```", "",
            provenance.map { "Made by \($0.summary)." } ?? "", "",
            "## Contents", "",
            "| file | what |", "|---|---|",
            "| `examples.jsonl` | one clarify example per line: problem id, category, rewritten prompt, changes, questions, answers, code, dialogue |",
            "| `humanevalcomm.jsonl` | the variants as HumanEvalComm records (`prompt1a` …), an offline clarification benchmark |",
            "| `problems.jsonl` | per-problem counts (the resume ledger) |",
            "| `manifest.json` | the counts below, machine-readable |", "",
            "## Counts", "",
            "\(examples) examples; \(problemsWithoutExamples) problems without any.", "",
            "| category | examples |", "|---|---|",
        ]
        for category in ClarificationCategory.allCases where perCategory[category.rawValue] != nil {
            lines.append("| \(category.rawValue) | \(perCategory[category.rawValue]!) |")
        }
        lines += ["", "| kind | examples involving it |", "|---|---|"]
        for kind in AmbiguityKind.allCases { lines.append("| \(kind.rawValue) | \(perKind[kind.rawValue] ?? 0) |") }
        lines += ["", "## Quality control", "", "| rejected because | count |", "|---|---|"]
        for reason in RejectionReason.allCases.sorted() { lines.append("| \(reason.rawValue) | \(rejections[reason.rawValue] ?? 0) |") }
        lines += ["", "Attempts where no rule applied: \(inapplicable).", ""]
        lines += ["## Failed attempts", "", "| failed because | count |", "|---|---|"]
        for reason in AttemptFailure.Reason.allCases.sorted() { lines.append("| \(reason.rawValue) | \(failures[reason.rawValue] ?? 0) |") }
        lines.append("")
        return lines.joined(separator: "\n")
    }
}
