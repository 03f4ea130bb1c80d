import ClarifyCore
import Foundation
import Sandbox
import Testing

@testable import Execution

/// The reference solutions of real HumanEvalComm records (the foundation's loader fixture, which
/// includes HumanEval/32 and its 100 `$input$` template tests) pass every test — every test run,
/// none skipped — which checks the executor's reading of all three relation forms on real data.
@Suite("HumanEvalComm reference solutions")
struct HumanEvalCommReferenceTests {
    @Test("every test of every sample record passes with the record's own solution")
    func referenceSolutionsPass() async throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ClarifyCoreTests/Fixtures/humanevalcomm-v1-sample.jsonl").path
        let problems = try DatasetReader.loadProblems(path: fixture, format: .humanevalcomm).problems
        try #require(problems.count == 4)
        let executor = ProblemExecutor(pool: SandboxPool(sandbox: try Sandbox(), workers: 2))
        let reports = await executor.execute(problems.map { ($0, Candidate.program($0.referenceSolution!)) })
        for report in reports {
            let failed = report.outcomes.filter { !$0.passed }.map { "\($0.index): \($0.detail ?? "")" }
            #expect(report.passed, "\(report.problemID): \(failed)")
        }
        #expect(reports.map(\.testsTotal) == [7, 3, 3, 100])
        #expect(reports.allSatisfy { $0.testPassRate == 1 })
        // And a wrong solution fails the template tests rather than skipping them.
        let findZero = try #require(problems.first { $0.id == "HumanEval/32" })
        let wrong = findZero.referenceSolution!.replacingOccurrences(of: "return begin", with: "return begin + 1")
        let report = await executor.execute(findZero, .program(wrong))
        #expect(report.testsPassed < 100)
    }
}
