import ArgumentParser
import Backends
import ClarifyCore
import Foundation
import Sandbox
import Synth

/// `clarifycoder synthesize --problems bank|PATH --out DIR [--bank-style doctest|varied] [--kinds …] [--per-problem N] [--seed S] [--resume]
/// [--synthesizer rules|llm --model openai:NAME --base-url URL --api-key-env VAR --concurrency N --verify-samples K]`.
struct SynthesizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synthesize",
        abstract: "Turn clear programming problems into clarification dialogues.",
        discussion: """
            Each problem is rewritten into ambiguous, incomplete or inconsistent variants (and the \
            combinations 2ac, 2ap, 2cp, 3acp with --kinds combos); every variant records what changed, \
            the clarifying questions, the user's answers and the code. DIR receives examples.jsonl, \
            humanevalcomm.jsonl, manifest.json (with quality-control rejection counts) and a README.md \
            dataset card. A killed run continues with --resume and ends with the same files.

            --synthesizer llm asks a model behind an OpenAI-compatible endpoint to rewrite each problem, \
            ask the questions (seeing only the rewrite) and answer them (from the original); replies are \
            cached in $CLARIFYCODER_HOME/cache/responses, so a resumed run replays them. \
            --verify-samples K keeps a variant only when K sampled solutions of the rewrite behave \
            differently on the tests while K of the original agree (run in the sandbox).
            """
    )

    @Option(help: "bank (the built-in problem bank) or a dataset file any loader reads (HumanEval, MBPP, …).")
    var problems: String = "bank"

    @Option(help: "With --problems bank: doctest (every signature typed, examples as doctests) or varied (per problem, HumanEval's variety: bare signatures, examples as f(x) == y, ➞ or =>).")
    var bankStyle: BankPromptStyle = .doctest

    @Option(help: "Comma-separated: ambiguous, incomplete, inconsistent, combos, or categories such as 2ap.")
    var kinds: String = "ambiguous,incomplete,inconsistent"

    @Option(help: "The synthesizer: rules (offline) or llm (needs --model).")
    var synthesizer: String = "rules"

    @Option(help: "With --synthesizer llm: the model, openai:NAME (NAME is sent to the endpoint) or a local model: \(ModelArgument.knownNames), a .gguf file or a Hugging Face folder.")
    var model: String?

    @Option(help: "With --synthesizer llm: the endpoint's base URL, with or without /v1.")
    var baseURL: String = "https://api.openai.com/v1"

    @Option(help: "With --synthesizer llm: the environment variable holding the API key.")
    var apiKeyEnv: String = "OPENAI_API_KEY"

    @Option(help: "With --synthesizer llm: problems and requests in flight at once.")
    var concurrency: Int = 4

    @Option(help: "With --synthesizer llm: verify each variant with K sampled solutions of the rewrite and of the original (0: off).")
    var verifySamples: Int = 0

    @Flag(help: "With --synthesizer llm: do not read or write the response cache.")
    var noCache = false

    @Option(help: "Variants kept per problem.")
    var perProblem: Int = 3

    @Option(help: "Seed of every random choice.")
    var seed: UInt64 = 0

    @Option(help: "dialogue (confirm, then code) or questions (questions only, as in the paper).")
    var target: DialogueFormat.Target = .confirmThenCode

    @Option(help: "Output directory.")
    var out: String

    @Flag(help: "Continue an interrupted run in --out.")
    var resume = false

    @Option(help: "Stop after this many problems (resume later to finish).")
    var limit: Int?

    @OptionGroup var read: ReadOptions

    func validate() throws {
        guard perProblem > 0 else { throw ValidationError("--per-problem must be at least 1") }
        switch synthesizer {
        case "rules":
            guard model == nil, verifySamples == 0 else {
                throw ValidationError("--model and --verify-samples need --synthesizer llm")
            }
        case "llm":
            guard let model else {
                throw ValidationError("--synthesizer llm needs --model (openai:NAME or a local model)")
            }
            let spec = try ModelArgument.parse(model, option: "--model")
            guard spec != .reference else {
                throw ValidationError("--model must be openai:NAME or a local model, not reference")
            }
            guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
            guard verifySamples == 0 || verifySamples >= 2 else {
                throw ValidationError("--verify-samples must be 0 (off) or at least 2")
            }
            if case .openAI(let name) = spec {
                do { _ = try openAIConfiguration(model: name).apiRoot() } catch let error as BackendError {
                    throw ValidationError(error.message)
                }
            }
        default:
            throw ValidationError("unknown --synthesizer '\(synthesizer)'; use rules or llm")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if bankStyle != .doctest, problems != "bank" {
            throw ValidationError("--bank-style lays out the problem bank's prompts; --problems is a dataset file")
        }
    }

    func run() async throws {
        let parameters: SynthesisRun.Parameters
        let input: [Problem]
        do {
            let categories = try SynthesisRun.categories(forKinds: kinds.split(separator: ",").map(String.init))
            if problems == "bank" {
                input = ProblemBank.problems(style: bankStyle).map(\.problem)
            } else {
                let file = try DatasetReader.loadProblems(path: problems, options: read.jsonl)
                input = file.problems
                reportSkipped(file.stats)
            }
            let command = "clarifycoder " + CommandLine.arguments.dropFirst().filter { $0 != "--resume" }.joined(separator: " ")
            parameters = SynthesisRun.Parameters(
                categories: categories, perProblem: perProblem, seed: seed, outputDirectory: out, resume: resume,
                format: DialogueFormat(target: target), command: command, sourceName: problems, limit: limit,
                concurrency: synthesizer == "llm" ? concurrency : 1)
        } catch {
            throw CommandFailure(error)
        }
        let bar = ProgressLine()
        let manifest: SynthesisManifest
        var client: OpenAICompatibleModel?
        do {
            let chosen: any Synthesizer
            if synthesizer == "llm", let model {
                switch try ModelArgument.parse(model, option: "--model") {
                case .openAI(let name):
                    let endpoint = try OpenAICompatibleModel(configuration: openAIConfiguration(model: name))
                    client = endpoint
                    chosen = try llmSynthesizer(endpoint)
                case let spec:
                    chosen = try llmSynthesizer(LocalChatModel(spec: spec, maxBatch: concurrency))
                }
            } else {
                chosen = RuleBasedSynthesizer()
            }
            manifest = try await SynthesisRun.run(problems: input, synthesizer: chosen, parameters: parameters) {
                bar.draw(done: $0.problemsDone, total: $0.problemsTotal,
                         detail: "\($0.examplesKept) kept, \($0.rejected) rejected")
            }
            try await client?.shutdown()
        } catch {
            bar.finish()
            try? await client?.shutdown()
            throw CommandFailure(error)
        }
        bar.finish()
        let failed = manifest.failures.values.reduce(0, +)
        if failed > 0 {
            let reasons = manifest.failures.filter { $0.value > 0 }.sorted { $0.key < $1.key }
                .map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            print("\(failed) attempts failed (\(reasons)); see failure_messages in \(out)/problems.jsonl")
        }
        if manifest.problems < input.count {
            print("stopped after \(manifest.problems) of \(input.count) problems; continue with --resume")
        } else {
            let rejected = manifest.rejections.values.reduce(0, +)
            print("wrote \(manifest.examples) examples from \(manifest.problems) problems to \(out) (\(rejected) rejected by quality control)")
        }
    }
}

extension SynthesizeCommand {
    /// The endpoint of `--model openai:NAME`, given NAME.
    func openAIConfiguration(model: String) -> OpenAIConfiguration {
        OpenAIConfiguration(
            baseURL: baseURL, model: model, apiKeyEnvironmentVariable: apiKeyEnv,
            maxConcurrentRequests: concurrency)
    }

    /// The LLM synthesizer over `endpoint`, behind the response cache unless `--no-cache`, with
    /// verified ambiguity when `--verify-samples` is set.
    func llmSynthesizer(
        _ endpoint: some ChatModel, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> LLMSynthesizer {
        let model: any ChatModel = noCache
            ? endpoint
            : CachedChatModel(endpoint, cache: try ResponseCache(directory: ResponseCache.defaultDirectory(environment: environment)))
        var verifier: AmbiguityVerifier?
        if verifySamples > 0 {
            let pool = SandboxPool(sandbox: try Sandbox())
            verifier = AmbiguityVerifier(model: model, pool: pool, samples: verifySamples)
        }
        return LLMSynthesizer(model: model, verifier: verifier)
    }
}

extension DialogueFormat.Target: ExpressibleByArgument {}

/// A one-line progress bar on standard error.
final class ProgressLine {
    private var lastDrawn = -1
    private let interactive = isatty(2) != 0

    func draw(done: Int, total: Int, detail: String) {
        let percent = total == 0 ? 100 : done * 100 / total
        guard percent != lastDrawn || done == total else { return }
        lastDrawn = percent
        let width = 30
        let filled = total == 0 ? width : done * width / total
        let line = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            + "] \(done)/\(total) \(detail)"
        if interactive {
            FileHandle.standardError.write(Data(("\r" + line).utf8))
        } else if percent % 10 == 0 {
            printError(line)
        }
    }

    func finish() {
        if interactive, lastDrawn >= 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

extension BankPromptStyle: ExpressibleByArgument {}
