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
            let log = try TrainingLog.read(path: metricsFile)
            curves.append(log.curve(title: "LoRA fine-tuning loss"))
            if let decision = log.decisionCurve() { curves.append(decision) }
        }
        let stages = ledger.order.map { name in
            StageTiming(name: name, seconds: ledger.stages[name]?.seconds, reused: false)
        }
        let settings = ConfigField.all.map { ReportSetting($0.key, $0.value(in: config).description) }
        let runs = try summary.models.map { model in
            try ReportRun(
                name: model.name, model: model.model, adapter: model.adapter,
                benchmark: ReportBenchmark(
                    // The renderers add "(offline)" to an offline benchmark's name themselves.
                    name: "HumanEval originals + HumanEvalComm", isOffline: summary.offline,
                    detail: summary.offline ? "built from HumanEval by the rule-based synthesizer, seed \(config.seed)" : config.eval.humanevalcomm),
                evaluator: summary.evaluator == "heuristic" ? .heuristic : .llm(model: summary.evaluator),
                seed: Int(config.seed), samples: config.eval.samples,
                settings: [
                    ReportSetting("temperature", String(config.eval.temperature)),
                    ReportSetting("max tokens", String(config.eval.maxTokens)),
                    ReportSetting("repetition penalty", config.eval.repetitionPenalty.map { String($0) } ?? "off"),
                    ReportSetting("presence penalty", config.eval.presencePenalty.map { String($0) } ?? "off"),
                    ReportSetting("frequency penalty", config.eval.frequencyPenalty.map { String($0) } ?? "off"),
                    ReportSetting("original prompts", String(model.originalPrompts)),
                    ReportSetting("modified prompts", String(model.modifiedPrompts)),
                ],
                metrics: model.breakdown,
                examples: ReportExample.select(from: try examples(of: model), limit: config.report.examples),
                provenance: RunStore(path: model.store).listRuns().last?.provenance)
        }
        return EvaluationReport(
            title: "ClarifyCoder pipeline: base vs tuned", runs: runs, trainingCurves: curves, stages: stages,
            // The renderers state the evaluator's caveat themselves; the notes add the store and seed.
            settings: settings, notes: Array(summary.notes.prefix(2)), provenance: summary.provenance)
    }

    /// Every question a model asked (sample 0), from its store: on modified prompts what the
    /// benchmark wants, on original prompts over-asking (the selection shows those last).
    static func examples(of model: PipelineSummary.Model) throws -> [ReportExample] {
        let store = try RunStore(path: model.store)
        let executions = try store.executions(run: model.runIDs.last ?? 0)
        var examples: [ReportExample] = []
        for id in model.runIDs {
            let runExecutions = id == model.runIDs.last ? executions : try store.executions(run: id)
            for item in try store.items(run: id) where item.sample == 0 && item.strictVerdict == .question {
                examples.append(ReportExample(
                    problemID: item.problemID, category: item.category, prompt: item.prompt,
                    response: item.questions ?? item.round1Response ?? "", grade: item.category == .original ? nil : item.grade,
                    answer: item.evaluatorAnswers, passed: item.id.flatMap { runExecutions[$0]?.passed }))
            }
        }
        return examples
    }
}
