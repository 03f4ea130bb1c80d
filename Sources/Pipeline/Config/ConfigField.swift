/// A value as written in a config file or after `--set key=`: the few shapes the pipeline's
/// settings take.
public enum ConfigValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([String])

    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return String(value)
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .string(let value): return value
        case .list(let values): return values.joined(separator: ",")
        }
    }
}

/// One setting: its dotted key (`train.lr`), what it means, its type, and how to read and
/// write it on a ``PipelineConfig``. The table ``all`` is the single source of truth for the
/// config file, `--set`, the resolved `config.yaml` and the reference in docs/pipeline.md.
public struct ConfigField {
    public enum Kind: Sendable, Hashable {
        case bool, int, double, string, list
    }

    public let key: String
    public let help: String
    public let kind: Kind
    /// Whether `null` is allowed (an optional setting).
    public let optional: Bool
    let get: (PipelineConfig) -> ConfigValue
    let set: (inout PipelineConfig, ConfigValue) -> Void

    /// The section (`train`) and name (`lr`) of a dotted key; top-level keys have no section.
    public var section: String? { key.contains(".") ? String(key.split(separator: ".")[0]) : nil }
    public var name: String { String(key.split(separator: ".").last!) }

    public func value(in config: PipelineConfig) -> ConfigValue { get(config) }

    static func int(_ key: String, _ path: WritableKeyPath<PipelineConfig, Int>, _ help: String) -> ConfigField {
        ConfigField(key: key, help: help, kind: .int, optional: false, get: { .int($0[keyPath: path]) }, set: {
            if case .int(let value) = $1 { $0[keyPath: path] = value }
        })
    }

    static func int(_ key: String, _ path: WritableKeyPath<PipelineConfig, Int?>, _ help: String) -> ConfigField {
        ConfigField(key: key, help: help, kind: .int, optional: true, get: { $0[keyPath: path].map { .int($0) } ?? .null }, set: {
            if case .int(let value) = $1 { $0[keyPath: path] = value } else { $0[keyPath: path] = nil }
        })
    }

    static func seed(_ key: String, _ path: WritableKeyPath<PipelineConfig, UInt64>, _ help: String) -> ConfigField {
        ConfigField(key: key, help: help, kind: .int, optional: false, get: { .int(Int(clamping: $0[keyPath: path])) }, set: {
            if case .int(let value) = $1 { $0[keyPath: path] = UInt64(max(0, value)) }
        })
    }

    static func double(_ key: String, _ path: WritableKeyPath<PipelineConfig, Double>, _ help: String) -> ConfigField {
        ConfigField(key: key, help: help, kind: .double, optional: false, get: { .double($0[keyPath: path]) }, set: {
            switch $1 {
            case .double(let value): $0[keyPath: path] = value
            case .int(let value): $0[keyPath: path] = Double(value)
            default: break
            }
        })
    }

    static func double(_ key: String, _ path: WritableKeyPath<PipelineConfig, Double?>, _ help: String) -> ConfigField {
        ConfigField(key: key, help: help, kind: .double, optional: true, get: { $0[keyPath: path].map { .double($0) } ?? .null }, set: {
            switch $1 {
            case .double(let value): $0[keyPath: path] = value
            case .int(let value): $0[keyPath: path] = Double(value)
            default: $0[keyPath: path] = nil
            }
        })
    }

    static func bool(_ key: String, _ path: WritableKeyPath<PipelineConfig, Bool>, _ help: String) -> ConfigField {
        ConfigField(key: key, help: help, kind: .bool, optional: false, get: { .bool($0[keyPath: path]) }, set: {
            if case .bool(let value) = $1 { $0[keyPath: path] = value }
        })
    }

    static func string(_ key: String, _ path: WritableKeyPath<PipelineConfig, String>, _ help: String) -> ConfigField {
        ConfigField(key: key, help: help, kind: .string, optional: false, get: { .string($0[keyPath: path]) }, set: {
            if case .string(let value) = $1 { $0[keyPath: path] = value }
        })
    }

    static func string(_ key: String, _ path: WritableKeyPath<PipelineConfig, String?>, _ help: String) -> ConfigField {
        ConfigField(key: key, help: help, kind: .string, optional: true, get: { $0[keyPath: path].map { .string($0) } ?? .null }, set: {
            if case .string(let value) = $1 { $0[keyPath: path] = value } else { $0[keyPath: path] = nil }
        })
    }

    static func list(_ key: String, _ path: WritableKeyPath<PipelineConfig, [String]>, _ help: String) -> ConfigField {
        ConfigField(key: key, help: help, kind: .list, optional: false, get: { .list($0[keyPath: path]) }, set: {
            if case .list(let value) = $1 { $0[keyPath: path] = value }
        })
    }

    /// Every setting, in the order of the resolved `config.yaml`.
    public static var all: [ConfigField] {
        [
            .seed("seed", \.seed, "Seed of every random choice: synthesis, mixing, training and sampling."),
            .string("synthesis.synthesizer", \.synthesis.synthesizer, "rules (offline) or llm (needs synthesis.model)."),
            .string("synthesis.model", \.synthesis.model, "With llm: openai:NAME (behind synthesis.base_url) or a local model (a known name, .gguf, folder)."),
            .string("synthesis.base_url", \.synthesis.baseURL, "With llm: the OpenAI-compatible endpoint."),
            .string("synthesis.api_key_env", \.synthesis.apiKeyEnv, "With llm: the environment variable holding the API key."),
            .string("synthesis.problems", \.synthesis.problems, "bank (the built-in problem bank) or a dataset file."),
            .int("synthesis.problem_limit", \.synthesis.problemLimit, "Use this many problems, spread over the input (null: all)."),
            .list("synthesis.kinds", \.synthesis.kinds, "ambiguous, incomplete, inconsistent, combos, or categories such as 2ap."),
            .int("synthesis.per_problem", \.synthesis.perProblem, "Clarification variants kept per problem."),
            .int("synthesis.concurrency", \.synthesis.concurrency, "With llm: problems and requests in flight."),
            .string("synthesis.bank_style", \.synthesis.bankStyle, "With bank: doctest (every signature typed, examples as doctests) or varied (per problem, HumanEval's variety: bare signatures, examples as f(x) == y, ➞, =>), so format is no cue for asking."),
            .string("mix.ratio", \.mix.ratio, "original:clarify parts of the training mixture, e.g. 50:50."),
            .bool("mix.confirmation", \.mix.confirmation, "First answers open with \"The requirements are clear.\" before code and \"The requirements are unclear.\" before questions."),
            .string("mix.target", \.mix.target, "dialogue (ask, read the answers, write the code) or questions (questions only, as in the paper)."),
            .bool("mix.docstrings", \.mix.docstrings, "Code answers repeat the function's docstring (false: signature and body only, about a fifth fewer training tokens)."),
            .double("mix.validation_fraction", \.mix.validationFraction, "Share of problems held out for validation."),
            .int("mix.stages", \.mix.stages, "1: one mixed stage; 2: clear → code first, then the mixture."),
            .string("train.model", \.train.model, "A known name (smollm2, qwen2.5-coder-0.5b, qwen2.5-coder-1.5b), a .gguf file or Hugging Face folder."),
            .int("train.lora_r", \.train.loraRank, "LoRA rank."),
            .int("train.lora_alpha", \.train.loraAlpha, "LoRA alpha (the update is scaled by alpha / r)."),
            .double("train.lora_dropout", \.train.loraDropout, "Dropout on the LoRA input."),
            .list("train.lora_targets", \.train.loraTargets, "Adapted projections: q, k, v, o, gate, up, down."),
            .double("train.lr", \.train.learningRate, "Peak learning rate (AdamW)."),
            .int("train.steps", \.train.steps, "Optimizer steps (null: train.epochs passes over the data)."),
            .int("train.epochs", \.train.epochs, "Passes over the training set when train.steps is null."),
            .int("train.batch_size", \.train.batchSize, "Examples per micro-batch."),
            .int("train.grad_accum", \.train.gradAccum, "Micro-batches per optimizer step."),
            .int("train.max_length", \.train.maxLength, "Tokens per example at most; longer examples are skipped and counted."),
            .int("train.warmup", \.train.warmup, "Linear warm-up steps."),
            .string("train.schedule", \.train.schedule, "cosine or linear decay after the warm-up."),
            .int("train.validation_every", \.train.validationEvery, "Validate every this many steps (0: at the end only)."),
            .double("train.decision_weight", \.train.decisionWeight, "Weight of the extra loss on the opening tokens of every first answer, where the model decides to ask or to code (0: off)."),
            .int("train.decision_tokens", \.train.decisionTokens, "Opening tokens of each first answer that the decision loss covers."),
            .bool("train.decision_skip_prefix", \.train.decisionSkipPrefix, "Start the decision loss after the tokens every first answer shares (\"The requirements are\")."),
            .bool("train.decision_balance", \.train.decisionBalance, "Weigh each decision (clear, unclear) equally in the decision loss, whatever the mixture's ratio (for mixtures rich in rewrites, e.g. 25:75); needs train.decision_weight above 0."),
            .string("train.group_by", \.train.groupBy, "Mixture metadata key whose examples share micro-batches (problem_id: each clear problem beside its rewrites; null: by length alone)."),
            .string("train.base_weights", \.train.baseWeights, "How LoRA holds the frozen base: quantized (null: a GGUF's own blocks, no fp32 copy) or float32."),
            .string("train.checkpointing", \.train.checkpointing, "Recompute layer activations in backward to save memory: auto (null: on from 300M parameters), on or off."),
            .int("train.threads", \.train.threads, "Training threads (null: all cores)."),
            .string("train.backend", \.train.backend, "local (train here) or trl (write a Hugging Face TRL + accelerate job to RUN_DIR/train/job, run it on GPUs, put its adapter in RUN_DIR/train/adapter, resume)."),
            .string("train.hf_model", \.train.hfModel, "With trl: the Hugging Face model the job trains (null: the known model's id, e.g. Qwen/Qwen2.5-Coder-0.5B-Instruct)."),
            .string("eval.humanevalcomm", \.eval.humanevalcomm, "offline (built from HumanEval by the rule-based synthesizer) or a HumanEvalComm JSONL path."),
            .string("eval.evaluator", \.eval.evaluator, "heuristic (offline, approximate grades), local:[NAME|PATH][:prompt|steps|probs] (the local judge; default qwen2.5-coder-1.5b, probs), openai:NAME or a local model (a known name, .gguf, folder) with the benchmark's prompt."),
            .string("eval.base_url", \.eval.baseURL, "With openai:NAME: the OpenAI-compatible endpoint."),
            .string("eval.api_key_env", \.eval.apiKeyEnv, "With openai:NAME: the environment variable holding the API key."),
            .int("eval.humaneval_limit", \.eval.humanevalLimit, "HumanEval problems on their original prompts (null: all 164)."),
            .int("eval.humanevalcomm_limit", \.eval.humanevalcommLimit, "Problems of the clarification benchmark, each with all its modified prompts (null: all)."),
            .int("eval.samples", \.eval.samples, "Samples per prompt (pass@k needs more than 1 and a temperature above 0)."),
            .double("eval.temperature", \.eval.temperature, "0: greedy decoding."),
            .int("eval.max_tokens", \.eval.maxTokens, "New tokens per model response at most."),
            .double("eval.repetition_penalty", \.eval.repetitionPenalty, "Repetition penalty for both models, as in transformers (null: off); it counts the prompt's tokens too, so 1.1 turns a small model's loops into questions but costs its code."),
            .double("eval.presence_penalty", \.eval.presencePenalty, "OpenAI's presence penalty for both models, -2 to 2 (null: off): subtracted once from every token the answer already holds; unlike the repetition penalty it leaves the prompt's tokens alone."),
            .double("eval.frequency_penalty", \.eval.frequencyPenalty, "OpenAI's frequency penalty for both models, -2 to 2 (null: off): subtracted once per time the answer already holds a token."),
            .int("eval.threads", \.eval.threads, "Inference threads (null: all cores)."),
            .list("report.formats", \.report.formats, "Any of html, md, json."),
            .int("report.examples", \.report.examples, "Example questions shown per model."),
        ]
    }

    /// The field with this dotted key, if any.
    public static func named(_ key: String) -> ConfigField? { all.first { $0.key == key } }

    /// The sections of the file, in order.
    public static var sections: [String] {
        var seen: [String] = []
        for field in all { if let section = field.section, !seen.contains(section) { seen.append(section) } }
        return seen
    }
}
