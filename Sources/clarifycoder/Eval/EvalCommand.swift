import ArgumentParser
import Backends
import ClarifyCore
import Eval
import Foundation
import LLM
import Sandbox

/// `clarifycoder eval`: a model on HumanEval or HumanEvalComm, recorded in RUN_DIR/run.sqlite.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a model on HumanEval or HumanEvalComm (communication and code), resumably.",
        discussion: """
            humanevalcomm poses every modified prompt (and each original, to measure over-asking) with the \
            "code or ask" instruction; a response without code goes to the evaluator, which answers with the \
            original requirement and grades the questions (3 Good, 2 Fair, 1 none), and the model writes the \
            code in a second round. humaneval poses the original prompts only. --no-clarification tells the \
            model to write code only (the baseline). Final code runs in the sandbox.

            HumanEvalComm is not bundled: pass its JSONL with --data, or build the offline one from HumanEval \
            with `clarifycoder synthesize --problems "$(clarifycoder data path humaneval)" --kinds \
            ambiguous,incomplete,inconsistent,combos --out DIR` and pass --data DIR/humanevalcomm.jsonl.

            Everything is recorded in RUN_DIR/run.sqlite (items, model calls, executions, metrics); a killed \
            run continues with --resume and ends with the same results. The heuristic evaluator's Good \
            Question Rate is approximate and labelled so.
            """)

    @Option(help: "humaneval or humanevalcomm.")
    var benchmark: String

    @Option(help: "Benchmark file (HumanEval or HumanEvalComm JSONL; default for humaneval: the cached HumanEval).")
    var data: String?

    @Option(help: "\(ModelArgument.knownNames), a .gguf file, a Hugging Face folder, openai:NAME or reference.")
    var model: String = "smollm2"

    @Option(help: "With openai: models: the endpoint's base URL, with or without /v1.")
    var baseURL: String = "https://api.openai.com/v1"

    @Option(help: "With openai: models: the environment variable holding the API key.")
    var apiKeyEnv: String = "OPENAI_API_KEY"

    @Option(help: "Local models: a LoRA adapter folder (PEFT format, as `train` writes) run on top of the base weights.")
    var adapter: String?

    @Option(
        help: "heuristic (offline, approximate grades); local:[NAME|PATH][:prompt|steps|probs], the local judge (default qwen2.5-coder-1.5b, probs); or a model that answers, grades and classifies first responses with the benchmark's prompt: openai:NAME, a known name, a .gguf file or a Hugging Face folder.")
    var evaluator: String = "heuristic"

    @Option(help: "With --evaluator openai:NAME: its base URL (default: --base-url).")
    var evaluatorBaseURL: String?

    @Flag(help: "The baseline: tell the model to write code only, no questions.")
    var noClarification = false

    @Option(help: "Evaluate the first N problems only (all their prompts).")
    var limit: Int?

    @OptionGroup(title: "How each prompt is posed")
    var posing: EvaluationFlags

    @Option(help: "Local engine worker threads (default: all cores).")
    var threads: Int?

    @Option(help: "Local engine: chat format when the checkpoint's is not recognised.")
    var template: String?

    @Option(help: "Sandboxed processes at once (default: the number of cores).")
    var workers: Int?

    @Option(help: "Run folder; receives run.sqlite.")
    var out: String

    @Flag(help: "Continue the run in --out (same flags) instead of refusing to touch it.")
    var resume = false

    @Flag(help: "Print the summary as one JSON object on standard output (progress stays on standard error).")
    var json = false

    @Option(help: "Write every prompt sample as a JSON line to FILE: id, prompt, response, classification, judge answer and grade, verdict.")
    var logSamples: String?

    func validate() throws {
        guard ["humaneval", "humanevalcomm"].contains(benchmark) else {
            throw ValidationError("--benchmark must be humaneval or humanevalcomm, got '\(benchmark)'")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
        _ = try evaluatorSpec()
        let spec = try modelSpec()
        if adapter != nil, !spec.isLocal {
            throw ValidationError(
                "--adapter needs a local model (\(KnownModel.names.joined(separator: ", ")), a .gguf file or a "
                    + "Hugging Face folder)")
        }
        if let template, ChatTemplate(named: template) == nil {
            throw ValidationError("unknown --template \(template); known: \(ChatTemplate.names.joined(separator: ", "))")
        }
    }

    func modelSpec() throws -> ModelSpec { try ModelArgument.parse(model, option: "--model") }

    /// `reference` cannot judge questions.
    func evaluatorSpec() throws -> EvaluatorSpec { try EvaluatorArgument.parse(evaluator) }

    var storePath: String { (out as NSString).appendingPathComponent("run.sqlite") }

    func run() async throws {
        let result = try await evaluate()
        if let logSamples { try writeSampleLog(result, to: logSamples) }
        print(summary(of: result))
    }

    /// What `eval` prints on standard output: the summary table, or with `--json` one JSON object.
    func summary(of result: EvaluationResult) -> String {
        json ? EvalSummaryJSON(result).json : EvalSummary.render(result)
    }

    /// Runs (or resumes) the evaluation the flags describe; progress goes to standard error.
    func evaluate() async throws -> EvaluationResult {
        let problems = try loadProblems()
        if !resume, FileManager.default.fileExists(atPath: storePath),
            let runs = try? RunStore(path: storePath).listRuns(), let last = runs.last
        {
            throw ValidationError(
                "\(storePath) already holds run \(last.id) (\(last.mode.rawValue), \(last.model)); "
                    + "pass --resume to continue it, or choose another --out")
        }
        let sandbox = try Sandbox()
        for warning in sandbox.warnings { printError(warning) }
        let pool = SandboxPool(sandbox: sandbox, workers: workers)
        let loaded = try await ModelChoice.load(self, problems: problems)
        var parameters = EvaluationParameters(
            benchmark: benchmarkName, problems: problems,
            mode: noClarification ? .noClarification : (benchmark == "humaneval" ? .humaneval : .humanevalcomm),
            limit: limit, options: posing.options, storePath: storePath, resume: resume,
            runName: (out as NSString).lastPathComponent, adapter: adapter)
        let weights = model == "smollm2" ? try? AssetStore().path(for: .model) : model
        parameters.provenance = Provenance.current(model: model, modelPath: weights)
        let bar = LockedProgressLine()
        let result: EvaluationResult
        do {
            result = try await EvaluationRun(
                parameters: parameters, model: loaded.model, evaluator: loaded.evaluator, pool: pool
            ).run { progress in
                let failed = progress.failed > 0 ? ", \(progress.failed) failed" : ""
                bar.draw(done: progress.finished, total: progress.total, detail: "prompts\(failed)")
            }
            bar.finish()
            await loaded.shutdown()
        } catch {
            bar.finish()
            await loaded.shutdown()
            throw CommandFailure(error)
        }
        return result
    }

    var benchmarkName: String { data.map { "\(benchmark):\(($0 as NSString).lastPathComponent)" } ?? benchmark }

    func loadProblems() throws -> [Problem] {
        let path: String
        if let data {
            path = data
        } else if benchmark == "humaneval" {
            do { path = try AssetStore().path(for: .humaneval) } catch { throw CommandFailure(error) }
        } else {
            throw ValidationError(
                """
                    HumanEvalComm is not bundled (it is not on PyPI). Pass its JSONL with --data PATH, or build \
                    the offline HumanEvalComm-format set from HumanEval:
                      clarifycoder synthesize --problems "$(clarifycoder data path humaneval)" \
                    --kinds ambiguous,incomplete,inconsistent,combos --out humanevalcomm-offline
                    and run again with --data humanevalcomm-offline/humanevalcomm.jsonl
                    """)
        }
        do {
            return try DatasetReader.loadProblems(path: path).problems
        } catch {
            throw CommandFailure(error)
        }
    }
}

/// The progress bar behind a lock: the run reports progress from its own task.
final class LockedProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private let line = ProgressLine()

    func draw(done: Int, total: Int, detail: String) {
        lock.withLock { line.draw(done: done, total: total, detail: detail) }
    }

    func finish() { lock.withLock { line.finish() } }
}

/// `eval`'s flags for how each prompt is posed, parsed into the library's one ``EvaluationOptions``
/// (whose defaults they show and whose rules check them).
struct EvaluationFlags: ParsableArguments {
    @Option(help: "Dialogues per prompt (n > 1 gives unbiased pass@k; use --temperature > 0).")
    var samples: Int = EvaluationOptions.defaults.samples

    @Flag(help: "With humanevalcomm: pose only the modified prompts, not the originals.")
    var noOriginals = false

    @Option(help: "Model requests in flight at once (the local engine decodes them as one batch).")
    var concurrency: Int = EvaluationOptions.defaults.concurrency

    @OptionGroup(title: "Decoding")
    var decoding: DecodingOptions

    /// The options these flags give.
    var options: EvaluationOptions {
        EvaluationOptions(
            samples: samples, includeOriginals: !noOriginals, concurrency: concurrency, decoding: decoding.settings)
    }

    func validate() throws {
        if let (key, message) = options.problem {
            throw ValidationError("--\(key.replacingOccurrences(of: "_", with: "-")) \(message)")
        }
    }
}
