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

/// Everything an evaluation run needs, as the CLI and the pipeline give it.
public struct EvaluationParameters: Sendable {
    /// The benchmark's name as recorded (`humaneval`, `humanevalcomm`) and the file it came from.
    public var benchmark: String
    public var problems: [Problem]
    public var mode: EvaluationMode
    /// Also pose the original prompts in `humanevalcomm`/`noClarification` runs, so over-asking is measured.
    public var includeOriginals: Bool
    /// The first `limit` problems only (all their prompts).
    public var limit: Int?
    /// Independent dialogues per prompt (pass@k with n > 1); sample i is seeded with `seed + i`.
    public var samples: Int
    public var seed: Int
    public var temperature: Double
    public var topP: Double?
    public var maxTokens: Int
    /// The model's repetition penalty (``ChatRequest/repetitionPenalty``); nil: the backend's default, off.
    public var repetitionPenalty: Double?
    /// OpenAI's presence and frequency penalties over the answer's own tokens
    /// (``ChatRequest/presencePenalty``, ``ChatRequest/frequencyPenalty``); nil: the backend's default, off.
    public var presencePenalty: Double?
    public var frequencyPenalty: Double?
    /// The run store file; created when absent.
    public var storePath: String
    /// Continue the store's unfinished run with the same settings instead of starting a new run.
    public var resume: Bool
    public var runName: String
    /// The LoRA adapter the model was loaded with, recorded with the run.
    public var adapter: String?
    /// Model requests in flight at once (the local engine batches what arrives together).
    public var maxConcurrentRequests: Int
    /// Prompts carried through both rounds together before their results are stored.
    public var chunkSize: Int
    /// Stored with the run; `nil`: this process's, naming the model by its identity (no hash).
    public var provenance: Provenance?

    public init(
        benchmark: String, problems: [Problem], mode: EvaluationMode, includeOriginals: Bool = true,
        limit: Int? = nil, samples: Int = 1, seed: Int = 0, temperature: Double = 0, topP: Double? = nil,
        maxTokens: Int = 512, storePath: String, resume: Bool = false, runName: String = "eval",
        adapter: String? = nil, maxConcurrentRequests: Int = 8, chunkSize: Int = 32, repetitionPenalty: Double? = nil,
        presencePenalty: Double? = nil, frequencyPenalty: Double? = nil
    ) {
        self.benchmark = benchmark
        self.problems = problems
        self.mode = mode
        self.includeOriginals = includeOriginals
        self.limit = limit
        self.samples = samples
        self.seed = seed
        self.temperature = temperature
        self.topP = topP
        self.maxTokens = maxTokens
        self.repetitionPenalty = repetitionPenalty
        self.presencePenalty = presencePenalty
        self.frequencyPenalty = frequencyPenalty
        self.storePath = storePath
        self.resume = resume
        self.runName = runName
        self.adapter = adapter
        self.maxConcurrentRequests = maxConcurrentRequests
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
