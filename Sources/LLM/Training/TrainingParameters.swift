import Foundation
import Tensor

/// Everything that decides a fine-tuning run, as the CLI and the pipeline resolve it. Written to
/// `RUN_DIR/training.json` (snake_case keys, the run-folder contract in docs/training.md) so a run
/// can be resumed, exported and reproduced from its folder alone.
///
/// Defaults follow the paper's recipe where it applies to a small model on a CPU (LoRA r=16,
/// alpha=16, dropout 0.05 on q/k/v/o; loss on the answer only) and PEFT/TRL otherwise (AdamW
/// with weight decay 0.01 as `torch.optim.AdamW`, gradient clipping at 1.0 as `transformers`).
public struct TrainingParameters: Codable, Sendable, Equatable {
    /// The LoRA settings (ignored with ``fullFineTune``): the shared ``LoRASettings`` value.
    public typealias LoRA = LoRASettings

    /// The learning-rate decay after warm-up (``LearningRateSchedule``).
    public enum Schedule: String, Codable, Sendable, CaseIterable {
        case cosine, linear, constant

        var decay: LearningRateSchedule.Decay {
            switch self {
            case .cosine: .cosine
            case .linear: .linear
            case .constant: .constant
            }
        }
    }

    /// What to do with an example longer than ``maxLength`` tokens.
    public enum Overflow: String, Codable, Sendable, CaseIterable {
        /// Leave it out and count it in the summary (default): nothing is trained on a cut answer.
        case skip
        /// Drop tokens from the left of the prompt (never from a supervised answer); skipped when
        /// the supervised part alone does not fit.
        case truncatePrompt = "truncate-prompt"
    }

    /// An extra loss term on the opening of each example's first answer, where a clarification-aware
    /// model decides between asking and coding. Averaged over every supervised token, that decision
    /// is one token among hundreds of code tokens and barely moves the model; this term adds
    /// `weight` × the mean cross-entropy over the first `tokens` tokens of every first answer.
    ///
    /// The two means are over very different counts: a step has a few opening tokens and hundreds of
    /// supervised ones, so each opening token weighs about `weight` × supervised / openings code
    /// tokens (≈ 150 × `weight` for a step of 4 examples, ~600 answer tokens in all). Weights of 1–5
    /// make that term the whole gradient, clipped to `maxGradNorm`, and the plain loss stops training
    /// (BENCHMARKS.md, runs e6/e7: the model never learned its opening); 0.2 keeps both.
    ///
    /// With `skipCommonPrefix` the term starts after the tokens every first answer of the training
    /// data shares ("The requirements are" before " clear"/" unclear"): weighting those shared tokens
    /// too makes the model say them everywhere — after its own sentence again, in a loop.
    ///
    /// With `balanced` the term gives each decision — each distinct sequence of covered opening
    /// tokens, such as " clear" and " unclear" — the same weight in a step, whatever their counts: the
    /// term is `weight` × the mean over the decisions present of each one's mean cross-entropy. A
    /// mixture can then hold every rewrite of a problem (original:clarify 25:75) without teaching
    /// the model to ask three times in four; the plain loss still trains on every example.
    public struct Decision: Codable, Sendable, Equatable {
        public var weight: Float
        public var tokens: Int
        public var skipCommonPrefix: Bool
        public var balanced: Bool

        public init(weight: Float, tokens: Int = 5, skipCommonPrefix: Bool = false, balanced: Bool = false) {
            self.weight = weight
            self.tokens = tokens
            self.skipCommonPrefix = skipCommonPrefix
            self.balanced = balanced
        }

        enum CodingKeys: String, CodingKey {
            case weight, tokens, balanced
            case skipCommonPrefix = "skip_common_prefix"
        }

        /// `skip_common_prefix` and `balanced` are absent from runs saved before they existed:
        /// false, as they trained.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            weight = try c.decode(Float.self, forKey: .weight)
            tokens = try c.decode(Int.self, forKey: .tokens)
            skipCommonPrefix = try c.decodeIfPresent(Bool.self, forKey: .skipCommonPrefix) ?? false
            balanced = try c.decodeIfPresent(Bool.self, forKey: .balanced) ?? false
        }

        /// `balanced` is written only when true, so the settings of runs without it read as before.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(weight, forKey: .weight)
            try c.encode(tokens, forKey: .tokens)
            try c.encode(skipCommonPrefix, forKey: .skipCommonPrefix)
            if balanced { try c.encode(true, forKey: .balanced) }
        }
    }

    /// How LoRA holds the frozen base (full fine-tuning always trains fp32 weights).
    public enum BaseWeights: String, Codable, Sendable, CaseIterable {
        /// A GGUF's quantized weights stay in their blocks (QLoRA-style): forward and the input
        /// gradient decode tiles into SGEMM, so no fp32 copy of the base is ever made. Other files
        /// (fp32/fp16/bf16 weights) are fp32 either way.
        case quantized
        /// Every base weight dequantized to fp32 once (4–8× the memory; what PEFT does on CPU).
        case float32
    }

    /// Activation checkpointing of the transformer layers (``LlamaGraph/checkpointLayers``).
    public enum Checkpointing: String, Codable, Sendable, CaseIterable {
        /// On for models of ``TrainingParameters/checkpointingThreshold`` parameters or more.
        case auto
        case on, off
    }

    /// Models with at least this many parameters recompute layer activations in backward under
    /// ``Checkpointing/auto``: Qwen2.5-Coder-0.5B keeps ~220 MB of activations per layer at
    /// 4 × 512 tokens (5 GB for 24 layers) without it; SmolLM2-135M stays as fast as before.
    public static let checkpointingThreshold = 300_000_000

    /// The base checkpoint: a `.gguf` file or a Hugging Face folder.
    public var model: String
    /// The Hugging Face id the base came from (PEFT's `base_model_name_or_path`), or nil.
    public var baseModelID: String?
    /// Train every weight instead of a LoRA adapter (small models only: memory is 4× the weights).
    public var fullFineTune: Bool
    public var lora: LoRA
    /// Chat JSONL, or a mixture folder / its `manifest.json` from `clarifycoder mix`.
    public var data: String
    /// Chat JSONL for validation loss; nil takes the mixture's `validation` split when there is one.
    public var validation: String?
    /// Peak learning rate.
    public var learningRate: Float
    public var schedule: Schedule
    public var warmupSteps: Int
    /// Optimizer steps; nil derives them from ``epochs``.
    public var steps: Int?
    /// Passes over the data (each stage of a mixture in turn) when ``steps`` is nil.
    public var epochs: Int
    /// Examples per micro-batch.
    public var batchSize: Int
    /// Micro-batches per optimizer step.
    public var gradientAccumulation: Int
    /// Longest example in tokens (prompt + answer).
    public var maxLength: Int
    public var overflow: Overflow
    /// Supervise only the last assistant turn of each dialogue (default: every assistant turn).
    public var lastAssistantOnly: Bool
    public var seed: UInt64
    public var weightDecay: Float
    /// Global gradient-norm clip; 0 turns clipping off.
    public var maxGradNorm: Float
    /// Validation every this many steps (and at the end); 0: only at the end.
    public var validateEvery: Int
    /// A checkpoint every this many steps (and at the end); 0: only at the end.
    public var checkpointEvery: Int
    /// Chat format by name when the checkpoint's own is not recognised (see ``ChatTemplate/names``).
    public var template: String?
    /// The decision loss term; nil (the default) trains on the mean over supervised tokens alone.
    public var decision: Decision?
    /// A metadata key (e.g. `problem_id`) whose examples are kept in the same micro-batch: a clear
    /// problem and its rewrites side by side, so each step sees the contrast that decides between
    /// asking and coding instead of a batch of one kind (see ``BatchPlan``). Nil: batches by length alone.
    public var groupBy: String?
    /// How LoRA holds the base; nil: ``BaseWeights/quantized``.
    public var baseWeights: BaseWeights?
    /// Layer checkpointing; nil: ``Checkpointing/auto``.
    public var checkpointing: Checkpointing?

    public init(
        model: String, baseModelID: String? = nil, fullFineTune: Bool = false, lora: LoRA = LoRA(), data: String,
        validation: String? = nil, learningRate: Float = 1e-4, schedule: Schedule = .cosine,
        warmupSteps: Int = 0, steps: Int? = nil, epochs: Int = 1, batchSize: Int = 4, gradientAccumulation: Int = 1,
        maxLength: Int = 1024, overflow: Overflow = .skip, lastAssistantOnly: Bool = false, seed: UInt64 = 0,
        weightDecay: Float = 0.01, maxGradNorm: Float = 1, validateEvery: Int = 50, checkpointEvery: Int = 100,
        template: String? = nil, decision: Decision? = nil, groupBy: String? = nil, baseWeights: BaseWeights? = nil,
        checkpointing: Checkpointing? = nil
    ) {
        self.model = model
        self.baseModelID = baseModelID
        self.fullFineTune = fullFineTune
        self.lora = lora
        self.data = data
        self.validation = validation
        self.learningRate = learningRate
        self.schedule = schedule
        self.warmupSteps = warmupSteps
        self.steps = steps
        self.epochs = epochs
        self.batchSize = batchSize
        self.gradientAccumulation = gradientAccumulation
        self.maxLength = maxLength
        self.overflow = overflow
        self.lastAssistantOnly = lastAssistantOnly
        self.seed = seed
        self.weightDecay = weightDecay
        self.maxGradNorm = maxGradNorm
        self.validateEvery = validateEvery
        self.checkpointEvery = checkpointEvery
        self.template = template
        self.decision = decision
        self.groupBy = groupBy
        self.baseWeights = baseWeights
        self.checkpointing = checkpointing
    }

    /// Whether the trainer keeps a quantized base quantized (LoRA, unless ``baseWeights`` is fp32).
    public var keepsBaseQuantized: Bool { !fullFineTune && (baseWeights ?? .quantized) == .quantized }

    /// Whether layers are checkpointed for a model of `parameterCount` parameters.
    public func checkpointsLayers(parameterCount: Int) -> Bool {
        switch checkpointing ?? .auto {
        case .on: true
        case .off: false
        case .auto: parameterCount >= Self.checkpointingThreshold
        }
    }

    enum CodingKeys: String, CodingKey {
        case model, lora, data, schedule, steps, epochs, overflow, seed, template, decision
        case baseModelID = "base_model_id"
        case fullFineTune = "full_fine_tune"
        case validation = "val"
        case learningRate = "lr"
        case warmupSteps = "warmup"
        case batchSize = "batch"
        case gradientAccumulation = "grad_accum"
        case maxLength = "max_length"
        case lastAssistantOnly = "last_assistant_only"
        case groupBy = "group_by"
        case baseWeights = "base_weights"
        case checkpointing
        case weightDecay = "weight_decay"
        case maxGradNorm = "max_grad_norm"
        case validateEvery = "val_every"
        case checkpointEvery = "checkpoint_every"
    }

    /// `base_model_id` and `val` are written as null when absent, so readers see every key.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encode(baseModelID, forKey: .baseModelID)
        try c.encode(fullFineTune, forKey: .fullFineTune)
        try c.encode(lora, forKey: .lora)
        try c.encode(data, forKey: .data)
        try c.encode(validation, forKey: .validation)
        try c.encode(learningRate, forKey: .learningRate)
        try c.encode(schedule, forKey: .schedule)
        try c.encode(warmupSteps, forKey: .warmupSteps)
        try c.encode(steps, forKey: .steps)
        try c.encode(epochs, forKey: .epochs)
        try c.encode(batchSize, forKey: .batchSize)
        try c.encode(gradientAccumulation, forKey: .gradientAccumulation)
        try c.encode(maxLength, forKey: .maxLength)
        try c.encode(overflow, forKey: .overflow)
        try c.encode(lastAssistantOnly, forKey: .lastAssistantOnly)
        try c.encode(seed, forKey: .seed)
        try c.encode(weightDecay, forKey: .weightDecay)
        try c.encode(maxGradNorm, forKey: .maxGradNorm)
        try c.encode(validateEvery, forKey: .validateEvery)
        try c.encode(checkpointEvery, forKey: .checkpointEvery)
        try c.encode(template, forKey: .template)
        try c.encodeIfPresent(decision, forKey: .decision)
        try c.encodeIfPresent(groupBy, forKey: .groupBy)
        try c.encodeIfPresent(baseWeights, forKey: .baseWeights)
        try c.encodeIfPresent(checkpointing, forKey: .checkpointing)
    }

    /// Checks ranges and combinations, naming the option at fault.
    public func validate() throws {
        func fail(_ message: String) -> TrainingError { TrainingError(message) }
        if !fullFineTune {
            guard lora.rank > 0 else { throw fail("lora rank must be positive, got \(lora.rank)") }
            guard lora.alpha > 0 else { throw fail("lora alpha must be positive, got \(lora.alpha)") }
            guard lora.dropout >= 0 && lora.dropout < 1 else {
                throw fail("lora dropout must be in [0, 1), got \(lora.dropout)")
            }
            guard !lora.targets.isEmpty else { throw fail("lora targets are empty") }
        }
        guard learningRate > 0, learningRate.isFinite else { throw fail("lr must be positive, got \(learningRate)") }
        guard warmupSteps >= 0 else { throw fail("warmup must be ≥ 0, got \(warmupSteps)") }
        if let steps { guard steps > 0 else { throw fail("steps must be positive, got \(steps)") } }
        guard epochs > 0 else { throw fail("epochs must be positive, got \(epochs)") }
        guard batchSize > 0 else { throw fail("batch size must be positive, got \(batchSize)") }
        guard gradientAccumulation > 0 else { throw fail("grad accum must be positive, got \(gradientAccumulation)") }
        guard maxLength >= 2 else { throw fail("max length must be at least 2, got \(maxLength)") }
        guard weightDecay >= 0 else { throw fail("weight decay must be ≥ 0, got \(weightDecay)") }
        guard maxGradNorm >= 0 else { throw fail("max grad norm must be ≥ 0, got \(maxGradNorm)") }
        guard validateEvery >= 0, checkpointEvery >= 0 else { throw fail("val/checkpoint intervals must be ≥ 0") }
        if let decision {
            guard decision.weight >= 0, decision.weight.isFinite else {
                throw fail("decision weight must be ≥ 0, got \(decision.weight)")
            }
            guard decision.tokens > 0 else { throw fail("decision tokens must be positive, got \(decision.tokens)") }
        }
        if let groupBy, groupBy.trimmingCharacters(in: .whitespaces).isEmpty {
            throw fail("group-by needs a metadata key such as problem_id, got an empty one")
        }
        if let template, ChatTemplate(named: template) == nil {
            throw fail("unknown template '\(template)'; known: \(ChatTemplate.names.joined(separator: ", "))")
        }
    }

    /// The adapter configuration these parameters produce.
    public var loraConfig: LoRAConfig {
        LoRAConfig(lora, baseModel: baseModelID)
    }
}

/// Why training could not start or go on: bad options, bad data, an unusable run folder.
public struct TrainingError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
