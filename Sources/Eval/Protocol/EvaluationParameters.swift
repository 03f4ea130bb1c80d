import Backends
import ClarifyCore
import Foundation

/// Who plays the user when the model asks.
public enum EvaluatorChoice: Sendable {
    /// The offline ``HeuristicEvaluator`` (approximate grades).
    case heuristic
    /// A chat model following the HumanEvalComm evaluator prompt; it also classifies first responses.
    case model(any ChatModel)
    /// Any other evaluator, used as is (the ``LocalJudge`` of `local:NAME`).
    case evaluator(any QuestionEvaluator)

    var kind: EvaluatorKind {
        switch self {
        case .heuristic: .heuristic
        case .model: .llm
        case .evaluator(let evaluator): evaluator.kind
        }
    }

    var name: String {
        switch self {
        case .heuristic: "heuristic"
        case .model(let model): model.identity
        case .evaluator(let evaluator): evaluator.name
        }
    }
}

/// How an evaluation run poses each prompt, whatever the benchmark and the model: the one value,
/// with the one set of defaults, that `eval`'s flags (`--samples`, `--no-originals`,
/// `--concurrency` and the decoding group), the pipeline's `eval.*` keys and the library share.
/// Keys as in a config or JSON file: `samples`, `include_originals`, `concurrency`, `decoding`.
public struct EvaluationOptions: Codable, Sendable, Hashable {
    /// Independent dialogues per prompt (pass@k with n > 1); sample i is seeded with `decoding.seed + i`.
    public var samples: Int
    /// Also pose the original prompts in `humanevalcomm`/`noClarification` runs, so over-asking is measured.
    public var includeOriginals: Bool
    /// Model requests in flight at once: eight sequences keep the local engine's batch busy; an
    /// endpoint's own limit applies on top.
    public var concurrency: Int
    /// How the model decodes every answer.
    public var decoding: DecodingSettings

    public init(
        samples: Int = 1, includeOriginals: Bool = true, concurrency: Int = 8, decoding: DecodingSettings = .defaults
    ) {
        self.samples = samples
        self.includeOriginals = includeOriginals
        self.concurrency = concurrency
        self.decoding = decoding
    }

    /// The defaults, for the places that show or compare them (flag help, config defaults).
    public static let defaults = EvaluationOptions()

    enum CodingKeys: String, CodingKey {
        case samples, concurrency, decoding
        case includeOriginals = "include_originals"
    }

    /// The first value out of range, named by its key (`samples`, or a decoding key such as
    /// `max_tokens`); nil when every value is usable.
    public var problem: (key: String, message: String)? {
        if samples < 1 { return ("samples", "must be at least 1, got \(samples)") }
        if samples > 1, decoding.temperature == 0 {
            return ("samples", "several samples need a temperature above 0 (greedy samples are identical)")
        }
        if concurrency < 1 { return ("concurrency", "must be at least 1, got \(concurrency)") }
        return decoding.problem
    }
}

/// Everything an evaluation run needs, as the CLI and the pipeline give it.
public struct EvaluationParameters: Sendable {
    /// The benchmark's name as recorded (`humaneval`, `humanevalcomm`) and the file it came from.
    public var benchmark: String
    public var problems: [Problem]
    public var mode: EvaluationMode
    /// The first `limit` problems only (all their prompts).
    public var limit: Int?
    /// Samples, originals, concurrency and decoding (``EvaluationOptions``).
    public var options: EvaluationOptions
    /// The run store file; created when absent.
    public var storePath: String
    /// Continue the store's unfinished run with the same settings instead of starting a new run.
    public var resume: Bool
    public var runName: String
    /// The LoRA adapter the model was loaded with, recorded with the run.
    public var adapter: String?
    /// Prompts carried through both rounds together before their results are stored.
    public var chunkSize: Int
    /// Stored with the run; `nil`: this process's, naming the model by its identity (no hash).
    public var provenance: Provenance?

    public init(
        benchmark: String, problems: [Problem], mode: EvaluationMode, limit: Int? = nil,
        options: EvaluationOptions = .defaults, storePath: String, resume: Bool = false, runName: String = "eval",
        adapter: String? = nil, chunkSize: Int = 32
    ) {
        self.benchmark = benchmark
        self.problems = problems
        self.mode = mode
        self.limit = limit
        self.options = options
        self.storePath = storePath
        self.resume = resume
        self.runName = runName
        self.adapter = adapter
        self.chunkSize = chunkSize
    }
}

/// The settings that change a run's answers, stored as the run's `settings_json`; a resume must
/// match them exactly.
public struct EvaluationSettings: Sendable, Hashable, Codable {
    public var benchmark: String
    public var mode: EvaluationMode
    public var model: String
    public var adapter: String?
    public var evaluator: String
    public var evaluatorKind: EvaluatorKind
    public var includeOriginals: Bool
    public var limit: Int?
    public var problems: Int
    public var samples: Int
    public var seed: Int
    public var temperature: Double
    public var topP: Double?
    public var maxTokens: Int
    /// The penalties are absent (nil) from the JSON of runs without them, so their stored settings read unchanged.
    public var repetitionPenalty: Double? = nil
    public var presencePenalty: Double? = nil
    public var frequencyPenalty: Double? = nil
    /// Likewise absent unless set: top-k above 0, and stop strings.
    public var topK: Int? = nil
    public var stop: [String]? = nil

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}

/// Where a run stands, after every stored chunk.
public struct EvaluationProgress: Sendable, Hashable {
    /// Prompt samples finished (stored), including those found finished on resume.
    public var finished: Int
    public var total: Int
    /// Of the finished ones, how many ended in a recorded failure (model or evaluator).
    public var failed: Int
    /// Finished before this invocation started (resume).
    public var resumed: Int
}

/// What a finished run returns.
public struct EvaluationResult: Sendable {
    public var run: RunRecord
    public var breakdown: MetricBreakdown
    public var statusCounts: [ItemStatus: Int]
    public var storePath: String
}

/// Errors in the parameters or the store that stop a run before it starts.
public struct EvaluationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
