import ClarifyCore
import Eval
import Foundation

/// The headline numbers of a pipeline run, recomputed from the two run stores
/// (`evaluate-base/run.sqlite`, `evaluate-tuned/run.sqlite`), with the targets of issue 8 checked:
/// `report/summary.json` for scripts (bench/ablation.sh reads it) and `summary.md` for people.
public struct PipelineSummary: Codable, Sendable {
    /// The numbers of one model, as fractions in 0…1 (nil where nothing was measured).
    public struct Headline: Codable, Sendable, Hashable {
        /// Modified prompts answered with a question (strict detector; the paper's rule beside it).
        public var communicationRate: Double?
        public var communicationRatePaper: Double?
        /// Questions graded Good (3) by the evaluator, over modified prompts.
        public var goodQuestionRate: Double?
        /// Pass@1 and Test Pass Rate on modified prompts, after the answers.
        public var passAt1Modified: Double?
        public var testPassRateModified: Double?
        /// HumanEval original prompts answered with a question: over-asking.
        public var overAskingRate: Double?
        /// Pass@1 and Test Pass Rate on HumanEval's original prompts.
        public var passAt1Original: Double?
        public var testPassRateOriginal: Double?

        enum CodingKeys: String, CodingKey {
            case communicationRate = "communication_rate"
            case communicationRatePaper = "communication_rate_paper_rule"
            case goodQuestionRate = "good_question_rate"
            case passAt1Modified = "pass_at_1_modified"
            case testPassRateModified = "test_pass_rate_modified"
            case overAskingRate = "over_asking_rate"
            case passAt1Original = "pass_at_1_original"
            case testPassRateOriginal = "test_pass_rate_original"
        }

        init(_ breakdown: MetricBreakdown) {
            communicationRate = breakdown.modified.communicationRate
            communicationRatePaper = breakdown.modified.communicationRatePaper
            goodQuestionRate = breakdown.modified.goodQuestionRate
            passAt1Modified = breakdown.modified.passAt1
            testPassRateModified = breakdown.modified.testPassRate
            overAskingRate = breakdown.original.communicationRate
            passAt1Original = breakdown.original.passAt1
            testPassRateOriginal = breakdown.original.testPassRate
        }
    }

    public struct Model: Codable, Sendable {
        /// `base` or `tuned`.
        public var name: String
        public var model: String
        public var adapter: String?
        public var store: String
        /// Store run ids: HumanEval originals, then the clarification benchmark.
        public var runIDs: [Int64]
        public var originalPrompts: Int
        public var modifiedPrompts: Int
        public var headline: Headline
        public var breakdown: MetricBreakdown

        enum CodingKeys: String, CodingKey {
            case name, model, adapter, store, headline, breakdown
            case runIDs = "run_ids"
            case originalPrompts = "original_prompts"
            case modifiedPrompts = "modified_prompts"
        }
    }

    /// A target of issue 8 and whether the tuned model met it.
    public struct Target: Codable, Sendable, Hashable {
        public var name: String
        public var requirement: String
        public var value: Double?
        public var met: Bool
        /// Prompts the value is over.
        public var n: Int?
    }

    /// `HumanEvalComm` or `HumanEvalComm (offline, rule-based from HumanEval)`.
    public var benchmark: String
    public var offline: Bool
    /// `heuristic` (approximate grades) or the LLM evaluator's name.
    public var evaluator: String
    public var seed: UInt64
    public var models: [Model]
    public var targets: [Target]
    /// What wrote the summary (the model hashes are in each run store's provenance).
    public var provenance: Provenance? = Provenance()

    /// The honest-reporting notes every rendering carries.
    public var notes: [String] {
        var notes = [
            "Numbers are recomputed from the run stores (evaluate-base/run.sqlite, evaluate-tuned/run.sqlite); seed \(seed).",
            "Clarification benchmark: \(benchmark). Original prompts: HumanEval.",
        ]
        notes.append(evaluator == "heuristic"
            ? "Questions were graded, and answered for round 2, by the offline heuristic evaluator: Good Question Rate and the results after answers are approximate."
            : "Questions were graded and answered by the LLM evaluator \(evaluator).")
        return notes
    }

    static func load(config: PipelineConfig, layout: RunLayout) throws -> PipelineSummary {
        let offline = config.eval.humanevalcomm == "offline"
        var models: [Model] = []
        for tuned in [false, true] {
            let name = tuned ? "tuned" : "base"
            let path = layout.root + "/evaluate-\(name)/run.sqlite"
            let store = try RunStore(path: path)
            let runs = try store.listRuns()
            var ids: [Int64] = []
            var outcomes: [ItemOutcome] = []
            var recorded: String?
            for benchmark in ["humaneval", "humanevalcomm"] {
                guard let run = runs.last(where: { $0.name == EvaluateStage.runName(tuned: tuned, benchmark: benchmark) }) else { continue }
                ids.append(run.id)
                recorded = recorded ?? run.model
                outcomes += try store.outcomes(run: run.id)
            }
            let breakdown = MetricBreakdown(outcomes)
            models.append(Model(
                // The identity the runs recorded (ModelSpec.identity); the config's name before any ran.
                name: name, model: recorded ?? config.train.model, adapter: tuned ? layout.adapter : nil,
                store: path, runIDs: ids, originalPrompts: breakdown.original.items, modifiedPrompts: breakdown.modified.items,
                headline: Headline(breakdown), breakdown: breakdown))
        }
        return PipelineSummary(
            benchmark: offline ? "HumanEvalComm (offline, rule-based from HumanEval)" : "HumanEvalComm (\(config.eval.humanevalcomm))",
            offline: offline, evaluator: config.eval.evaluator, seed: config.seed, models: models,
            targets: targets(base: models[0].breakdown, tuned: models[1].breakdown))
    }

    /// Issue 8's targets for the tuned model, judged by the report's rules (``ReportTarget``).
    static func targets(base: MetricBreakdown, tuned: MetricBreakdown) -> [Target] {
        ReportTarget.evaluate(tuned, baseline: base).map { target in
            Target(
                name: target.name, requirement: target.requirement, value: target.value, met: target.verdict == .met,
                n: target.n)
        }
    }

    /// `summary.json` and `summary.md` into `directory`.
    func write(to directory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        do {
            try encoder.encode(self).write(to: URL(fileURLWithPath: directory + "/summary.json"), options: .atomic)
            try Data(markdown.utf8).write(to: URL(fileURLWithPath: directory + "/summary.md"), options: .atomic)
        } catch { throw PipelineError.io(directory, error) }
    }

    static func percent(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }

    /// The headline table base vs tuned, the targets, and the notes.
    public var markdown: String {
        let rows: [(String, KeyPath<Headline, Double?>)] = [
            ("Communication Rate (modified prompts)", \.communicationRate),
            ("Communication Rate, paper's rule", \.communicationRatePaper),
            ("Good Question Rate" + (evaluator == "heuristic" ? " (heuristic, approx.)" : ""), \.goodQuestionRate),
            ("Pass@1 after answers (modified)", \.passAt1Modified),
            ("Test Pass Rate (modified)", \.testPassRateModified),
            ("Over-asking (HumanEval originals)", \.overAskingRate),
            ("Pass@1 (HumanEval originals)", \.passAt1Original),
        ]
        var lines = ["| metric | " + models.map(\.name).joined(separator: " | ") + " |",
                     "|---|" + models.map { _ in "---:|" }.joined()]
        for (label, path) in rows {
            lines.append("| \(label) | " + models.map { Self.percent($0.headline[keyPath: path]) }.joined(separator: " | ") + " |")
        }
        lines.append("| prompts (modified / original) | "
            + models.map { "\($0.modifiedPrompts) / \($0.originalPrompts)" }.joined(separator: " | ") + " |")
        lines.append("")
        lines.append("Targets (tuned): " + targets.map { "\($0.name) \($0.requirement): \(Self.percent($0.value)) \($0.met ? "met" : "NOT met") (n = \($0.n ?? 0))" }
            .joined(separator: "; ") + ".")
        lines.append("")
        lines += notes
        return lines.joined(separator: "\n") + "\n"
    }
}
