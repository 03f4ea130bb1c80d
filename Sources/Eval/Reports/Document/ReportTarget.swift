import ClarifyCore

/// A target of the project (DESIGN.md; issue 8) and whether a run met it, with the number of
/// prompts behind the figure: "met" on 12 prompts is not "met" on 762.
public struct ReportTarget: Sendable, Hashable, Codable {
    public enum Verdict: String, Sendable, Hashable, Codable {
        case met
        case notMet = "not met"
        /// Nothing was measured (no prompts of that kind, or no baseline to compare with).
        case notMeasured = "not measured"
    }

    public var name: String
    /// `≥ 63%`, `≤ 10%`, `≥ base − 1 point`.
    public var requirement: String
    /// The measured rate (0…1), `nil` when not measured.
    public var value: Double?
    /// Prompts the rate is over.
    public var n: Int
    public var verdict: Verdict

    enum CodingKeys: String, CodingKey { case name, requirement, value, n, verdict }

    /// `value` is written as `null` when not measured, so every key is always present.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(requirement, forKey: .requirement)
        try container.encode(value, forKey: .value)
        try container.encode(n, forKey: .n)
        try container.encode(verdict, forKey: .verdict)
    }

    public init(name: String, requirement: String, value: Double?, n: Int, verdict: Verdict) {
        self.name = name
        self.requirement = requirement
        self.value = value
        self.n = n
        self.verdict = verdict
    }

    /// The targets for `run`, Pass@1 judged against `baseline` (the run before tuning); without a
    /// baseline that one is not measured. The bounds are the paper's results (communication 63%,
    /// good questions 52%) and DESIGN.md's (over-asking ≤ 10%, coding kept within one point).
    public static func evaluate(_ run: MetricBreakdown, baseline: MetricBreakdown?) -> [ReportTarget] {
        func judge(_ value: Double?, n: Int, _ test: (Double) -> Bool) -> Verdict {
            guard let value, n > 0 else { return .notMeasured }
            return test(value) ? .met : .notMet
        }
        let modified = run.modified.items
        let original = run.original.items
        let floor = baseline?.original.passAt1.map { $0 - 0.01 }
        return [
            ReportTarget(
                name: "Communication Rate", requirement: "≥ 63%", value: run.modified.communicationRate, n: modified,
                verdict: judge(run.modified.communicationRate, n: modified) { $0 >= 0.63 }),
            ReportTarget(
                name: "Good Question Rate", requirement: "≥ 52%", value: run.modified.goodQuestionRate, n: modified,
                verdict: judge(run.modified.goodQuestionRate, n: modified) { $0 >= 0.52 }),
            ReportTarget(
                name: "Over-asking on original prompts", requirement: "≤ 10%", value: run.overAskingRate, n: original,
                verdict: judge(run.overAskingRate, n: original) { $0 <= 0.10 }),
            ReportTarget(
                name: "Pass@1 on original prompts", requirement: "≥ baseline − 1 point", value: run.original.passAt1,
                n: original,
                verdict: floor.map { bound in judge(run.original.passAt1, n: original) { $0 >= bound - 1e-12 } }
                    ?? .notMeasured),
        ]
    }
}

extension EvaluationReport {
    /// The targets, judged on the last run (the tuned model) against the first (the baseline);
    /// with one run, on that run alone.
    public var targets: [ReportTarget] {
        guard let last = runs.last else { return [] }
        return ReportTarget.evaluate(last.metrics, baseline: runs.count > 1 ? runs.first?.metrics : nil)
    }

    /// The targets as a table: target, requirement, value, n, verdict.
    public var targetsTable: ReportTable {
        ReportTable(
            headers: ["Target (\(runs.last?.name ?? "run"))", "Required", "Measured", "n (prompts)", "Verdict"],
            rows: targets.map { target in
                [target.name, target.requirement, ReportFormat.percent(target.value), String(target.n),
                 target.verdict.rawValue]
            },
            numericColumns: [2, 3])
    }
}
