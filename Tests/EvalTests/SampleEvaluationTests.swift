import ClarifyCore
import Execution
import Foundation
import Sandbox
import Testing

@testable import Eval

private func makeExecutor() throws -> ProblemExecutor {
    ProblemExecutor(
        pool: SandboxPool(sandbox: try Sandbox(configuration: SandboxConfiguration()), workers: 2),
        parameters: ExecutorParameters(checkProgramSeconds: 2, caseSeconds: 2, assertSeconds: 2, stdioSeconds: 2))
}

private let addPrompt = "def add(a, b):\n    \"\"\"Return a + b.\"\"\"\n"

@Suite("Sample evaluation")
struct SampleEvaluationTests {
    @Test("a sample naming an unknown task is an error naming the sample")
    func unknownTask() async throws {
        let evaluation = SampleEvaluation(executor: try makeExecutor())
        await #expect(throws: SampleEvaluation.UnknownTask.self) {
            try await evaluation.evaluate([Sample(taskID: "HumanEval/999", completion: "")], problems: [])
        }
        let error = SampleEvaluation.UnknownTask(taskID: "HumanEval/999", sampleNumber: 3)
        #expect(error.description == "sample 3 names task_id \"HumanEval/999\", which is not in the problems file")
    }

    @Test("results keep sample order and pass@k counts per task")
    func order() async throws {
        let problem = Problem(
            id: "t/add", prompt: addPrompt, entryPoint: "add",
            tests: .checkProgram("def check(candidate):\n    assert candidate(1, 2) == 3\n"), source: "humaneval")
        let samples = (0..<10).map {
            Sample(taskID: "t/add", completion: $0 % 2 == 0 ? "    return a + b\n" : "    return 0\n")
        }
        let results = try await SampleEvaluation(executor: try makeExecutor(), batchSize: 3).evaluate(
            samples, problems: [problem])
        #expect(results.map(\.passed) == (0..<10).map { $0 % 2 == 0 })
        #expect(SampleEvaluation.passAtK(results) == [1: 0.5, 10: 1.0])
    }
}
