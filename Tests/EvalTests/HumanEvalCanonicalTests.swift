import ClarifyCore
import Execution
import Foundation
import Sandbox
import Testing

@testable import Eval

/// Needs the cached HumanEval: `scripts/test.sh` runs `clarifycoder data fetch` first. Without it
/// the test fails with the error naming that command — it never passes silently.
@Suite("HumanEval through the sandbox")
struct HumanEvalCanonicalTests {
    @Test("all 164 canonical solutions pass and 164 deliberately broken ones fail, through `execute`'s path")
    func canonicalAndBroken() async throws {
        let path: String
        do {
            path = try AssetStore().path(for: .humaneval)
        } catch {
            Issue.record("\(error)")
            return
        }
        let problems = try DatasetReader.loadProblems(path: path).problems
        try #require(problems.count == 164)
        let canonical = problems.map { problem in
            Sample(taskID: problem.id, completion: String(problem.referenceSolution!.dropFirst(problem.prompt.count)))
        }
        let broken = canonical.map {
            Sample(taskID: $0.taskID, completion: "    raise ValueError('deliberately broken')\n" + $0.completion)
        }
        let sandbox = try Sandbox()
        let evaluation = SampleEvaluation(
            executor: ProblemExecutor(pool: SandboxPool(sandbox: sandbox, workers: 4)),
            batchSize: 16)
        let results = try await evaluation.evaluate(canonical + broken, problems: problems)
        let failures = results.prefix(164).filter { !$0.passed }.map { "\($0.taskID): \($0.result)" }
        #expect(failures.isEmpty, "\(failures)")
        #expect(results.suffix(164).allSatisfy { !$0.passed && $0.result.hasPrefix("failed: ValueError") })
        #expect(SampleEvaluation.passAtK(results)[1] == 0.5)
    }
}
