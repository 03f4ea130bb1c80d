import ClarifyCore
import Eval
import LLM
import Synth

/// Every setting of the end-to-end experiment, in one value: what `pipeline.yaml` holds, what
/// flags override, and what is saved (resolved) in `RUN_DIR/config.yaml`.
///
/// The YAML keys are the dotted paths of ``ConfigField/all`` (`train.lr`, `mix.ratio`); the two
/// presets are ``standard`` (the default run, under 45 minutes on 2 cores in a release build) and
/// ``quick`` (`--quick`, CI's end-to-end smoke test, under 10 minutes).
public struct PipelineConfig: Sendable, Hashable, Codable {
    /// The seed of every random choice: synthesis, mixing, training, sampling.
    public var seed: UInt64 = 0
    public var synthesis = Synthesis()
    public var mix = Mix()
    public var train = Train()
    public var eval = Evaluation()
    public var report = Report()

    public init() {}

    /// Synthesis of clarification dialogues from the training problems.
    public struct Synthesis: Sendable, Hashable, Codable {
        /// `rules` (offline, the default) or `llm` (needs `model`).
        public var synthesizer = "rules"
        /// With `llm`: a ``ModelSpec`` — `openai:NAME` behind `baseURL`, or a local model.
        public var model: String?
        public var baseURL = "https://api.openai.com/v1"
        public var apiKeyEnv = "OPENAI_API_KEY"
        /// `bank` (the project's problem bank, disjoint from HumanEval) or a dataset path.
        public var problems = "bank"
        /// Use this many problems, spread evenly over the input (nil: all).
        public var problemLimit: Int?
        /// `ambiguous`, `incomplete`, `inconsistent`, `combos` or category codes such as `2ap`.
        public var kinds = ["ambiguous", "incomplete", "inconsistent", "combos"]
        public var perProblem = 3
        /// With `llm`: problems and requests in flight.
        public var concurrency = 4
        /// With `bank`: how the bank writes its prompts — `doctest` (every signature typed, examples as
        /// doctests) or `varied` (HumanEval's surface variety, per problem; see ``BankPromptStyle``).
        public var bankStyle: String {
            get { bankStyleSet ?? BankPromptStyle.doctest.rawValue }
            set { bankStyleSet = newValue == BankPromptStyle.doctest.rawValue ? nil : newValue }
        }
        /// `bankStyle`, stored as nil for `doctest`: runs synthesized before the option keep their config.
        var bankStyleSet: String?
    }

    /// The training mixture of clear (problem → code) and clarify examples.
    public struct Mix: Sendable, Hashable, Codable {
        /// Parts original : clarify.
        public var ratio = "50:50"
        /// First answers open with "The requirements are clear." before code and "The requirements are
        /// unclear." before questions, so the ask-or-code decision is one token.
        public var confirmation = true
        /// `dialogue` (ask, get answers, write the code) or `questions` (the paper's target).
        public var target = "dialogue"
        /// Code answers repeat the function's docstring; false: the signature and the body only.
        public var docstrings = true
        public var validationFraction = 0.1
        /// 1: one mixed stage; 2: code only first, then mixed.
        public var stages = 1
    }

    /// LoRA fine-tuning.
    public struct Train: Sendable, Hashable, Codable {
        /// A local ``ModelSpec``: a known name (`smollm2`, `qwen2.5-coder-0.5b`, …), a .gguf file or a Hugging Face folder.
        public var model = "smollm2"
        // The LoRA settings under the pipeline's keys (`train.lora_*`), with the library's defaults
        // (``LoRASettings``: r 16, alpha 16, dropout 0.05, q/k/v/o); the train stage turns them back
        // into that value. Flat fields keep the stage fingerprints of earlier runs as they were.
        public var loraRank = LoRASettings.defaults.rank
        public var loraAlpha = Int(LoRASettings.defaults.alpha)
        public var loraDropout = Train.decimal(LoRASettings.defaults.dropout)
        public var loraTargets = LoRASettings.defaults.targets.map(\.rawValue)

        /// The Double a config file writes for a Float setting: its shortest decimal (0.05, not
        /// 0.05000000074505806).
        static func decimal(_ value: Float) -> Double { Double(value.description) ?? Double(value) }
        public var learningRate = 5e-4
        /// Optimizer steps; when nil, `epochs` passes over the training set. 160 grouped steps
        /// (≈ 400 examples) are the fewest after which SmolLM2-135M writes its questions under
        /// greedy decoding; at 80 it decides to ask, then loops (BENCHMARKS.md).
        public var steps: Int? = 160
        public var epochs: Int?
        public var batchSize = 4
        public var gradAccum = 1
        public var maxLength = 512
        public var warmup = 8
        /// `cosine` or `linear`.
        public var schedule = "cosine"
        /// Validation every this many steps (0: only at the end).
        public var validationEvery = 40
        /// Weight of the extra loss on the opening tokens of every first answer, where the model
        /// decides between asking and coding (0: off; see `TrainingParameters.Decision`: the weight
        /// multiplies a mean over a few tokens, so 0.2 already counts each of them ~30× a code token).
        public var decisionWeight = 0.2
        /// How many opening tokens that term covers, from where it starts: 1 is the decision token
        /// itself (" clear" / " unclear") after the shared prefix; 5 from the first token is the whole
        /// sentence in SmolLM2's tokenizer.
        public var decisionTokens = 1
        /// Start that term after the tokens every first answer shares ("The requirements are"), so
        /// it weights the decision itself, not a sentence the model then repeats everywhere.
        public var decisionSkipPrefix = true
        /// Give each decision (" clear", " unclear") the same weight in that term whatever the
        /// mixture's ratio, so a mixture rich in rewrites does not teach the model to ask by default.
        public var decisionBalance: Bool {
            get { decisionBalanceOn ?? false }
            set { decisionBalanceOn = newValue ? true : nil }
        }
        /// `decisionBalance`, stored as nil when off: the stage fingerprints encode this section, and
        /// runs trained before the option keep theirs.
        var decisionBalanceOn: Bool?
        /// A mixture metadata key whose examples share micro-batches (`problem_id`: each clear problem
        /// beside its rewrites), or nil for batches by length alone.
        public var groupBy: String? = "problem_id"
        /// How LoRA holds the frozen base: `quantized` or `float32` (nil: quantized, the trainer's
        /// default; nil keeps the stage fingerprints of runs made before the option).
        public var baseWeights: String?
        /// Layer checkpointing: `auto`, `on` or `off` (nil: auto).
        public var checkpointing: String?
        /// Worker threads (nil: all cores).
        public var threads: Int?
        /// `local` (this machine's trainer) or `trl`: the train stage writes a Hugging Face TRL job to
        /// `RUN_DIR/train/job` and waits for its adapter in `RUN_DIR/train/adapter` (docs/scale-out.md).
        public var backend: String {
            get { backendSet ?? TrainBackend.local.rawValue }
            set { backendSet = newValue == TrainBackend.local.rawValue ? nil : newValue }
        }
        /// `backend`, stored as nil for `local`: the stage fingerprints of earlier runs stay as they were.
        var backendSet: String?
        /// With `trl`: the Hugging Face model the job trains (nil: the known model's upstream id).
        public var hfModel: String?
    }

    /// Evaluation of the base and the tuned model.
    public struct Evaluation: Sendable, Hashable, Codable {
        /// The clarification benchmark: `offline` (built from HumanEval by the rule-based
        /// synthesizer, and labelled so) or the path of a HumanEvalComm JSONL file.
        public var humanevalcomm = "offline"
        /// `heuristic` (offline; its grades are approximate) or a ``ModelSpec``: `openai:NAME` or a local model.
        public var evaluator = "heuristic"
        public var baseURL = "https://api.openai.com/v1"
        public var apiKeyEnv = "OPENAI_API_KEY"
        /// HumanEval problems evaluated on their original prompts (nil: all 164).
        public var humanevalLimit: Int? = 40
        /// Problems of the clarification benchmark evaluated, each with all its modified prompts (nil: all).
        public var humanevalcommLimit: Int? = 16
        public var samples = EvaluationOptions.defaults.samples
        // The decoding settings under the pipeline's keys (`eval.temperature`, `eval.max_tokens`,
        // `eval.*_penalty`), with the library's defaults (``DecodingSettings``); ``decoding(seed:)``
        // turns them back into that value. Flat fields keep the stage fingerprints of earlier runs.
        public var temperature = DecodingSettings.defaults.temperature
        public var maxTokens = DecodingSettings.defaults.maxTokens
        /// The local model's repetition penalty, for both models (nil: off). Optional so that runs
        /// without one keep their stage fingerprints.
        public var repetitionPenalty: Double?
        /// OpenAI's presence and frequency penalties over each answer's own tokens, for both models
        /// (nil: off). Optional for the same reason.
        public var presencePenalty: Double?
        public var frequencyPenalty: Double?
        /// Worker threads of the local model (nil: all cores).
        public var threads: Int?

        /// How both models are evaluated: the benchmark's modified prompts and the HumanEval
        /// originals are separate runs, so originals are not added to the clarification benchmark;
        /// `concurrency` is the local engine's batch.
        public func options(seed: UInt64, concurrency: Int) -> EvaluationOptions {
            EvaluationOptions(
                samples: samples, includeOriginals: false, concurrency: concurrency, decoding: decoding(seed: seed))
        }

        /// The decoding settings of both models' answers, sampled with the run's `seed`.
        public func decoding(seed: UInt64) -> DecodingSettings {
            DecodingSettings(
                maxTokens: maxTokens, temperature: temperature, repetitionPenalty: repetitionPenalty,
                presencePenalty: presencePenalty, frequencyPenalty: frequencyPenalty, seed: Int(truncatingIfNeeded: seed))
        }
    }

    /// The before/after report.
    public struct Report: Sendable, Hashable, Codable {
        /// Any of `html`, `md`, `json`.
        public var formats = ["html", "md", "json"]
        /// Example questions shown per model.
        public var examples = 6
    }

    /// The default experiment.
    public static var standard: PipelineConfig { PipelineConfig() }

    /// What a run folder's saved `config.yaml` is read over: the standard config, except that keys
    /// added after runs were first saved take the value that reproduces what such a run did (the
    /// behaviour before the key existed), not today's default — so an old run resumes, and its
    /// finished stages are reused, as it started, whatever the defaults become.
    public static var savedBase: PipelineConfig {
        var config = PipelineConfig()
        config.mix.docstrings = true
        config.train.decisionWeight = 0
        config.train.decisionTokens = 5
        config.train.decisionSkipPrefix = false
        config.train.groupBy = nil
        config.eval.repetitionPenalty = nil
        config.eval.presencePenalty = nil
        config.eval.frequencyPenalty = nil
        return config
    }

    /// A small experiment that runs end to end in minutes: CI's smoke test, not a result.
    public static var quick: PipelineConfig {
        var config = PipelineConfig()
        config.synthesis.problemLimit = 48
        config.synthesis.perProblem = 2
        config.train.steps = 16
        config.train.batchSize = 2
        config.train.warmup = 2
        config.train.validationEvery = 0
        config.eval.humanevalLimit = 4
        config.eval.humanevalcommLimit = 2
        config.eval.maxTokens = 128
        config.report.examples = 3
        return config
    }
}
