import Foundation
import LLM

/// `job.json` of an emitted TRL job: our one ``TrainingParameters`` value translated key by key
/// into the argument names of PEFT's `LoraConfig` (`peft`) and TRL's `SFTConfig` (`sft`), which
/// `train.py` passes through unchanged (`LoraConfig(**job["peft"])`, `SFTConfig(**job["sft"])`),
/// plus what those two cannot hold and the script does itself (`data`, `loss`), the settings as
/// our trainer keeps them (`clarifycoder`, the `training.json` form) and what is not carried over.
struct TRLJobSettings: Encodable {
    struct PEFT: Encodable {
        var r: Int
        var lora_alpha: Float
        var lora_dropout: Float
        var target_modules: [String]
        var use_rslora: Bool
        var bias = "none"
        var task_type = "CAUSAL_LM"
    }

    /// Only names `transformers.TrainingArguments` / `trl.SFTConfig` accept. The global batch is
    /// `per_device_train_batch_size × gradient_accumulation_steps` examples on one process; with
    /// several, `train.py` splits it so the global batch stays the same (see its `per_device_plan`).
    struct SFT: Encodable {
        var learning_rate: Float
        var lr_scheduler_type: String
        var warmup_steps: Int
        var per_device_train_batch_size: Int
        var per_device_eval_batch_size: Int
        var gradient_accumulation_steps: Int
        var weight_decay: Float
        var max_grad_norm: Float
        var adam_beta1: Float = 0.9
        var adam_beta2: Float = 0.999
        var adam_epsilon: Float = 1e-8
        var optim = "adamw_torch"
        var seed: UInt64
        var data_seed: UInt64
        var max_length: Int
        var packing = false
        var logging_steps = 1
        var eval_strategy: String
        var eval_steps: Int?
        var save_strategy = "steps"
        var save_steps: Int
        var load_best_model_at_end: Bool
        var metric_for_best_model: String?
        var greater_is_better: Bool?
        var report_to = "none"
        var gradient_checkpointing = true
    }

    /// What `train.py` does before TRL sees the data: the stage order, tokenization and masking.
    struct DataPlan: Encodable {
        struct Split: Encodable {
            var name: String
            var split: String
            var examples: Int
        }
        /// The dataset folder, relative to the job.
        var dataset = "dataset"
        var stages: [Split]
        var validation: Split?
        /// Passes over each stage (stage 1's passes, then stage 2's), when `steps` is null.
        var epochs: Int
        /// Optimizer steps; null: the passes above decide.
        var steps: Int?
        /// Metadata key whose examples stay next to each other in the data order (approximates our batching).
        var group_by: String?

        /// Every key written, null included: train.py and a reader see the whole plan.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(dataset, forKey: .dataset)
            try c.encode(stages, forKey: .stages)
            try c.encode(validation, forKey: .validation)
            try c.encode(epochs, forKey: .epochs)
            try c.encode(steps, forKey: .steps)
            try c.encode(group_by, forKey: .group_by)
        }

        enum Keys: String, CodingKey { case dataset, stages, validation, epochs, steps, group_by }
    }

    struct Loss: Encodable {
        /// `all`: every assistant turn is supervised; `last`: only the last one.
        var assistant_turns: String
        /// `skip` or `truncate-prompt`, for examples longer than `max_length` tokens.
        var too_long: String
        var max_length: Int
    }

    var format = "clarifycoder-trl-job"
    var version = 1
    /// The Hugging Face model the job fine-tunes (`AutoModelForCausalLM.from_pretrained`).
    var model: String
    /// The base as `clarifycoder` named it (a known name or a path), for the record.
    var local_model: String
    var peft: PEFT
    var sft: SFT
    var data: DataPlan
    var loss: Loss
    /// Where the job writes, relative to the job folder unless absolute: `checkpoints/`, `adapter/`.
    var output_dir: String
    /// One sentence per setting of ours that TRL does not express, or expresses differently.
    var not_carried_over: [String]
    var clarifycoder: TrainingParameters

    /// The split name of stage `index` (0-based) called `name`: `train` for a single stage, else
    /// `stage1_code`, `stage2_mixed`, … (names a `datasets` split accepts).
    static func splitName(stage index: Int, of count: Int, name: String) -> String {
        guard count > 1 else { return "train" }
        let safe = name.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
        return "stage\(index + 1)" + (safe.isEmpty ? "" : "_" + safe)
    }

    init(
        _ parameters: TrainingParameters, model: String, localModel: String, dialogues: TrainingDialogues,
        outputDirectory: String
    ) {
        let p = parameters
        self.model = model
        local_model = localModel
        peft = PEFT(
            r: p.lora.rank, lora_alpha: p.lora.alpha, lora_dropout: p.lora.dropout,
            target_modules: p.lora.targets.map(\.moduleName), use_rslora: p.lora.useRSLoRA)
        let validating = dialogues.validation != nil
        let evaluating = validating && p.validateEvery > 0
        // TRL keeps the best checkpoint only among saved ones, so with evaluations every N steps the
        // checkpoints follow them; our trainer keeps the best adapter apart from its checkpoints.
        let saveEvery = evaluating ? p.validateEvery : (p.checkpointEvery > 0 ? p.checkpointEvery : 500)
        sft = SFT(
            learning_rate: p.learningRate,
            lr_scheduler_type: Self.schedulerType(p.schedule), warmup_steps: p.warmupSteps,
            per_device_train_batch_size: p.batchSize, per_device_eval_batch_size: p.batchSize,
            gradient_accumulation_steps: p.gradientAccumulation, weight_decay: p.weightDecay,
            max_grad_norm: p.maxGradNorm, seed: p.seed, data_seed: p.seed, max_length: p.maxLength,
            eval_strategy: evaluating ? "steps" : "no", eval_steps: evaluating ? p.validateEvery : nil,
            save_steps: saveEvery, load_best_model_at_end: evaluating,
            metric_for_best_model: evaluating ? "eval_loss" : nil, greater_is_better: evaluating ? false : nil)
        let count = dialogues.stages.count
        data = DataPlan(
            stages: dialogues.stages.enumerated().map { index, stage in
                .init(
                    name: stage.name, split: Self.splitName(stage: index, of: count, name: stage.name),
                    examples: stage.dialogues.count)
            },
            validation: dialogues.validation.map {
                .init(name: "validation", split: "validation", examples: $0.dialogues.count)
            },
            epochs: p.epochs, steps: p.steps, group_by: p.groupBy)
        loss = Loss(
            assistant_turns: p.lastAssistantOnly ? "last" : "all", too_long: p.overflow.rawValue,
            max_length: p.maxLength)
        output_dir = outputDirectory
        not_carried_over = Self.differences(p, validating: validating)
        clarifycoder = p
    }

    /// `transformers`' scheduler with the same shape after the warm-up (`get_scheduler` names).
    static func schedulerType(_ schedule: TrainingParameters.Schedule) -> String {
        switch schedule {
        case .cosine: "cosine"
        case .linear: "linear"
        case .constant: "constant_with_warmup"
        }
    }

    /// What the TRL run does differently from `clarifycoder train` with the same parameters. Each is
    /// written to the job's README and `job.json`, and returned as a warning by the emitter.
    static func differences(_ p: TrainingParameters, validating: Bool) -> [String] {
        var notes: [String] = []
        if let decision = p.decision, decision.weight > 0 {
            notes.append(
                "decision loss term (weight \(decision.weight), \(decision.tokens) token(s)"
                    + (decision.skipCommonPrefix ? ", after the shared prefix" : "")
                    + (decision.balanced ? ", balanced" : "")
                    + "): TRL's SFTTrainer has no such term; the job trains on the mean loss over the answers only")
        }
        if let key = p.groupBy {
            notes.append(
                "group_by \(key): TRL batches consecutive examples; train.py keeps each group's examples next to "
                    + "each other in the data order, but a group may be split between micro-batches and batches are "
                    + "not grouped by length")
        }
        if let template = p.template {
            notes.append(
                "template \(template): the job renders dialogues with the Hugging Face tokenizer's own chat template")
        }
        if validating && p.validateEvery > 0 && p.checkpointEvery != p.validateEvery {
            notes.append(
                "checkpoint_every \(p.checkpointEvery): checkpoints are saved at each validation (every "
                    + "\(p.validateEvery) steps) so TRL can keep the best adapter by validation loss")
        }
        if validating && p.validateEvery == 0 {
            notes.append(
                "val_every 0: the job does not validate during training; adapter/ is the last adapter, not the best")
        }
        if p.warmupSteps > 0 {
            notes.append(
                "warm-up: transformers starts at 0 and reaches the peak after \(p.warmupSteps) steps; ours starts "
                    + "at peak/\(p.warmupSteps) (one step ahead); the decay after it is the same")
        }
        return notes
    }
}
