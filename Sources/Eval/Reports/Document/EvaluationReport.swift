import ClarifyCore

/// A report on one or more evaluation runs, ready for any renderer (JSON, Markdown, HTML).
///
/// One run gives its own report; several are shown side by side, each later run compared with the
/// first (the baseline: "base" before "tuned"). The pipeline adds what only it knows — training
/// curves, the time each stage took, its settings — and the renderers show whatever is present.
/// Nothing here reads files or clocks, so a report is a pure function of its document.
public struct EvaluationReport: Sendable, Hashable {
    public var title: String
    /// The runs, baseline first.
    public var runs: [ReportRun]
    /// Loss curves (train and validation) to draw, one chart each.
    public var trainingCurves: [TrainingCurve]
    /// How long each stage took, in order.
    public var stages: [StageTiming]
    /// Settings of the whole experiment (the pipeline's resolved config), in order.
    public var settings: [ReportSetting]
    /// Free-text notes shown under the title (one paragraph each).
    public var notes: [String]
    /// What wrote the report (each run carries its own).
    public var provenance: Provenance?

    public init(
        title: String, runs: [ReportRun], trainingCurves: [TrainingCurve] = [], stages: [StageTiming] = [],
        settings: [ReportSetting] = [], notes: [String] = [], provenance: Provenance? = nil
    ) {
        self.provenance = provenance
        self.title = title
        self.runs = runs
        self.trainingCurves = trainingCurves
        self.stages = stages
        self.settings = settings
        self.notes = notes
    }

    /// The baseline every later run is compared with.
    public var baseline: ReportRun? { runs.first }

    /// Categories (original first, then 1a … 3acp) in which any run has items.
    public var categoriesWithData: [ClarificationCategory] {
        ClarificationCategory.allCases.filter { category in
            runs.contains { ($0.metrics.perCategory[category]?.items ?? 0) > 0 }
        }
    }

    /// Warnings every renderer shows prominently: approximate grades, offline benchmarks, runs that
    /// cannot be compared. Deterministic order.
    public var caveats: [String] {
        var caveats: [String] = []
        let heuristic = runs.filter { $0.evaluator.isApproximate }.map(\.name)
        if !heuristic.isEmpty {
            caveats.append(
                "Approximate: question grades and the answers used in round 2 for "
                    + Self.list(heuristic)
                    + " come from the offline heuristic evaluator, not an LLM judge. Good Question Rate and the "
                    + "Pass@1 and Test Pass Rate after answers are approximate and not comparable with the paper's "
                    + "LLM-graded figures.")
        }
        for benchmark in Self.unique(runs.map(\.benchmark)) where benchmark.isOffline {
            let names = runs.filter { $0.benchmark == benchmark }.map(\.name)
            caveats.append(
                "Offline benchmark: \(Self.list(names)) \(names.count == 1 ? "was" : "were") measured on "
                    + "\(benchmark.name)" + (benchmark.detail.map { " (\($0))" } ?? "")
                    + ", not the published HumanEvalComm; compare these numbers with each other, not with the paper.")
        }
        if let baseline {
            for run in runs.dropFirst() {
                if run.benchmark != baseline.benchmark {
                    caveats.append(
                        "\(run.name) and \(baseline.name) ran on different benchmarks; their differences are not shown."
                    )
                } else if run.evaluator.gradeKind != baseline.evaluator.gradeKind {
                    caveats.append(
                        "\(run.name) and \(baseline.name) were graded by different evaluators "
                            + "(\(run.evaluator.label) vs \(baseline.evaluator.label)); differences in grades and in "
                            + "results after answers are not shown.")
                }
            }
        }
        return caveats
    }

    /// Whether `metric` may be compared between `run` and the baseline: same benchmark, and the same
    /// kind of evaluator where the metric depends on it.
    public func comparable(_ run: ReportRun, _ metric: ReportMetric) -> Bool {
        guard let baseline else { return false }
        guard run.benchmark == baseline.benchmark else { return false }
        return !metric.dependsOnEvaluator || run.evaluator.gradeKind == baseline.evaluator.gradeKind
    }

    static func list(_ names: [String]) -> String {
        switch names.count {
        case 0: return ""
        case 1: return names[0]
        default: return names.dropLast().joined(separator: ", ") + " and " + names.last!
        }
    }

    static func unique<T: Hashable>(_ items: [T]) -> [T] {
        var seen = Set<T>()
        return items.filter { seen.insert($0).inserted }
    }
}

/// One evaluation run as a report shows it: what was measured, how, and the results.
public struct ReportRun: Sendable, Hashable {
    /// The name in column headers and legends ("base", "tuned").
    public var name: String
    /// The model ("smollm2", "openai:gpt-4o-mini", a GGUF path).
    public var model: String
    /// The LoRA adapter folder, when one was applied.
    public var adapter: String?
    public var benchmark: ReportBenchmark
    public var evaluator: ReportEvaluator
    public var seed: Int?
    /// Samples per prompt (n of pass@k).
    public var samples: Int
    /// Further settings of the run (temperature, max tokens, limit…), in order.
    public var settings: [ReportSetting]
    public var metrics: MetricBreakdown
    /// Examples of questions the model asked, already chosen (see `ReportExample.select`).
    public var examples: [ReportExample]
    /// What made the run, as its store recorded it (`nil` for runs stored before it was).
    public var provenance: Provenance?

    public init(
        name: String, model: String, adapter: String? = nil, benchmark: ReportBenchmark, evaluator: ReportEvaluator,
        seed: Int? = nil, samples: Int = 1, settings: [ReportSetting] = [], metrics: MetricBreakdown,
        examples: [ReportExample] = [], provenance: Provenance? = nil
    ) {
        self.provenance = provenance
        self.name = name
        self.model = model
        self.adapter = adapter
        self.benchmark = benchmark
        self.evaluator = evaluator
        self.seed = seed
        self.samples = samples
        self.settings = settings
        self.metrics = metrics
        self.examples = examples
    }

    /// The run's name with its evaluator when grades are involved, for column headers: a heuristic
    /// number is never in a column that does not say so.
    public var columnTitle: String {
        evaluator.isApproximate ? "\(name) (heuristic, approx.)" : name
    }
}

/// The benchmark a run measured.
public struct ReportBenchmark: Sendable, Hashable {
    /// "HumanEval", "HumanEvalComm", "HumanEvalComm (offline)".
    public var name: String
    /// Built here (from HumanEval by the rule-based synthesizer) rather than the published benchmark.
    public var isOffline: Bool
    /// Where it came from: a file path, or how it was built.
    public var detail: String?

    public init(name: String, isOffline: Bool = false, detail: String? = nil) {
        self.name = name
        self.isOffline = isOffline
        self.detail = detail
    }

    public var label: String { isOffline ? "\(name) (offline)" : name }
}

/// Who graded the questions and answered them in round 2.
public enum ReportEvaluator: Sendable, Hashable {
    /// No questions were graded (plain HumanEval, or the no-clarification baseline).
    case none
    /// The offline heuristic evaluator: approximate.
    case heuristic
    /// An LLM judge, by model name.
    case llm(model: String)

    public var isApproximate: Bool { self == .heuristic }

    /// Grades of the same kind can be compared; two LLM judges count as one kind.
    public var gradeKind: String {
        switch self {
        case .none: return "none"
        case .heuristic: return "heuristic"
        case .llm: return "llm"
        }
    }

    public var label: String {
        switch self {
        case .none: return "none"
        case .heuristic: return "heuristic (approximate)"
        case .llm(let model): return "LLM-graded (\(model))"
        }
    }
}

/// A named setting, shown as written.
public struct ReportSetting: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// How long a stage of the pipeline took; `reused` when a finished stage was taken from an
/// earlier run instead of being redone.
public struct StageTiming: Sendable, Hashable {
    public var name: String
    public var seconds: Double?
    public var reused: Bool

    public init(name: String, seconds: Double?, reused: Bool = false) {
        self.name = name
        self.seconds = seconds
        self.reused = reused
    }
}

/// A training curve: one chart of loss against step, train and validation series together.
public struct TrainingCurve: Sendable, Hashable {
    public var title: String
    public var series: [LineChart.Series]
    public var logScale: Bool
    /// What the curves measure, shown under the chart.
    public var explanation: String?

    public init(title: String, series: [LineChart.Series], logScale: Bool = false, explanation: String? = nil) {
        self.title = title
        self.series = series
        self.logScale = logScale
        self.explanation = explanation
    }
}
