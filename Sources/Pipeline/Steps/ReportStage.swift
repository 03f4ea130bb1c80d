import ClarifyCore
import Eval
import Foundation

/// The before/after report, rebuilt from the run stores (never from numbers kept aside): the
/// headline table base vs tuned, per category, the training curve, example questions, the
/// settings and the time each stage took — HTML and Markdown through the reports engineer's
/// renderers — plus `summary.json` / `summary.md`, the headline numbers and the targets of issue 8
/// for scripts (bench/ablation.sh) and the CLI.
enum ReportStage {
    struct Settings: Encodable {
        var report: PipelineConfig.Report
    }

    static func stage(_ config: PipelineConfig, layout: RunLayout) -> Stage {
        Stage(
            name: "report", title: "write the report", settings: Settings(report: config.report),
            dependencies: ["train", "evaluate-base", "evaluate-tuned"], estimatedSeconds: 2
        ) { context in
            let summary = try PipelineSummary.load(config: config, layout: layout)
            let report = try document(config: config, layout: layout, summary: summary)
            let formats = config.report.formats.compactMap(ReportFileFormat.init(rawValue:))
            try ReportWriter.write(report, to: context.directory, formats: formats)
            try summary.write(to: context.directory)
            context.progress(1, "report written")
        }
    }

    /// The report document of a run folder whose evaluations are done.
    static func document(config: PipelineConfig, layout: RunLayout, summary: PipelineSummary) throws -> EvaluationReport {
        let ledger = try StageLedger.load(runDirectory: layout.root)
        var curves: [TrainingCurve] = []
        let metricsFile = layout.training + "/metrics.jsonl"
        if FileManager.default.fileExists(atPath: metricsFile) {
            curves.append(try TrainingLog.read(path: metricsFile).curve(title: "LoRA fine-tuning loss"))
        }
        let stages = ledger.order.map { name in
            StageTiming(name: name, seconds: ledger.stages[name]?.seconds, reused: false)
        }
        let settings = ConfigField.all.map { ReportSetting($0.key, $0.value(in: config).description) }
        let runs = summary.models.map { model in
            ReportRun(
                name: model.name, model: model.model, adapter: model.adapter,
                benchmark: ReportBenchmark(
                    name: "HumanEval originals + " + summary.benchmark, isOffline: summary.offline,
                    detail: summary.offline ? "built from HumanEval by the rule-based synthesizer, seed \(config.seed)" : config.eval.humanevalcomm),
                evaluator: summary.evaluator == "heuristic" ? .heuristic : .llm(model: summary.evaluator),
                seed: config.seed, samples: config.eval.samples,
                settings: [
                    ReportSetting("temperature", String(config.eval.temperature)),
                    ReportSetting("max tokens", String(config.eval.maxTokens)),
                    ReportSetting("HumanEval problems", String(model.originalProblems)),
                    ReportSetting("benchmark problems", String(model.modifiedProblems)),
                ],
                metrics: model.breakdown, examples: model.examples(limit: config.report.examples))
        }
        return EvaluationReport(
            title: "ClarifyCoder pipeline: base vs tuned", runs: runs, trainingCurves: curves, stages: stages,
            settings: settings, notes: summary.notes)
    }
}
