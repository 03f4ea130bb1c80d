import Backends
import ClarifyCore
import Execution
import Foundation
import Sandbox

/// An evaluation run: the HumanEvalComm protocol, plain HumanEval, or the no-clarification baseline,
/// over any ``ChatModel``, recorded in a ``RunStore`` as it goes.
///
/// Resume: with `resume`, the store's last run with the same ``EvaluationSettings`` continues — finished
/// items are not redone (failed ones are), and model calls already answered are replayed from the store — so a run
/// stopped midway (killed, or its task cancelled) ends with the same results as one never stopped.
/// A chunk cut short by cancellation is not stored.
public struct EvaluationRun: Sendable {
    public let parameters: EvaluationParameters
    public let model: any ChatModel
    public let evaluator: EvaluatorChoice
    public let pool: SandboxPool
    public var executorParameters: ExecutorParameters

    public init(
        parameters: EvaluationParameters, model: any ChatModel, evaluator: EvaluatorChoice = .heuristic,
        pool: SandboxPool, executorParameters: ExecutorParameters = ExecutorParameters()
    ) {
        self.parameters = parameters
        self.model = model
        self.evaluator = evaluator
        self.pool = pool
        self.executorParameters = executorParameters
    }

    var evaluatorKind: EvaluatorKind { parameters.mode == .noClarification ? .none : evaluator.kind }

    public var settings: EvaluationSettings {
        let decoding = parameters.options.decoding
        return EvaluationSettings(
            benchmark: parameters.benchmark, mode: parameters.mode, model: model.identity, adapter: parameters.adapter,
            evaluator: parameters.mode == .noClarification ? "none" : evaluator.name, evaluatorKind: evaluatorKind,
            includeOriginals: parameters.mode == .humaneval || parameters.options.includeOriginals, limit: parameters.limit,
            problems: min(parameters.problems.count, parameters.limit ?? Int.max), samples: parameters.options.samples,
            seed: decoding.seed, temperature: decoding.temperature, topP: decoding.topP, maxTokens: decoding.maxTokens,
            repetitionPenalty: decoding.repetitionPenalty, presencePenalty: decoding.presencePenalty,
            frequencyPenalty: decoding.frequencyPenalty, topK: decoding.topK == 0 ? nil : decoding.topK,
            stop: decoding.stop.isEmpty ? nil : decoding.stop)
    }

    func validate() throws {
        if let (key, message) = parameters.options.problem { throw EvaluationError("\(key) \(message)") }
        if let limit = parameters.limit, limit < 1 { throw EvaluationError("limit must be at least 1, got \(limit)") }
        guard !parameters.problems.isEmpty else { throw EvaluationError("the \(parameters.benchmark) file holds no problems") }
    }

    /// Runs (or resumes) the evaluation; `progress` is called after every stored chunk.
    public func run(progress: (@Sendable (EvaluationProgress) -> Void)? = nil) async throws -> EvaluationResult {
        try validate()
        let units = try PromptUnit.units(for: parameters)
        let store = try RunStore(path: parameters.storePath)
        let run = try openRun(store)
        let finished = try store.finishedItems(run: run.id)
        let failing: Set<ItemStatus> = [.modelFailed, .evaluatorFailed]
        // Items whose model or evaluator call failed for good (an endpoint down, its retries spent) are
        // redone on resume, so an outage in a long run leaves no holes that only a new run would fill.
        let retried = try store.itemKeys(run: run.id, statuses: failing)
        let pending = units.filter { !finished.contains($0.key) || retried.contains($0.key) }
        var failed = try store.statusCounts(run: run.id).filter { failing.contains($0.key) }.values.reduce(0, +)
            - units.filter { retried.contains($0.key) }.count
        var state = EvaluationProgress(
            finished: units.count - pending.count, total: units.count, failed: failed, resumed: units.count - pending.count)
        progress?(state)

        let rounds = DialogueRounds(
            parameters: parameters, runID: run.id,
            model: RecordedChatModel(base: model, store: store, runID: run.id, role: "model"),
            evaluator: evaluatorForRun(store: store, runID: run.id), classifier: classifierForRun(store: store, runID: run.id),
            analyzer: ResponseAnalyzer(pool: pool), executor: ProblemExecutor(pool: pool, parameters: executorParameters))
        let size = max(1, parameters.chunkSize)
        for start in stride(from: 0, to: pending.count, by: size) {
            try Task.checkCancellation()
            let items = try await rounds.process(Array(pending[start..<min(start + size, pending.count)]))
            // A chunk cut short by cancellation holds cancelled calls and executions: do not store it.
            try Task.checkCancellation()
            for item in items {
                try store.save(item.record, execution: item.execution)
                if failing.contains(item.record.status) { failed += 1 }
            }
            state.finished += items.count
            state.failed = failed
            progress?(state)
        }
        let breakdown = try store.breakdown(run: run.id)
        try store.writeMetrics(run: run.id, breakdown)
        try store.finish(run: run.id)
        return EvaluationResult(
            run: try store.run(id: run.id), breakdown: breakdown, statusCounts: try store.statusCounts(run: run.id),
            storePath: store.path)
    }

    func evaluatorForRun(store: RunStore, runID: Int64) -> (any QuestionEvaluator)? {
        guard parameters.mode != .noClarification else { return nil }
        switch evaluator {
        case .heuristic: return HeuristicEvaluator()
        case .evaluator(let evaluator): return evaluator
        case .model(let model):
            return LLMEvaluator(
                model: RecordedChatModel(base: model, store: store, runID: runID, role: "evaluator"),
                maxConcurrent: parameters.options.concurrency)
        }
    }

    func classifierForRun(store: RunStore, runID: Int64) -> LLMQuestionClassifier? {
        guard case .model(let model) = evaluator else { return nil }
        return LLMQuestionClassifier(
            model: RecordedChatModel(base: model, store: store, runID: runID, role: "classifier"),
            maxConcurrent: parameters.options.concurrency)
    }

    /// The run to continue (resume) or a new one.
    func openRun(_ store: RunStore) throws -> RunRecord {
        let settings = self.settings
        let json = settings.json
        if parameters.resume {
            let runs = try store.listRuns()
            if let match = runs.last(where: { $0.settingsJSON == json }) { return match }
            if let last = runs.last {
                let previous = try? JSONDecoder().decode(EvaluationSettings.self, from: Data(last.settingsJSON.utf8))
                throw EvaluationError(
                    "\(store.path): cannot resume run \(last.id): its settings differ (\(Self.differences(previous, settings))); "
                        + "rerun with the same flags, or drop --resume and use a new output folder")
            }
        }
        return try store.createRun(
            name: parameters.runName, benchmark: parameters.benchmark, mode: parameters.mode, model: model.identity,
            adapter: parameters.adapter, evaluatorKind: evaluatorKind, evaluatorName: settings.evaluator,
            seed: parameters.options.decoding.seed, samples: parameters.options.samples, settingsJSON: json,
            provenance: parameters.provenance ?? Provenance(model: model.identity))
    }

    static func differences(_ old: EvaluationSettings?, _ new: EvaluationSettings) -> String {
        guard let old else { return "the stored settings are unreadable" }
        func plain<T>(_ name: String, _ path: KeyPath<EvaluationSettings, T>) -> (String, String, String) {
            (name, "\(old[keyPath: path])", "\(new[keyPath: path])")
        }
        func optional<T>(_ name: String, _ path: KeyPath<EvaluationSettings, T?>) -> (String, String, String) {
            (name, old[keyPath: path].map { "\($0)" } ?? "-", new[keyPath: path].map { "\($0)" } ?? "-")
        }
        let pairs: [(String, String, String)] = [
            plain("benchmark", \.benchmark), ("mode", old.mode.rawValue, new.mode.rawValue),
            plain("model", \.model), optional("adapter", \.adapter), plain("evaluator", \.evaluator),
            optional("limit", \.limit), plain("problems", \.problems), plain("samples", \.samples),
            plain("seed", \.seed), plain("temperature", \.temperature), optional("top-p", \.topP),
            plain("max tokens", \.maxTokens), optional("repetition penalty", \.repetitionPenalty),
            optional("presence penalty", \.presencePenalty), optional("frequency penalty", \.frequencyPenalty),
            plain("originals", \.includeOriginals),
        ]
        let differing = pairs.filter { $0.1 != $0.2 }.map { "\($0.0): \($0.1) → \($0.2)" }
        return differing.isEmpty ? "unknown difference" : differing.joined(separator: ", ")
    }
}
