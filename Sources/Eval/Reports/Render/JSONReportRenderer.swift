import ClarifyCore
import Foundation

/// Renders a report as JSON with stable, snake_case keys (sorted), rates as fractions in 0…1 and
/// `null` where a value is not defined (non-finite losses as the strings `NaN`, `Infinity`) — the
/// same document the other renderers draw, for scripts and dashboards. The layout is documented in
/// docs/reports.md; `schema` names its version.
public enum JSONReportRenderer {
    public static let schema = "clarifycoder.report/1"

    public static func render(_ report: EvaluationReport) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // A diverged training run logs NaN losses; JSON has no NaN, so they become strings.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        var data = try encoder.encode(ReportJSON(report))
        data.append(0x0A)
        return data
    }
}

/// Values are encoded with `encode` (not `encodeIfPresent`), so an undefined number is `null` and
/// every key is always present.
private struct ReportJSON: Encodable {
    let report: EvaluationReport
    init(_ report: EvaluationReport) { self.report = report }

    enum Keys: String, CodingKey {
        case schema, title, notes, caveats, runs, comparisons, training, stages, settings, provenance, targets
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(JSONReportRenderer.schema, forKey: .schema)
        try container.encode(report.title, forKey: .title)
        try container.encode(report.notes, forKey: .notes)
        try container.encode(report.caveats, forKey: .caveats)
        try container.encode(report.runs.map(RunJSON.init), forKey: .runs)
        var comparisons: [ComparisonJSON] = []
        if let baseline = report.baseline {
            for run in report.runs.dropFirst() {
                comparisons.append(ComparisonJSON(report: report, baseline: baseline, run: run))
            }
        }
        try container.encode(comparisons, forKey: .comparisons)
        try container.encode(report.trainingCurves.map(CurveJSON.init), forKey: .training)
        try container.encode(report.stages.map(StageJSON.init), forKey: .stages)
        try container.encode(report.settings.map(SettingJSON.init), forKey: .settings)
        try container.encode(report.provenance, forKey: .provenance)
        try container.encode(report.targets, forKey: .targets)
    }
}

private struct RunJSON: Encodable {
    let run: ReportRun

    enum Keys: String, CodingKey {
        case name, model, adapter, benchmark, evaluator, seed, samples, settings, metrics, examples, provenance
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(run.name, forKey: .name)
        try container.encode(run.model, forKey: .model)
        try container.encode(run.adapter, forKey: .adapter)
        try container.encode(BenchmarkJSON(benchmark: run.benchmark), forKey: .benchmark)
        try container.encode(EvaluatorJSON(evaluator: run.evaluator), forKey: .evaluator)
        try container.encode(run.seed, forKey: .seed)
        try container.encode(run.samples, forKey: .samples)
        try container.encode(run.settings.map(SettingJSON.init), forKey: .settings)
        try container.encode(BreakdownJSON(metrics: run.metrics), forKey: .metrics)
        try container.encode(run.examples.map(ExampleJSON.init), forKey: .examples)
        try container.encode(run.provenance, forKey: .provenance)
    }
}

private struct BenchmarkJSON: Encodable {
    let benchmark: ReportBenchmark
    enum Keys: String, CodingKey { case name, offline, detail }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(benchmark.name, forKey: .name)
        try container.encode(benchmark.isOffline, forKey: .offline)
        try container.encode(benchmark.detail, forKey: .detail)
    }
}

private struct EvaluatorJSON: Encodable {
    let evaluator: ReportEvaluator
    enum Keys: String, CodingKey { case kind, model, approximate }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(evaluator.gradeKind, forKey: .kind)
        if case .llm(let model) = evaluator {
            try container.encode(model, forKey: .model)
        } else {
            try container.encodeNil(forKey: .model)
        }
        try container.encode(evaluator.isApproximate, forKey: .approximate)
    }
}

private struct BreakdownJSON: Encodable {
    let metrics: MetricBreakdown
    enum Keys: String, CodingKey {
        case modified, original
        case overAskingRate = "over_asking_rate"
        case perCategory = "per_category"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(SummaryJSON(summary: metrics.modified), forKey: .modified)
        try container.encode(SummaryJSON(summary: metrics.original), forKey: .original)
        try container.encode(metrics.overAskingRate, forKey: .overAskingRate)
        var categories: [String: SummaryJSON] = [:]
        for (category, summary) in metrics.perCategory { categories[category.rawValue] = SummaryJSON(summary: summary) }
        try container.encode(categories, forKey: .perCategory)
    }
}

private struct SummaryJSON: Encodable {
    let summary: MetricSummary
    enum Keys: String, CodingKey {
        case items
        case communicationRate = "communication_rate"
        case communicationRatePaper = "communication_rate_paper"
        case communicationRateLLM = "communication_rate_llm"
        case goodQuestionRate = "good_question_rate"
        case passAt1 = "pass_at_1"
        case passAtK = "pass_at_k"
        case testPassRate = "test_pass_rate"
        case sandboxErrors = "sandbox_errors"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(summary.items, forKey: .items)
        try container.encode(summary.communicationRate, forKey: .communicationRate)
        try container.encode(summary.communicationRatePaper, forKey: .communicationRatePaper)
        try container.encode(summary.communicationRateLLM, forKey: .communicationRateLLM)
        try container.encode(summary.goodQuestionRate, forKey: .goodQuestionRate)
        try container.encode(summary.passAt1, forKey: .passAt1)
        var passAtK: [String: Double] = [:]
        for (k, value) in summary.passAtK { passAtK[String(k)] = value }
        try container.encode(passAtK, forKey: .passAtK)
        try container.encode(summary.testPassRate, forKey: .testPassRate)
        try container.encode(summary.sandboxErrors, forKey: .sandboxErrors)
    }
}

/// Each later run against the baseline: differences as fractions (0.4 = 40 points), `null` where
/// a value is missing or the runs are not comparable for that metric.
private struct ComparisonJSON: Encodable {
    let report: EvaluationReport
    let baseline: ReportRun
    let run: ReportRun
    enum Keys: String, CodingKey { case run, baseline, differences }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(run.name, forKey: .run)
        try container.encode(baseline.name, forKey: .baseline)
        var differences: [String: Double?] = [:]
        for metric in ReportMetric.allCases {
            var difference: Double? = nil
            if report.comparable(run, metric), let before = metric.value(baseline.metrics),
                let after = metric.value(run.metrics)
            {
                difference = after - before
            }
            differences[metric.rawValue] = .some(difference)
        }
        try container.encode(differences, forKey: .differences)
    }
}

private struct ExampleJSON: Encodable {
    let example: ReportExample
    enum Keys: String, CodingKey {
        case problemID = "problem_id"
        case category, prompt, response, grade, answer, passed
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(example.problemID, forKey: .problemID)
        try container.encode(example.category.rawValue, forKey: .category)
        try container.encode(example.prompt, forKey: .prompt)
        try container.encode(example.response, forKey: .response)
        try container.encode(example.grade, forKey: .grade)
        try container.encode(example.answer, forKey: .answer)
        try container.encode(example.passed, forKey: .passed)
    }
}

private struct CurveJSON: Encodable {
    let curve: TrainingCurve
    enum Keys: String, CodingKey {
        case title
        case logScale = "log_scale"
        case series
    }
    struct SeriesJSON: Encodable {
        let name: String
        let points: [[Double]]
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(curve.title, forKey: .title)
        try container.encode(curve.logScale, forKey: .logScale)
        try container.encode(
            curve.series.map { SeriesJSON(name: $0.name, points: $0.points.map { [$0.x, $0.y] }) }, forKey: .series)
    }
}

private struct StageJSON: Encodable {
    let stage: StageTiming
    enum Keys: String, CodingKey { case name, seconds, reused }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(stage.name, forKey: .name)
        try container.encode(stage.seconds, forKey: .seconds)
        try container.encode(stage.reused, forKey: .reused)
    }
}

private struct SettingJSON: Encodable {
    let setting: ReportSetting
    enum Keys: String, CodingKey { case name, value }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(setting.name, forKey: .name)
        try container.encode(setting.value, forKey: .value)
    }
}
