import ClarifyCore
import Eval
import Foundation

/// `eval --json`: the headline metrics as one JSON object on standard output (nothing else goes
/// there), for scripts — as lm-eval's results file and EvalPlus's summary serve theirs.
struct EvalSummaryJSON: Encodable {
    struct Block: Encodable {
        var items: Int
        var communicationRate: Double?
        var communicationRatePaper: Double?
        var communicationRateLLM: Double?
        var goodQuestionRate: Double?
        /// `{"1": 0.5, "10": 0.8}`: JSON object keys are strings.
        var passAtK: [String: Double]
        var testPassRate: Double?
        var sandboxErrors: Int

        init(_ summary: MetricSummary) {
            items = summary.items
            communicationRate = summary.communicationRate
            communicationRatePaper = summary.communicationRatePaper
            communicationRateLLM = summary.communicationRateLLM
            goodQuestionRate = summary.goodQuestionRate
            passAtK = Dictionary(uniqueKeysWithValues: summary.passAtK.map { (String($0.key), $0.value) })
            if passAtK.isEmpty, let passAt1 = summary.passAt1 { passAtK["1"] = passAt1 }
            testPassRate = summary.testPassRate
            sandboxErrors = summary.sandboxErrors
        }
    }

    var run: Int64
    var benchmark: String
    var mode: String
    var model: String
    var adapter: String?
    var evaluator: String?
    /// The heuristic evaluator's Good Question Rate is approximate.
    var evaluatorApproximate: Bool
    var samples: Int
    /// Prompt samples per status (`executed`, `noCode`, `modelFailed`, `evaluatorFailed`).
    var statusCounts: [String: Int]
    /// Modified prompts (communication) and original ones (over-asking: their communication rate).
    var modified: Block?
    var original: Block?
    var overAskingRate: Double?
    var store: String

    init(_ result: EvaluationResult) {
        let run = result.run
        self.run = run.id
        benchmark = run.benchmark
        mode = run.mode.rawValue
        model = run.model
        adapter = run.adapter
        evaluator = run.evaluatorName
        evaluatorApproximate = run.evaluatorKind.isApproximate
        samples = run.samples
        statusCounts = Dictionary(uniqueKeysWithValues: result.statusCounts.map { ($0.key.rawValue, $0.value) })
        modified = result.breakdown.modified.items > 0 ? Block(result.breakdown.modified) : nil
        original = result.breakdown.original.items > 0 ? Block(result.breakdown.original) : nil
        overAskingRate = result.breakdown.overAskingRate
        store = result.storePath
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

extension EvalCommand {
    /// `--log-samples FILE`: every prompt sample of the run as JSONL (``SampleLogRecord``), written
    /// atomically; a resumed run logs all of its samples, old and new.
    func writeSampleLog(_ result: EvaluationResult, to path: String) throws {
        do {
            let records = try RunStore(path: result.storePath).sampleLog(run: result.run.id)
            let writer = try JSONLWriter.atomic(path: path)
            for record in records { try writer.write(record) }
            try writer.commit()
        } catch {
            throw CommandFailure(message: "--log-samples \(path): \(error)")
        }
    }
}
