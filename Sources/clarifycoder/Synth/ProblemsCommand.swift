import ArgumentParser
import Backends
import ClarifyCore
import Execution
import Foundation
import Sandbox
import Synth

/// `clarifycoder problems …`: natural training problems generated from real code.
struct ProblemsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "problems",
        abstract: "Generate verified HumanEval-style training problems from real Python code.",
        subcommands: [ProblemsGenerateCommand.self]
    )
}

/// `clarifycoder problems generate --model NAME --seeds stdlib|DIR --count N --out DIR [--seed S]
/// [--concurrency K] [--resume] [--decontaminate PATH]… [--limit N] [--max-tokens T]`.
struct ProblemsGenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write problems inspired by seed snippets (OSS-Instruct) and keep the verified ones.",
        discussion: """
            Seed snippets (functions, classes, doctest examples) are drawn in a seeded order from the \
            Python files of --seeds (stdlib: the system Python's standard library, test suites left out). \
            For each, the model writes one self-contained problem: a function with a docstring and \
            doctest examples, a reference implementation and check(candidate) tests. A problem is kept \
            when it imports only computing standard-library modules, its reference passes its tests and \
            its docstring examples in the sandbox, its tests reject every constant return and at least \
            half the operator mutants of the reference, it is no near duplicate of an earlier problem, \
            and it shares no function name, parameter list or 13-gram passage with HumanEval or a \
            --decontaminate benchmark.

            DIR receives items.jsonl (every item, its verdict and why it was rejected; append-only), \
            problems.jsonl (HumanEval format: eval --benchmark humaneval --data, synthesize --problems, \
            data inspect), manifest.json (counts per stage, rejection reasons, topic and difficulty \
            spread, provenance) and a README.md card. A killed run continues with --resume and loses \
            only the items that were in flight.
            """
    )

    @Option(help: "The problem writer: \(ModelArgument.knownNames), a .gguf file, a Hugging Face folder, or openai:NAME.")
    var model: String = "qwen2.5-coder-1.5b"

    @Option(help: "The endpoint of --model openai:NAME, with or without /v1.")
    var baseURL: String = "https://api.openai.com/v1"

    @Option(help: "The environment variable holding the endpoint's API key.")
    var apiKeyEnv: String = "OPENAI_API_KEY"

    @Option(help: "stdlib (the system Python's standard library) or a folder of Python sources.")
    var seeds: String = "stdlib"

    @Option(help: "Problems to keep.")
    var count: Int

    @Option(help: "Output directory.")
    var out: String

    @Option(help: "Seed of the snippet order and of the model's sampling.")
    var seed: UInt64 = 0

    @Option(help: "Items in flight at once (the local engine decodes them as one batch).")
    var concurrency: Int = 8

    @Option(help: "Longest answer, in tokens.")
    var maxTokens: Int = ProblemGeneration.Parameters.defaultMaxTokens

    @Option(help: "Draw only the first N items (resume later to go on); 0 draws none and only reassembles the set from the ledger.")
    var limit: Int?

    @Option(help: "A benchmark file (any format `data inspect` reads) to decontaminate against, besides HumanEval; repeatable.")
    var decontaminate: [String] = []

    @Option(help: "Threads of the local engine (default: all cores).")
    var threads: Int?

    @Flag(help: "Continue the run in --out.")
    var resume = false

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
        guard maxTokens >= 64 else { throw ValidationError("--max-tokens must be at least 64") }
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
        let spec = try ModelArgument.parse(model, option: "--model")
        guard spec != .reference else { throw ValidationError("--model must be a model that writes, not reference") }
    }

    func run() async throws {
        let seedFolder: String
        let corpus: SeedCorpus
        var benchmarks: [(name: String, problems: [Problem])] = []
        do {
            seedFolder = seeds == "stdlib" ? try SeedCorpus.standardLibraryFolder() : seeds
            corpus = try SeedCorpus(folder: seedFolder)
            benchmarks.append(("humaneval", try DatasetReader.loadProblems(path: try AssetStore().path(for: .humaneval)).problems))
            for path in decontaminate {
                benchmarks.append((path, try DatasetReader.loadProblems(path: path).problems))
            }
        } catch {
            throw CommandFailure(error)
        }
        let spec = try ModelArgument.parse(model, option: "--model")
        let weights: String? = spec.isLocal ? (try? spec.localPath()) : nil
        var provenance = Provenance.current(model: model, modelPath: weights)
        provenance.command = Provenance.commandLine(Self.recordedArguments(CommandLine.arguments))
        let parameters = ProblemGeneration.Parameters(
            model: model, seedsName: seeds, count: count, seed: seed, concurrency: concurrency, outputDirectory: out,
            resume: resume, maxTokens: maxTokens, benchmarks: benchmarks, limit: limit,
            provenance: provenance)
        let bar = ProgressLine()
        var client: OpenAICompatibleModel?
        let manifest: ProblemManifest
        do {
            let chatModel: any ChatModel
            switch spec {
            case .openAI(let name):
                let endpoint = try OpenAICompatibleModel(
                    configuration: OpenAIConfiguration(
                        baseURL: baseURL, model: name, apiKeyEnvironmentVariable: apiKeyEnv,
                        maxConcurrentRequests: concurrency))
                client = endpoint
                chatModel = endpoint
            case let spec:
                chatModel = try LocalChatModel(spec: spec, maxBatch: concurrency, threads: threads)
            }
            let verifier = ProblemVerifier(pool: SandboxPool(sandbox: try Sandbox()))
            manifest = try await ProblemGeneration.run(
                model: chatModel, verifier: verifier, corpus: corpus, seedFolder: seedFolder, parameters: parameters
            ) {
                bar.draw(
                    done: $0.kept, total: $0.count,
                    detail: "kept, \($0.itemsDone) items" + ($0.lastRejection.map { " (last rejected: \($0))" } ?? ""))
            }
            try await client?.shutdown()
        } catch {
            bar.finish()
            try? await client?.shutdown()
            throw CommandFailure(error)
        }
        bar.finish()
        if !corpus.unreadable.isEmpty {
            printError("\(corpus.unreadable.count) seed files could not be read (listed in \(out)/manifest.json)")
        }
        let items = manifest.stages[ProblemStage.sampled.rawValue] ?? 0
        print("kept \(manifest.kept) of \(manifest.count) problems from \(items) items; wrote \(out)/problems.jsonl")
        if manifest.kept < manifest.count {
            print("stopped short of --count \(manifest.count); continue with --resume")
        }
    }

    /// The command line as the card records it: without `--resume` and `--limit N`, which say how
    /// far one invocation went, not what the set is — so the recorded command continues the set.
    static func recordedArguments(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var skipNext = false
        for argument in arguments {
            if skipNext {
                skipNext = false
                continue
            }
            if argument == "--resume" || argument.hasPrefix("--limit=") { continue }
            if argument == "--limit" {
                skipNext = true
                continue
            }
            result.append(argument)
        }
        return result
    }
}
