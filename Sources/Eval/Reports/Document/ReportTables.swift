import ClarifyCore

/// A table as text cells, built once from the report and drawn by every renderer, so Markdown and
/// HTML always show the same numbers.
public struct ReportTable: Sendable, Hashable {
    public var headers: [String]
    public var rows: [[String]]
    /// Columns holding numbers (drawn right-aligned).
    public var numericColumns: Set<Int>

    public init(headers: [String], rows: [[String]], numericColumns: Set<Int> = []) {
        self.headers = headers
        self.rows = rows
        self.numericColumns = numericColumns
    }
}

extension EvaluationReport {
    /// What each run measured and how: model, adapter, benchmark, evaluator, seed, samples, items.
    public var runsTable: ReportTable {
        ReportTable(
            headers: [
                "Run", "Model", "Adapter", "Benchmark", "Evaluator", "Seed", "Samples", "Modified prompts",
                "Original prompts",
            ],
            rows: runs.map { run in
                [
                    run.name, run.model, run.adapter ?? ReportFormat.missing, run.benchmark.label, run.evaluator.label,
                    run.seed.map { String($0) } ?? ReportFormat.missing, String(run.samples),
                    String(run.metrics.modified.items), String(run.metrics.original.items),
                ]
            },
            numericColumns: [5, 6, 7, 8])
    }

    /// The headline: every `ReportMetric` for every run, then each later run's difference from the
    /// baseline in percentage points ("not comparable" across benchmarks or evaluator kinds).
    public var headlineTable: ReportTable {
        let later = Array(runs.dropFirst())
        var headers = ["Metric"] + runs.map(\.columnTitle)
        if let baseline { headers += later.map { "Δ \($0.name) − \(baseline.name)" } }
        let rows = headlineMetrics.map { metric -> [String] in
            var row = [metricLabel(metric)] + runs.map { ReportFormat.percent(metric.value($0.metrics)) }
            if let baseline {
                row += later.map { run in
                    comparable(run, metric)
                        ? ReportFormat.pointsDelta(metric.value(baseline.metrics), metric.value(run.metrics))
                        : "not comparable"
                }
            }
            return row
        }
        return ReportTable(headers: headers, rows: rows, numericColumns: Set(1..<headers.count))
    }

    /// Per category (original first, then 1a … 3acp, only those with items): communication, good
    /// questions, Pass@1 and test pass rate, the runs side by side within each metric.
    public var perCategoryTable: ReportTable {
        // One kind of evaluator: the caveat and the headline say so, plain run names suffice here.
        let mixed = Set(runs.map(\.evaluator.gradeKind)).count > 1
        var headers = ["Category", "Items"]
        for metric in ReportMetric.perCategory {
            headers += runs.map { run in
                let title = mixed ? run.columnTitle : run.name
                return runs.count == 1 && !mixed ? metric.perCategoryLabel : "\(metric.perCategoryLabel) · \(title)"
            }
        }
        let rows = categoriesWithData.map { category -> [String] in
            let counts = runs.map { String($0.metrics.perCategory[category]?.items ?? 0) }
            var row = [
                category.reportLabel, Self.unique(counts).count == 1 ? counts[0] : counts.joined(separator: " / "),
            ]
            for metric in ReportMetric.perCategory {
                row += runs.map { ReportFormat.percent($0.metrics.perCategory[category].flatMap(metric.value)) }
            }
            return row
        }
        return ReportTable(headers: headers, rows: rows, numericColumns: Set(1..<headers.count))
    }

    /// The same numbers as ``perCategoryTable`` in six columns, for pages that must fit a window:
    /// one column per metric, each cell the runs' values in order (`4.9% → 51.8%` for two runs).
    public var perCategoryCompactTable: ReportTable {
        let separator = runs.count == 2 ? " → " : " / "
        let order = runs.count > 1 ? " (" + runs.map(\.name).joined(separator: separator) + ")" : ""
        // e.g. "Pass@1 (base → tuned)"; headers wrap, cells do not.
        let headers = ["Category", "Items"] + ReportMetric.perCategory.map { $0.perCategoryLabel + order }
        let rows = categoriesWithData.map { category -> [String] in
            let counts = runs.map { String($0.metrics.perCategory[category]?.items ?? 0) }
            var row = [
                category.reportLabel, Self.unique(counts).count == 1 ? counts[0] : counts.joined(separator: " / "),
            ]
            for metric in ReportMetric.perCategory {
                row.append(
                    runs.map { ReportFormat.percent($0.metrics.perCategory[category].flatMap(metric.value)) }
                        .joined(separator: separator))
            }
            return row
        }
        return ReportTable(headers: headers, rows: rows, numericColumns: Set(1..<headers.count))
    }

    /// Each run's own settings side by side, in the order they first appear.
    public var runSettingsTable: ReportTable {
        let names = Self.unique(runs.flatMap { $0.settings.map(\.name) })
        return ReportTable(
            headers: ["Setting"] + runs.map(\.name),
            rows: names.map { name in
                [name] + runs.map { run in run.settings.first { $0.name == name }?.value ?? ReportFormat.missing }
            })
    }

    /// What made each run and the report: version, commit, model hash, command.
    public var provenanceTable: ReportTable {
        var rows = runs.map { run in Self.provenanceRow(run.name, run.provenance) }
        if let provenance { rows.append(Self.provenanceRow("this report", provenance)) }
        return ReportTable(headers: ["Made by", "ClarifyCoder", "Commit", "Model", "Model SHA-256", "Command"], rows: rows)
    }

    static func provenanceRow(_ name: String, _ provenance: Provenance?) -> [String] {
        guard let provenance else { return [name, "not recorded", "", "", "", ""] }
        return [
            name, provenance.version, provenance.commit.map { String($0.prefix(12)) } ?? "unknown",
            provenance.model ?? ReportFormat.missing,
            provenance.modelSHA256.map { String($0.prefix(16)) + "…" } ?? ReportFormat.missing, provenance.command,
        ]
    }

    /// The experiment's settings.
    public var settingsTable: ReportTable {
        ReportTable(headers: ["Setting", "Value"], rows: settings.map { [$0.name, $0.value] })
    }

    /// Time per stage, with a total.
    public var stagesTable: ReportTable {
        var rows = stages.map { stage in
            [stage.name, ReportFormat.duration(stage.seconds), stage.reused ? "reused from an earlier run" : ""]
        }
        let known = stages.compactMap(\.seconds)
        if !stages.isEmpty { rows.append(["total", ReportFormat.duration(known.reduce(0, +)), ""]) }
        return ReportTable(headers: ["Stage", "Time", "Note"], rows: rows, numericColumns: [1])
    }

    /// The headline rows: every metric, but the LLM classifier's only when some run had one.
    public var headlineMetrics: [ReportMetric] {
        ReportMetric.allCases.filter { metric in
            metric != .communicationRateLLM || runs.contains { metric.value($0.metrics) != nil }
        }
    }

    /// The metric's label, saying who graded when every graded run had the same kind of evaluator.
    func metricLabel(_ metric: ReportMetric) -> String {
        guard metric == .goodQuestionRate else { return metric.label }
        let kinds = Set(runs.map(\.evaluator.gradeKind)).subtracting(["none"])
        if kinds == ["heuristic"] { return metric.label + " (heuristic evaluator, approximate)" }
        if kinds == ["llm"] { return metric.label + " (LLM-graded)" }
        return metric.label
    }

    /// A one-line summary of each training curve: first and last value, lowest value.
    public var trainingSummaries: [String] {
        trainingCurves.flatMap { curve in
            curve.series.compactMap { series -> String? in
                let points = series.points.filter { $0.x.isFinite && $0.y.isFinite }
                guard let first = points.first, let last = points.last, let lowest = points.min(by: { $0.y < $1.y })
                else { return "\(curve.title), \(series.name): no points" }
                if points.count == 1 {
                    return "\(curve.title), \(series.name): \(ReportFormat.fixed(first.y, decimals: 4)) at step "
                        + "\(ReportFormat.fixed(first.x, decimals: 0)) (1 point)"
                }
                func at(_ point: ChartPoint) -> String {
                    "\(ReportFormat.fixed(point.y, decimals: 4)) at step \(ReportFormat.fixed(point.x, decimals: 0))"
                }
                return "\(curve.title), \(series.name): \(at(first)) → \(at(last)) (lowest \(at(lowest)), "
                    + "\(ReportFormat.count(points.count, "point")))"
            }
        }
    }
}
