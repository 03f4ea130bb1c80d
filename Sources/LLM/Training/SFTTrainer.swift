import Foundation
import Tensor

/// Supervised fine-tuning of a Llama-family checkpoint on chat data, with a LoRA adapter (or all
/// weights), into a run folder (layout in docs/training.md).
///
/// A namespace with a `Progress` value and a callback that may stop the run, as mlx-swift-examples'
/// `LoRATrain`: the library never prints. The loop matches what TRL's `SFTTrainer` + PEFT do with
/// `assistant_only_loss`: AdamW, linear warm-up then cosine/linear decay, gradient accumulation
/// (loss averaged over every supervised token of the optimizer step), clipping, validation loss.
///
/// ```swift
/// let result = try SFTTrainer.run(parameters, output: "runs/a", resume: false) { progress in
///     print(progress.step, progress.loss); return .more
/// }
/// ```
public enum SFTTrainer {
    /// What the callback learns after each optimizer step and each validation.
    public struct Progress: Sendable {
        public enum Event: Sendable { case step, validation }
        public var event: Event
        /// Optimizer steps done (1-based after the first step).
        public var step: Int
        public var totalSteps: Int
        /// Mean loss over the supervised tokens of this step (training) or of the validation set.
        public var loss: Double
        public var learningRate: Float
        /// Tokens (prompt and answer, no padding) per second over this run's steps so far.
        public var tokensPerSecond: Double
        /// Seconds left at the current pace; nil before the first timed step.
        public var eta: Double?
        /// The latest validation loss, if any.
        public var validationLoss: Double?
    }

    /// What the callback answers: go on, or stop after writing a final checkpoint.
    public enum Control: Sendable { case more, stop }

    /// Trains `parameters` into `output`. With `resume`, continues from the newest checkpoint in
    /// `output/checkpoints` exactly (same data order, dropout masks and optimizer state), and the
    /// parameters must equal those in `output/training.json`; without it, `output` must not hold a run.
    public static func run(
        _ parameters: TrainingParameters, output: String, resume: Bool = false,
        progress: (Progress) -> Control = { _ in .more }
    ) throws -> TrainingResult {
        try parameters.validate()
        // Bad data fails here, in seconds, not after the model has loaded (minutes for the larger ones).
        try TrainingData.check(parameters)
        // LoRA keeps a GGUF's quantized weights as they are (no fp32 copy of the base); full
        // fine-tuning trains fp32 weights.
        let model = try LanguageModel(path: parameters.model, precision: parameters.keepsBaseQuantized ? .native : .float32)
        return try run(parameters, model: model, output: output, resume: resume, progress: progress)
    }

    /// The same with the base model already loaded (it must be `parameters.model`; its weights are
    /// shared with the trainer — quantized ones stay so under LoRA — and fp32 ones are changed in
    /// place by full fine-tuning).
    public static func run(
        _ parameters: TrainingParameters, model: LanguageModel, output: String, resume: Bool = false,
        progress: (Progress) -> Control = { _ in .more }
    ) throws -> TrainingResult {
        try parameters.validate()
        // The activations' freed buffers are kept for the next step; what comes after training
        // (evaluation in the same process) should not carry them.
        defer { Storage.releaseCachedBuffers() }
        var session = try TrainingSession(parameters: parameters, model: model, output: output, resume: resume)
        return try session.train(progress: progress)
    }
}

/// What a finished (or stopped) run produced.
public struct TrainingResult: Codable, Sendable, Equatable {
    public var runDirectory: String
    /// The best adapter (lowest validation loss; the last without validation): `RUN_DIR/adapter`.
    /// nil for full fine-tuning.
    public var adapterPath: String?
    /// The final adapter: `RUN_DIR/adapter-last`; nil for full fine-tuning.
    public var lastAdapterPath: String?
    /// The fine-tuned weights (full fine-tuning): `RUN_DIR/model`; nil for LoRA.
    public var modelPath: String?
    public var steps: Int
    public var totalSteps: Int
    /// Whether the callback stopped the run before `totalSteps`.
    public var stopped: Bool
    public var finalLoss: Double?
    public var bestValidationLoss: Double?
    public var bestStep: Int?
    /// Tokens trained on in this process (excluding steps done before a resume).
    public var tokens: Int
    public var tokensPerSecond: Double
    public var wallSeconds: Double
    /// Examples cut from the left of the prompt / left out because too long (bad data stops the
    /// run before training, naming each bad line).
    public var truncatedExamples: Int
    public var skippedExamples: Int

    enum CodingKeys: String, CodingKey {
        case steps, stopped, tokens
        case runDirectory = "run_dir"
        case adapterPath = "adapter"
        case lastAdapterPath = "adapter_last"
        case modelPath = "model"
        case totalSteps = "total_steps"
        case finalLoss = "final_loss"
        case bestValidationLoss = "best_val_loss"
        case bestStep = "best_step"
        case tokensPerSecond = "tokens_per_s"
        case wallSeconds = "wall_s"
        case truncatedExamples = "truncated"
        case skippedExamples = "skipped"
    }
}
