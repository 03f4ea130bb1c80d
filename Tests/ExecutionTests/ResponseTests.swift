import ClarifyCore
import Foundation
import Sandbox
import Testing

@testable import Execution

/// Realistic small-model responses with their expected reading, written by hand to cover what
/// models actually send: fenced and unfenced code, bodies, code plus a question, questions,
/// refusals and chatter (Fixtures/responses.json).
struct LabelledResponse: Decodable, Sendable, CustomTestStringConvertible {
    var id: String
    var problem: String
    var response: String
    var paper: ResponseKind
    var strict: ResponseKind
    var passes: Bool?
    var testDescription: String { id }
}

let labelledResponses: [LabelledResponse] = {
    let url = Bundle.module.url(forResource: "responses", withExtension: "json", subdirectory: "Fixtures")!
    return try! JSONDecoder().decode([LabelledResponse].self, from: Data(contentsOf: url))
}()

let fixtureProblems: [String: Problem] = [
    "add": Problem(
        id: "fixture/add",
        prompt: "def add(a: int, b: int) -> int:\n    \"\"\"Add two integers.\n    >>> add(2, 3)\n    5\n    \"\"\"\n",
        entryPoint: "add",
        tests: .checkProgram(
            "def check(candidate):\n    assert candidate(2, 3) == 5\n    assert candidate(-1, 1) == 0\n"),
        source: "fixture"),
    "palindrome": Problem(
        id: "fixture/palindrome",
        prompt: "def is_palindrome(text: str) -> bool:\n    \"\"\"Whether text reads the same backwards.\"\"\"\n",
        entryPoint: "is_palindrome",
        tests: .checkProgram(
            "def check(candidate):\n    assert candidate('aba')\n    assert not candidate('ab')\n"
                + "    assert candidate('')\n    assert not candidate('Aa')\n"
        ),
        source: "fixture"),
    "median": Problem(
        id: "fixture/median",
        prompt:
            "from typing import List\n\n\ndef median(l: List[float]) -> float:\n"
                + "    \"\"\"Return the median of l.\"\"\"\n",
        entryPoint: "median",
        tests: .checkProgram(
            "def check(candidate):\n    assert candidate([3, 1, 2]) == 2\n    assert candidate([1, 2, 3, 4]) == 2.5\n"),
        source: "fixture"),
]

@Suite("Response handling")
struct ResponseTests {
    @Test("the fixture holds at least 30 responses of every kind")
    func fixtureIsBroad() {
        #expect(labelledResponses.count >= 30)
        for kind in [ResponseKind.code, .question, .neither] {
            #expect(labelledResponses.filter { $0.strict == kind }.count >= 5)
        }
    }

    @Test("both detectors read every fixture response as labelled, and extracted code runs as expected")
    func classifiesFixture() async throws {
        let pool = SandboxPool(sandbox: try Sandbox(), workers: 2)
        let analyses = try await ResponseAnalyzer(pool: pool).analyze(labelledResponses.map(\.response))
        var runs: [(Problem, Candidate)] = []
        var expectations: [(LabelledResponse, Bool)] = []
        for (labelled, analysis) in zip(labelledResponses, analyses) {
            #expect(analysis.paperKind == labelled.paper, "\(labelled.id): paper rule")
            #expect(analysis.kind == labelled.strict, "\(labelled.id): strict rule, code \(analysis.code ?? "nil")")
            if let passes = labelled.passes, let code = analysis.code, let problem = fixtureProblems[labelled.problem] {
                runs.append(
                    (problem, CandidateBuilder.candidate(code: code, functions: analysis.functions, problem: problem)))
                expectations.append((labelled, passes))
            }
        }
        let reports = await ProblemExecutor(pool: pool).execute(runs)
        for ((labelled, passes), report) in zip(expectations, reports) {
            #expect(report.passed == passes, "\(labelled.id): \(report.humanEvalResult)")
        }
        #expect(expectations.count >= 20)
    }

    @Test("the paper rule is HumanEvalComm's response_2_code: first ``` match, any tag, closing fence required")
    func paperRule() {
        #expect(CodeBlocks.paperFirstBlock(in: "x ```python\nA\n```\n```\nB\n```") == "A")
        #expect(CodeBlocks.paperFirstBlock(in: "```\n\n```") == nil)
        #expect(CodeBlocks.paperFirstBlock(in: "```python\nA\n") == nil)
        #expect(CodeBlocks.paperFirstBlock(in: "```python\nA\nB\n```") == "A\nB")
        #expect(CodeBlocks.paperFirstBlock(in: "no code") == nil)
    }

    @Test("bodies are re-indented to four spaces and whole functions get the prompt's imports")
    func candidates() {
        #expect(
            CandidateBuilder.reindentedBody("x = 1\nif x:\n    return x") == "    x = 1\n    if x:\n        return x\n")
        #expect(CandidateBuilder.reindentedBody("        return 1\n\n        ") == "    return 1\n\n\n")
        let median = fixtureProblems["median"]!
        #expect(
            CandidateBuilder.candidate(code: "def median(l):\n    return 0", functions: ["median"], problem: median)
                == .program("from typing import List\ndef median(l):\n    return 0"))
        #expect(
            CandidateBuilder.candidate(code: "return 0", functions: [], problem: median)
                == .completion("    return 0\n"))
    }
}
