import Backends
import ClarifyCore
import Foundation
import Synth

/// The stages that make data: fetch the embedded assets, synthesize clarification dialogues
/// from the training problems, build the offline clarification benchmark, mix the training set.
enum DataStages {
    /// The assets a run of `config` reads: the base model when it is a known name, and HumanEval.
    static func assets(_ config: PipelineConfig) -> [Asset] {
        let model = (try? ModelSpec(parsing: config.train.model))?.knownModel?.asset ?? .model
        return [model, .humaneval]
    }

    static func fetch(assets: [Asset] = Asset.quickPath, python: String = "python3") -> Stage {
        Stage(
            name: "fetch", title: "fetch the base model and HumanEval",
            settings: assets.map { [$0.rawValue, $0.fileSHA256] }, estimatedSeconds: 3
        ) { context in
            let fetcher = AssetFetcher(parameters: .init(python: python))
            for (index, asset) in assets.enumerated() {
                context.progress(Double(index) / Double(assets.count), "\(asset.rawValue)")
                _ = try fetcher.fetch(asset)
            }
            context.progress(1, "assets verified")
        }
    }

    /// The settings of synthesis that decide its output (not how fast it runs).
    struct SynthesisSettings: Encodable {
        var seed: UInt64
        var synthesizer: String
        var model: String?
        var baseURL: String?
        var problems: String
        var problemsSHA256: String?
        var problemLimit: Int?
        var kinds: [String]
        var perProblem: Int
        /// nil for the bank's `doctest` layout (and for dataset files), so earlier runs keep their fingerprint.
        var bankStyle: String? = nil
    }

    static func synthesize(_ config: PipelineConfig, layout: RunLayout) -> Stage {
        let synthesis = config.synthesis
        let settings = SynthesisSettings(
            seed: config.seed, synthesizer: synthesis.synthesizer, model: synthesis.model,
            baseURL: synthesis.synthesizer == "llm" ? synthesis.baseURL : nil, problems: synthesis.problems,
            problemsSHA256: synthesis.problems == "bank" ? nil : try? FileHash.sha256(path: synthesis.problems),
            problemLimit: synthesis.problemLimit, kinds: synthesis.kinds, perProblem: synthesis.perProblem,
            bankStyle: synthesis.problems == "bank" ? synthesis.bankStyleSet : nil)
        let problemCount = synthesis.problemLimit ?? 311
        let perProblemSeconds = synthesis.synthesizer == "llm" ? 20.0 / Double(synthesis.concurrency) : 0.03
        return Stage(
            name: "synthesize", title: "synthesize clarification dialogues", settings: settings,
            dependencies: ["fetch"], estimatedSeconds: Double(problemCount) * perProblemSeconds
        ) { context in
            let all = synthesis.problems == "bank"
                ? ProblemBank.problems(style: BankPromptStyle(rawValue: synthesis.bankStyle) ?? .doctest).map(\.problem)
                : try DatasetReader.loadProblems(path: synthesis.problems).problems
            let problems = spread(all, count: synthesis.problemLimit)
            let parameters = SynthesisRun.Parameters(
                categories: try SynthesisRun.categories(forKinds: synthesis.kinds), perProblem: synthesis.perProblem,
                seed: config.seed, outputDirectory: context.directory, resume: true,
                command: "clarifycoder pipeline (stage synthesize)", sourceName: synthesis.problems,
                concurrency: synthesis.synthesizer == "llm" ? synthesis.concurrency : 1)
            try await withSynthesizer(synthesis) { synthesizer in
                try await SynthesisRun.run(problems: problems, synthesizer: synthesizer, parameters: parameters) {
                    context.progress(Double($0.problemsDone) / Double(max(1, $0.problemsTotal)),
                                     "\($0.problemsDone)/\($0.problemsTotal) problems, \($0.examplesKept) examples")
                }
            }
        }
    }

    /// The offline clarification benchmark: HumanEval rewritten by the rule-based synthesizer in
    /// every category (up to 7 variants per problem, the first of each category kept), written in
    /// HumanEvalComm's format — over the `eval.humanevalcomm_limit` problems the evaluation poses. With a user file, the stage checks it
    /// reads as HumanEvalComm and records its hash (a changed file re-runs the evaluation).
    static func benchmark(_ config: PipelineConfig, layout: RunLayout) -> Stage {
        let offline = config.eval.humanevalcomm == "offline"
        let settings: [String: String] = offline
            ? ["source": "offline", "seed": String(config.seed), "per_problem": "7", "kinds": "all",
               "problems": config.eval.humanevalcommLimit.map(String.init) ?? "all"]
            : ["source": config.eval.humanevalcomm, "sha256": (try? FileHash.sha256(path: config.eval.humanevalcomm)) ?? "?"]
        return Stage(
            name: "benchmark", title: offline ? "build the offline clarification benchmark" : "check the HumanEvalComm file",
            settings: settings, dependencies: ["fetch"], estimatedSeconds: offline ? 8 : 1
        ) { context in
            guard offline else {
                let loaded = try DatasetReader.loadProblems(path: config.eval.humanevalcomm, format: .humanevalcomm)
                guard !loaded.problems.isEmpty else {
                    throw PipelineError.config("eval.humanevalcomm", "\(config.eval.humanevalcomm) holds no problems")
                }
                context.progress(1, "\(loaded.problems.count) problems")
                return
            }
            // Only the HumanEval problems the evaluation will pose, spread over the file.
            let humaneval = spread(
                try DatasetReader.loadProblems(path: try AssetStore().path(for: .humaneval)).problems,
                count: config.eval.humanevalcommLimit)
            let parameters = SynthesisRun.Parameters(
                categories: ClarificationCategory.allCases.filter { $0 != .original }, perProblem: 7, seed: config.seed,
                outputDirectory: context.directory, resume: true,
                command: "clarifycoder pipeline (stage benchmark: offline HumanEvalComm from HumanEval)",
                sourceName: "humaneval")
            try await SynthesisRun.run(problems: humaneval, synthesizer: RuleBasedSynthesizer(), parameters: parameters) {
                context.progress(Double($0.problemsDone) / Double(max(1, $0.problemsTotal)),
                                 "\($0.problemsDone)/\($0.problemsTotal) HumanEval problems")
            }
        }
    }

    struct MixSettings: Encodable {
        var seed: UInt64
        var ratio: String
        var confirmation: Bool
        var target: String
        /// nil when on, so the fingerprints of runs from before the setting stay as they were.
        var docstrings: Bool?
        var validationFraction: Double
        var stages: Int
    }

    static func mix(_ config: PipelineConfig, layout: RunLayout) -> Stage {
        let mix = config.mix
        return Stage(
            name: "mix", title: "mix clear and clarify examples",
            settings: MixSettings(seed: config.seed, ratio: mix.ratio, confirmation: mix.confirmation, target: mix.target,
                                  docstrings: mix.docstrings ? nil : false, validationFraction: mix.validationFraction, stages: mix.stages),
            dependencies: ["synthesize"], estimatedSeconds: 2
        ) { context in
            let parameters = Mixture.Parameters(
                ratio: config.ratioParts ?? (1, 1), seed: config.seed, validationFraction: mix.validationFraction,
                stages: mix.stages, format: .chat,
                dialogue: DialogueFormat(target: DialogueFormat.Target(rawValue: mix.target) ?? .confirmThenCode,
                                         confirmClear: mix.confirmation, docstrings: mix.docstrings),
                outputDirectory: context.directory, command: "clarifycoder pipeline (stage mix)")
            let manifest = try Mixture.run(inputs: [layout.synthesis], parameters: parameters)
            context.progress(1, "\(manifest.splits["train"]?.examples ?? 0) training examples")
        }
    }

    /// `count` items spread evenly over `items` (all of them when `count` is nil or too large),
    /// so a small run still sees every family of the problem bank.
    static func spread<T>(_ items: [T], count: Int?) -> [T] {
        guard let count, count < items.count else { return items }
        return (0..<count).map { items[$0 * items.count / count] }
    }

    /// Runs `body` with the configured synthesizer; an LLM endpoint's client is shut down after.
    static func withSynthesizer(
        _ settings: PipelineConfig.Synthesis, _ body: (any Synthesizer) async throws -> Void
    ) async throws {
        guard settings.synthesizer == "llm", let model = settings.model else {
            try await body(RuleBasedSynthesizer())
            return
        }
        let spec = try ModelSpec(parsing: model)
        guard case .openAI(let name) = spec else {
            let local = try LocalChatModel(spec: spec, maxBatch: settings.concurrency)
            let cache = try ResponseCache(directory: ResponseCache.defaultDirectory())
            try await body(LLMSynthesizer(model: CachedChatModel(local, cache: cache)))
            return
        }
        let endpoint = try OpenAICompatibleModel(configuration: OpenAIConfiguration(
            baseURL: settings.baseURL, model: name,
            apiKeyEnvironmentVariable: settings.apiKeyEnv, maxConcurrentRequests: settings.concurrency))
        do {
            let cached = CachedChatModel(endpoint, cache: try ResponseCache(directory: ResponseCache.defaultDirectory()))
            try await body(LLMSynthesizer(model: cached))
            try await endpoint.shutdown()
        } catch {
            try? await endpoint.shutdown()
            throw error
        }
    }
}
