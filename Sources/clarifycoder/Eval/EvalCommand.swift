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

    @Flag(help: "With humanevalcomm: pose only the modified prompts, not the originals.")
    var noOriginals = false

    @Option(help: "Evaluate the first N problems only (all their prompts).")
    var limit: Int?

    @Option(help: "Dialogues per prompt (n > 1 gives unbiased pass@k; use --temperature > 0).")
    var samples: Int = 1

    @Option(help: "Sampling temperature (0: greedy).")
    var temperature: Double = 0

    @Option(help: "Nucleus-sampling mass, in (0, 1].")
    var topP: Double?

    @Option(help: "New tokens at most per response.")
    var maxTokens: Int = 512

    @Option(help: "Penalise tokens already in the conversation, prompt included, as transformers does (default: off).")
    var repetitionPenalty: Double?

    @Option(parsing: .unconditional, help: "OpenAI's presence penalty, -2 to 2: lower every token the answer already holds, the prompt's left alone (default: off).")
    var presencePenalty: Double?

    @Option(parsing: .unconditional, help: "OpenAI's frequency penalty, -2 to 2: lower a token once per time the answer already holds it (default: off).")
    var frequencyPenalty: Double?

    @Option(help: "Seed; sample i uses seed + i.")
    var seed: Int = 0

    @Option(help: "Local engine worker threads (default: all cores).")
    var threads: Int?

    @Option(help: "Local engine: chat format when the checkpoint's is not recognised.")
    var template: String?

    @Option(help: "Model requests in flight at once (the local engine decodes them as one batch).")
    var concurrency: Int = 8

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
        guard samples >= 1 else { throw ValidationError("--samples must be at least 1") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        guard (0...2).contains(temperature) else { throw ValidationError("--temperature must be between 0 and 2") }
        if let topP, !(topP > 0 && topP <= 1) { throw ValidationError("--top-p must be in (0, 1]") }
        guard maxTokens >= 1 else { throw ValidationError("--max-tokens must be at least 1") }
        if let repetitionPenalty, !(repetitionPenalty > 0 && repetitionPenalty.isFinite) {
            throw ValidationError("--repetition-penalty must be positive, got \(repetitionPenalty)")
        }
        if let presencePenalty, !(-2...2).contains(presencePenalty) {
            throw ValidationError("--presence-penalty must be in [-2, 2], got \(presencePenalty)")
        }
        if let frequencyPenalty, !(-2...2).contains(frequencyPenalty) {
            throw ValidationError("--frequency-penalty must be in [-2, 2], got \(frequencyPenalty)")
        }
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
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
            includeOriginals: !noOriginals, limit: limit, samples: samples, seed: seed, temperature: temperature,
            topP: topP, maxTokens: maxTokens, storePath: storePath, resume: resume,
            runName: (out as NSString).lastPathComponent, adapter: adapter, maxConcurrentRequests: concurrency,
            repetitionPenalty: repetitionPenalty, presencePenalty: presencePenalty, frequencyPenalty: frequencyPenalty)
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
