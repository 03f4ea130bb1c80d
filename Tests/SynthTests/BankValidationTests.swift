import ClarifyCore
import Foundation
import Sandbox
import Testing

@testable import Synth

/// Runs every bank reference solution, its doctest examples and a mutant of it in the sandbox,
/// in one sandboxed Python process (each problem in a fresh namespace, with a per-problem alarm),
/// so the whole bank is checked in seconds.
@Suite("Problem bank in the sandbox")
struct BankValidationTests {
    static let harness = """
        import doctest, json, os, signal, sys

        def alarm(signum, frame):
            raise TimeoutError('timed out')

        signal.signal(signal.SIGALRM, alarm)

        def run(source, check, entry):
            namespace = {}
            signal.alarm(2)
            try:
                exec(compile(source, 'solution', 'exec'), namespace)
                exec(compile(check, 'check', 'exec'), namespace)
                namespace['check'](namespace[entry])
                return 'pass', namespace
            except BaseException as error:
                return 'fail: %s %s' % (type(error).__name__, str(error)[:200]), namespace
            finally:
                signal.alarm(0)

        def doctests(namespace, entry):
            runner = doctest.DocTestRunner(verbose=False)
            for test in doctest.DocTestFinder().find(namespace[entry], entry, globs=dict(namespace)):
                runner.run(test, out=lambda text: None)
            return runner.failures, runner.tries

        problems = json.load(open(os.path.join(os.path.dirname(__file__), 'bank.json')))
        for p in problems:
            verdict, namespace = run(p['solution'], p['check'], p['entry'])
            failures, tries = doctests(namespace, p['entry']) if verdict == 'pass' else (0, 0)
            mutant, _ = run(p['mutant'], p['check'], p['entry'])
            print(json.dumps({'id': p['id'], 'reference': verdict, 'doctest_failures': failures,
                              'doctests': tries, 'mutant': mutant}))
        """

    /// The first applicable operator mutation of a body (a strictness, direction or off-by-one
    /// slip, the mistakes an unclear spec invites), or a body that returns None.
    static func mutant(of body: String) -> String {
        let swaps = [
            (" >= ", " > "), (" <= ", " < "), (" > ", " >= "), (" < ", " <= "), ("reverse=True", "reverse=False"),
            ("return sorted(", "return list("), (" == 0", " != 0"), (" == 1", " != 1"), ("max(", "min("),
            ("min(", "max("), (".lower()", ""), ("+ 1", "+ 2"), ("- 1", "- 2"), ("[0]", "[-1]"), ("[::-1]", ""),
        ]
        for (from, to) in swaps where body.contains(from) {
            return body.replacingOccurrences(of: from, with: to)
        }
        return "return None"
    }

    struct Verdict: Decodable {
        var id: String
        var reference: String
        var doctestFailures: Int
        var doctests: Int
        var mutant: String

        enum CodingKeys: String, CodingKey {
            case id, reference, mutant, doctests
            case doctestFailures = "doctest_failures"
        }
    }

    @Test("every reference passes its tests and doctests, and a mutated solution fails", arguments: BankPromptStyle.allCases)
    func referencesPassAndTestsDiscriminate(style: BankPromptStyle) async throws {
        let bank = ProblemBank.problems(style: style)
        var rows: [[String: String]] = []
        for item in bank {
            guard case .checkProgram(let check) = item.problem.tests else { continue }
            let prompt = item.problem.prompt
            let mutantBody = Self.mutant(of: item.body)
            let mutant = prompt + mutantBody.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n") + "\n"
            rows.append([
                "id": item.problem.id, "solution": item.problem.referenceSolution ?? "", "check": check,
                "entry": item.problem.entryPoint ?? "", "mutant": mutant,
            ])
        }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: rows), as: UTF8.self)
        let sandbox = try Sandbox()
        let result = await sandbox.run(
            SandboxProgram(source: Self.harness, files: ["bank.json": json]),
            limits: SandboxLimits(wallClockSeconds: 240, cpuSeconds: 240))
        #expect(result.verdict == .passed, "harness: \(result.verdict) \(result.stderr.suffix(800))")
        let verdicts = try result.stdout.split(separator: "\n").map {
            try JSONDecoder().decode(Verdict.self, from: Data($0.utf8))
        }
        #expect(verdicts.count == bank.count)
        let doctestLayout = Dictionary(uniqueKeysWithValues: bank.map {
            ($0.problem.id, $0.promptParts.layout(style).examples == .doctest)
        })
        for verdict in verdicts {
            #expect(verdict.reference == "pass", "\(verdict.id): \(verdict.reference)")
            #expect(verdict.doctestFailures == 0, "\(verdict.id): doctest examples fail")
            if doctestLayout[verdict.id] == true { #expect(verdict.doctests >= 1, "\(verdict.id): no doctest examples") }
            #expect(verdict.mutant != "pass", "\(verdict.id): the tests do not catch a mutated solution")
        }
    }
}
