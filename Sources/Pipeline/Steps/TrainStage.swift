import ClarifyCore
import Eval
import Foundation
import LLM
import Tensor

/// LoRA fine-tuning of the base model on the mixture, through the trainer's library API
/// (``SFTTrainer``) into `RUN_DIR/train` — the trainer's own run folder (training.json, adapter/,
/// adapter-last/, checkpoints/, metrics.jsonl, loss.svg, summary.json), so `clarifycoder export`
/// and `clarifycoder train --resume` work on it as on any training run.
enum TrainStage {
    /// Tokens of an average mixture example (instruction + problem + questions + answers + code),
    /// for the time estimate.
    static let typicalExampleTokens = 330.0
    /// Training throughput assumed before the stage has measured its own (tokens/s, 2 cores).
    static let assumedTokensPerSecond = 130.0

    /// The base checkpoint of `train.model` and its Hugging Face id (nil for a path).
    static func baseModel(_ name: String) throws -> (path: String, id: String?) {
        let spec = try ModelSpec(parsing: name)
        return (try spec.localPath(role: "train.model"), spec.huggingFaceID)
    }

    /// The trainer's parameters for a pipeline config, reading the mixture in `layout`.
    static func parameters(_ config: PipelineConfig, layout: RunLayout) throws -> TrainingParameters {
        let train = config.train
        let base = try baseModel(train.model)
        let targets = try LoRATarget.parseList(train.loraTargets.joined(separator: ","))
        return TrainingParameters(
            model: base.path, baseModelID: base.id,
            lora: .init(rank: train.loraRank, alpha: Float(train.loraAlpha), dropout: Float(train.loraDropout), targets: targets),
            data: layout.mixture, learningRate: Float(train.learningRate),
            schedule: TrainingParameters.Schedule(rawValue: train.schedule) ?? .cosine, warmupSteps: train.warmup,
            steps: train.steps, epochs: train.epochs ?? 1, batchSize: train.batchSize,
            gradientAccumulation: train.gradAccum, maxLength: train.maxLength, seed: config.seed,
            validateEvery: train.validationEvery, checkpointEvery: checkpointInterval(config),
            decision: train.decisionWeight > 0
                ? TrainingParameters.Decision(
                    weight: Float(train.decisionWeight), tokens: train.decisionTokens, skipCommonPrefix: train.decisionSkipPrefix,
                    balanced: train.decisionBalance) : nil,
            groupBy: train.groupBy)
    }

    /// A checkpoint about every 5 minutes of the estimated run, so a kill loses little.
    static func checkpointInterval(_ config: PipelineConfig) -> Int {
        let secondsPerStep = Double(config.train.batchSize * config.train.gradAccum) * typicalExampleTokens / assumedTokensPerSecond
        return max(5, Int(300 / max(secondsPerStep, 0.1)))
    }

    static func estimatedSeconds(_ config: PipelineConfig) -> Double {
        let examples = Double(config.train.batchSize * config.train.gradAccum)
        let steps = Double(config.train.steps ?? (config.train.epochs ?? 1) * 400 / max(1, config.train.batchSize))
        return 15 + steps * examples * typicalExampleTokens / assumedTokensPerSecond
    }

    struct Settings: Encodable {
        var seed: UInt64
        var train: PipelineConfig.Train
    }

    static func stage(_ config: PipelineConfig, layout: RunLayout) -> Stage {
        var settings = Settings(seed: config.seed, train: config.train)
        settings.train.threads = nil  // how fast, not what: changing threads keeps the adapter
        return Stage(
            name: "train", title: "LoRA fine-tuning", settings: settings, dependencies: ["fetch", "mix"],
            estimatedSeconds: estimatedSeconds(config)
        ) { context in
            let parameters = try parameters(config, layout: layout)
            // The trainer resumes from its newest checkpoint; a run killed before it wrote
            // training.json starts over (its folder holds nothing to keep).
            let resume = context.resume && FileManager.default.fileExists(atPath: context.directory + "/training.json")
            if !resume { try? FileManager.default.removeItem(atPath: context.directory) }
            let budget = ThreadBudget.threads(config.train.threads)
            let result = try await budget.run {
                try SFTTrainer.run(parameters, output: context.directory, resume: resume) { progress in
                    var detail = "step \(progress.step)/\(progress.totalSteps) loss \(String(format: "%.3f", progress.loss))"
                    if let validation = progress.validationLoss { detail += " val \(String(format: "%.3f", validation))" }
                    detail += " \(Int(progress.tokensPerSecond)) tok/s"
                    context.progress(Double(progress.step) / Double(max(1, progress.totalSteps)), detail)
                    return Task.isCancelled ? .stop : .more
                }
            }
            try Task.checkCancellation()
            try TrainingLog.writeLossCurve(
                runDirectory: result.runDirectory, title: TrainingLog.lossCurveTitle(parameters))
            try Provenance.current(model: config.train.model, modelPath: parameters.model).write(toFolder: context.directory)
        }
    }
}
