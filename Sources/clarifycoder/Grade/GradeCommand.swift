import ArgumentParser
import Backends
import ClarifyCore
import Eval
import Execution
import Foundation
import Sandbox

/// `clarifycoder grade`: an evaluator over a file of responses, measured against reference grades.
struct GradeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade clarifying questions 1-3 with any evaluator, and compare with reference grades.",
        discussion: """
            DATA is JSONL: {"id", "original", "modified", "response", "reference_grade"?} per line — the two \
            problem texts, a model's first response to the modified one, and an optional 1-3 grade \
            (scripts/humanevalcomm_log_to_grade.py makes such a file from a HumanEvalComm run log). Every \
            response is graded as HumanEvalComm's evaluator grades it (3 Good, 2 Fair, 1 No questions) and \
            answered. --out receives grades.jsonl (id, quality, answers, judge_output, scores, response_kind), \
            summary.json and summary.md: Good Question Rate and grade distribution, and with reference grades \
            exact agreement, quadratic-weighted Cohen's kappa and the confusion matrix — on all items, on \
            the responses that are questions (no code), and on samples balanced by reference grade. Run \
            again with the same flags to resume.
            """)

    @Option(help: "Responses to grade (JSONL, see above).")
    var data: String

    @Option(help: "\(EvaluatorSpec.forms) (see `eval --help`).")
    var evaluator: String

    @Option(help: "Output folder.")
    var out: String

    @Option(help: "A bad input line: fail (stop, naming its line) or skip (list it and go on).")
    var onError: OnError = .fail

    @Option(help: "Grade only these items: all, questions, balanced or questions_balanced.")
    var only: GradingRun.Selection = .all

    @Flag(help: "Local judge: grades only, no answers (to measure grading time alone).")
    var noAnswers = false

    @Option(help: "With an openai: evaluator: the endpoint's base URL.")
    var baseURL: String = "https://api.openai.com/v1"

    @Option(help: "With an openai: evaluator: the environment variable holding the API key.")
    var apiKeyEnv: String = "OPENAI_API_KEY"

    @Option(help: "Evaluator requests in flight at once (the local engine decodes them as one batch).")
    var concurrency: Int = EvaluationOptions.defaults.concurrency

    @Option(help: "Local engine worker threads (default: all cores).")
    var threads: Int?

    @Option(help: "Sandboxed processes at once for the code-or-question detector (default: the number of cores).")
    var workers: Int?

    @Flag(help: "Print the summary as JSON on standard output.")
    var json = false

    func validate() throws {
        _ = try EvaluatorArgument.parse(evaluator)
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
    }

    func run() async throws {
        var clients: [OpenAICompatibleModel] = []
        defer { for client in clients { Task { try? await client.shutdown() } } }
        let judge: any QuestionEvaluator
        switch try EvaluatorArgument.parse(evaluator) {
        case .heuristic:
            judge = HeuristicEvaluator()
        case .localJudge(let spec, let variant):
            judge = try EvaluatorArgument.localJudge(
                spec, variant: variant, concurrency: concurrency, threads: threads, writesAnswers: !noAnswers)
        case .model(let spec):
            let model: any ChatModel
            if case .openAI(let name) = spec {
                let client = try OpenAICompatibleModel(
                    configuration: OpenAIConfiguration(
                        baseURL: baseURL, model: name, apiKeyEnvironmentVariable: apiKeyEnv,
                        maxConcurrentRequests: concurrency))
                clients.append(client)
                model = client
            } else {
                model = try LocalChatModel(spec: spec, maxBatch: concurrency, threads: threads)
            }
            judge = LLMEvaluator(model: model, maxConcurrent: concurrency)
        }
        let sandbox = try Sandbox()
        for warning in sandbox.warnings { printError(warning) }
        let run = GradingRun(
            parameters: GradingRun.Parameters(data: data, out: out, onError: onError, only: only),
            evaluator: judge, analyzer: ResponseAnalyzer(pool: SandboxPool(sandbox: sandbox, workers: workers)))
        let showProgress = isatty(STDERR_FILENO) != 0
        let summary: GradeSummary
        do {
            summary = try await run.run { state in
                guard showProgress else { return }
                let resumed = state.resumed > 0 ? " (\(state.resumed) resumed)" : ""
                let failed = state.failed > 0 ? ", \(state.failed) failed" : ""
                FileHandle.standardError.write(Data("\rgrading \(state.done)/\(state.total)\(resumed)\(failed)".utf8))
            }
        } catch let error as GradingError {
            throw ValidationError(error.description)
        }
        if showProgress { printError("") }
        for skipped in summary.skippedErrors { printError("skipped: \(skipped)") }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            print(summary.markdown, terminator: "")
            print("per-item grades in \((out as NSString).appendingPathComponent("grades.jsonl"))")
        }
    }
}

extension GradingRun.Selection: ExpressibleByArgument {}
