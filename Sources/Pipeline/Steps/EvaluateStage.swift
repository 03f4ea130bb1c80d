import Backends
import ClarifyCore
import Eval
import Foundation
import LLM
import Sandbox

/// Evaluation of one model — the base, or the base with the trained adapter — through the
/// evaluation engineer's ``EvaluationRun`` into `RUN_DIR/evaluate-{base,tuned}/run.sqlite`:
///
/// 1. **HumanEval, original prompts** (`humaneval` mode): Pass@1, and asking there is over-asking;
/// 2. **the clarification benchmark** (`humanevalcomm` mode, modified prompts only): Communication
///    Rate, Good Question Rate, Pass@1 and Test Pass Rate after the answers, per category.
///
/// Both runs are in one store, so `clarifycoder report RUN_DIR/evaluate-base` works on them too,
/// and the pipeline's report is regenerated from the store, never from numbers kept aside.
enum EvaluateStage {
    /// The two store runs of a model, by name.
    static func runName(tuned: Bool, benchmark: String) -> String { (tuned ? "tuned/" : "base/") + benchmark }

    /// Decoding speed assumed for the estimate (tokens/s of the batched local engine, 2 cores).
    static let assumedTokensPerSecond = 40.0

    static func estimatedSeconds(_ config: PipelineConfig, tuned: Bool) -> Double {
        let originals = Double(config.eval.humanevalLimit ?? 164)
        let modified = Double(config.eval.humanevalcommLimit ?? 164) * 4
        // A tuned model asks on most modified prompts: a second round follows.
        let rounds = tuned ? 1.8 : 1.1
        let tokens = (originals + modified * rounds) * Double(config.eval.maxTokens) * 0.7 * Double(config.eval.samples)
        return 20 + tokens / assumedTokensPerSecond
    }

    struct Settings: Encodable {
        var seed: UInt64
        var model: String
        var eval: PipelineConfig.Evaluation
    }

    static func stage(_ config: PipelineConfig, layout: RunLayout, tuned: Bool) -> Stage {
        var evaluation = config.eval
        evaluation.threads = nil  // how fast, not what
        return Stage(
            name: tuned ? "evaluate-tuned" : "evaluate-base",
            title: tuned ? "evaluate the tuned model" : "evaluate the base model",
            settings: Settings(seed: config.seed, model: config.train.model, eval: evaluation),
            dependencies: tuned ? ["fetch", "benchmark", "train"] : ["fetch", "benchmark"],
            estimatedSeconds: estimatedSeconds(config, tuned: tuned)
        ) { context in
            try await run(config, layout: layout, tuned: tuned, context: context)
        }
    }

    /// The problems of each benchmark the config selects, spread over the file.
    static func benchmarks(_ config: PipelineConfig, layout: RunLayout) throws -> [(name: String, problems: [Problem], mode: EvaluationMode)] {
        let humaneval = try DatasetReader.loadProblems(path: try AssetStore().path(for: .humaneval)).problems
        let commPath = config.eval.humanevalcomm == "offline" ? layout.offlineBenchmarkFile : config.eval.humanevalcomm
        let comm = try DatasetReader.loadProblems(path: commPath, format: .humanevalcomm).problems
            .filter { !$0.variants.isEmpty }
        var result: [(name: String, problems: [Problem], mode: EvaluationMode)] = []
        let originals = DataStages.spread(humaneval, count: config.eval.humanevalLimit)
        if !originals.isEmpty { result.append(("humaneval", originals, .humaneval)) }
        // The offline file already holds only the problems asked for; a user's file is spread.
        let modified = config.eval.humanevalcomm == "offline" ? comm : DataStages.spread(comm, count: config.eval.humanevalcommLimit)
        if !modified.isEmpty { result.append(("humanevalcomm", modified, .humanevalcomm)) }
        return result
    }

    /// Prompts decoded together by the local engine: 16 evaluates HumanEval prompts ~15% faster than
    /// 8 on two cores (the decode step is shared by the batch); a speed setting, not fingerprinted.
    static let localBatch = 16

    static func run(_ config: PipelineConfig, layout: RunLayout, tuned: Bool, context: StageContext) async throws {
        let spec = try ModelSpec(parsing: config.train.model)
        let model = try LocalChatModel(
            spec: spec, adapter: tuned ? layout.adapter : nil, maxBatch: localBatch, threads: config.eval.threads)
        let provenance = Provenance.current(model: model.identity, modelPath: try spec.localPath())
        let pool = SandboxPool(sandbox: try Sandbox())
        let selected = try benchmarks(config, layout: layout)
        // Progress over both runs, weighted by their prompt counts (a modified problem has ~4 prompts).
        let weights = selected.map { Double($0.problems.count) * ($0.mode == .humaneval ? 1 : 4.2) }
        let total = max(1, weights.reduce(0, +))
        try await withEvaluator(config.eval) { evaluator in
            var done = 0.0
            let storePath = context.directory + "/run.sqlite"
            for (index, benchmark) in selected.enumerated() {
                // Both runs share the store; a run of this name exists only if an interrupted attempt
                // of this stage (same fingerprint, so same settings) started it: continue it.
                let name = runName(tuned: tuned, benchmark: benchmark.name)
                let started = try RunStore(path: storePath).listRuns().contains { $0.name == name }
                var parameters = EvaluationParameters(
                    benchmark: benchmark.mode == .humaneval ? "humaneval" : benchmarkLabel(config),
                    problems: benchmark.problems, mode: benchmark.mode,
                    options: config.eval.options(seed: config.seed, concurrency: localBatch), storePath: storePath,
                    resume: started, runName: name, adapter: tuned ? layout.adapter : nil)
                parameters.provenance = provenance
                let weight = weights[index]
                let start = done
                _ = try await EvaluationRun(parameters: parameters, model: model, evaluator: evaluator, pool: pool).run { state in
                    let fraction = (start + weight * Double(state.finished) / Double(max(1, state.total))) / total
                    context.progress(fraction, "\(benchmark.name) \(state.finished)/\(state.total) prompts")
                }
                done += weight
            }
        }
    }

    /// How the clarification benchmark is named in the store and the report: the offline one says so.
    static func benchmarkLabel(_ config: PipelineConfig) -> String {
        config.eval.humanevalcomm == "offline" ? "humanevalcomm-offline" : "humanevalcomm"
    }

    /// The heuristic evaluator, the local judge (`local:`), a local model, or an LLM behind an OpenAI-compatible endpoint
    /// (cached, and shut down after).
    static func withEvaluator(_ settings: PipelineConfig.Evaluation, _ body: (EvaluatorChoice) async throws -> Void) async throws {
        let spec: ModelSpec
        switch try EvaluatorSpec(parsing: settings.evaluator) {
        case .heuristic:
            try await body(.heuristic)
            return
        case .localJudge(let model, let variant):
            let local = try LocalChatModel(spec: model, maxBatch: localBatch, threads: settings.threads)
            try await body(.evaluator(LocalJudge(model: local, variant: variant, maxConcurrent: localBatch)))
            return
        case .model(let model):
            spec = model
        }
        guard case .openAI(let name) = spec else {
            try await body(.model(try LocalChatModel(spec: spec, maxBatch: localBatch, threads: settings.threads)))
            return
        }
        let endpoint = try OpenAICompatibleModel(configuration: OpenAIConfiguration(
            baseURL: settings.baseURL, model: name,
            apiKeyEnvironmentVariable: settings.apiKeyEnv, maxConcurrentRequests: 8))
        do {
            let cached = CachedChatModel(endpoint, cache: try ResponseCache(directory: ResponseCache.defaultDirectory()))
            try await body(.model(cached))
            try await endpoint.shutdown()
        } catch {
            try? await endpoint.shutdown()
            throw error
        }
    }
}
