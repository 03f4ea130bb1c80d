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
            groupBy: train.groupBy, baseWeights: train.baseWeights.flatMap(TrainingParameters.BaseWeights.init),
            checkpointing: train.checkpointing.flatMap(TrainingParameters.Checkpointing.init))
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
            if config.train.backend == TrainBackend.trl.rawValue {
                return try handOff(config, layout: layout, context: context)
            }
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

    /// `train.backend: trl`: writes the TRL job to `RUN_DIR/train/job` (once: a resumed stage keeps
    /// it), its output pointed at `RUN_DIR/train`, and finishes when `RUN_DIR/train/adapter` holds a
    /// PEFT adapter this engine reads. Until then it stops with what to run, and `pipeline --resume`
    /// picks the adapter up; the evaluation of the tuned model then uses it as a local one.
    static func handOff(_ config: PipelineConfig, layout: RunLayout, context: StageContext) throws {
        let job = context.directory + "/job"
        let manager = FileManager.default
        if !(context.resume && manager.fileExists(atPath: job + "/job.json")) {
            try? manager.removeItem(atPath: job)
            let parameters = try parameters(config, layout: layout)
            let model = try TRLJob.huggingFaceModel(
                for: config.train.model, hfModel: config.train.hfModel, option: "train.hf_model")
            let emitted = try TRLJob.emit(parameters, model: model, to: job, outputDirectory: "..")
            for warning in emitted.warnings { context.progress(0, "not carried over: " + warning) }
        }
        guard manager.fileExists(atPath: layout.adapter + "/adapter_config.json") else {
            throw PipelineError("""
                train.backend trl: the training job is in \(job); run it (`bash \(job)/launch.sh single_gpu`, or \
                multi_gpu, fsdp, deepspeed_zero3 — see its README.md), which writes the adapter to \
                \(layout.adapter); \
                run elsewhere, copy its output/adapter folder there. Then `clarifycoder pipeline --out \(layout.root) \
                --resume` evaluates it
                """)
        }
        do { _ = try LoRAAdapter(folder: layout.adapter) } catch {
            throw PipelineError("train.backend trl: \(layout.adapter) is not an adapter this engine reads: \(error)")
        }
        try Provenance.current(model: config.train.model, modelPath: nil).write(toFolder: context.directory)
    }
}
