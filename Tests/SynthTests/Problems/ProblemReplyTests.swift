import Foundation
import Testing

@testable import Synth

/// Model answers used across the problem-generation tests.
enum Replies {
    static func problem(
        name: String, doc: String = "Return the sum of the even numbers in values.",
        examples: String = ">>> NAME([1, 2, 3, 4])\n    6", body: String = "    return sum(v for v in values if v % 2 == 0)",
        asserts: [String] = [
            "candidate([1, 2, 3, 4]) == 6", "candidate([]) == 0", "candidate([1, 3]) == 0", "candidate([2, 2]) == 4",
            "candidate([-2, 5]) == -2",
        ], imports: String = ""
    ) -> String {
        """
        Here is the exercise.

        ```python
        \(imports)def \(name)(values: list[int]) -> int:
            \"\"\"\(doc)

            \(examples.replacingOccurrences(of: "NAME", with: name))
            \"\"\"
        \(body)
        ```

        ```python
        def check(candidate):
        \(asserts.map { "    assert " + $0 }.joined(separator: "\n"))

        check(\(name))
        ```
        """
    }
}

@Suite("Reading a generated problem")
struct ProblemReplyTests {
    @Test("a well-formed answer splits into HumanEval's prompt, solution, tests and entry point")
    func wellFormed() throws {
        let draft = try ProblemReplyParser.parse(Replies.problem(name: "sum_evens")).get()
        #expect(draft.entryPoint == "sum_evens")
        #expect(draft.prompt.hasPrefix("def sum_evens(values: list[int]) -> int:\n"))
        #expect(draft.prompt.hasSuffix("\"\"\"\n") && draft.prompt.contains(">>> sum_evens([1, 2, 3, 4])"))
        #expect(draft.solution == "    return sum(v for v in values if v % 2 == 0)\n")
        #expect(draft.test.hasPrefix("def check(candidate):\n    assert candidate([1, 2, 3, 4]) == 6"))
        #expect(!draft.test.contains("check(sum_evens)"), "the model's own call of check is dropped")
    }

    @Test("imports before the function stay in the prompt, imports before check stay in the tests")
    func imports() throws {
        let reply = """
            ```python
            import math
            from typing import List

            def norm(values: List[float]) -> float:
                \"\"\"Euclidean norm.

                >>> norm([3.0, 4.0])
                5.0
                \"\"\"
                return math.sqrt(sum(v * v for v in values))
            ```
            ```python
            import math
            def check(candidate):
                assert math.isclose(candidate([3.0, 4.0]), 5.0)
                assert candidate([]) == 0.0
                assert candidate([1.0]) == 1.0
            ```
            """
        let draft = try ProblemReplyParser.parse(reply).get()
        #expect(draft.prompt.hasPrefix("import math\nfrom typing import List\n\ndef norm("))
        #expect(draft.test.hasPrefix("import math\ndef check(candidate):"))
    }

    @Test("a docstring without examples gets two from the tests, written as doctest shows them")
    func examplesFromTests() throws {
        let asserts = [
            "candidate([1, 2, 3, 4]) == 6, 'evens only'", "candidate(values=[2, (3)]) == \"two\"", "candidate([]) == 0",
        ]
        let draft = try ProblemReplyParser.parse(Replies.problem(name: "sum_evens", examples: "", asserts: asserts)).get()
        #expect(draft.examplesFromTests == true)
        #expect(draft.prompt.hasSuffix("""
                \"\"\"Return the sum of the even numbers in values.

                >>> sum_evens(values=[2, (3)])
                'two'
                >>> sum_evens([])
                0
                \"\"\"

            """))
        #expect(try ProblemReplyParser.parse(Replies.problem(name: "g")).get().examplesFromTests == nil)
        let oneLine = ProblemReplyParser.withExamples(
            "def f(x: int) -> int:\n    '''Double x.'''\n", name: "f",
            from: "def check(candidate):\n    assert candidate(1) == 2\n    assert candidate(x=0) == 0\n")
        #expect(oneLine == "def f(x: int) -> int:\n    '''Double x.\n\n    >>> f(1)\n    2\n    >>> f(x=0)\n    0\n    '''\n")
        #expect(ProblemReplyParser.exampleCall("assert candidate(')') == 1").map { [$0.call, $0.expected] } == ["(')')", "1"])
        #expect(ProblemReplyParser.exampleCall("assert candidate(1) != 2") == nil)
        #expect(ProblemReplyParser.exampleCall("assert candidate(1) == 2  # two") == nil)
        // doctest prints nothing for None, and an expression or an escape is not what it prints.
        for expected in ["None", "sorted([2, 1])", "'a\\nb'", "x and y"] {
            #expect(ProblemReplyParser.exampleCall("assert candidate(1) == \(expected)") == nil, "\(expected)")
            #expect(ProblemReplyParser.exampleCall("assert candidate(1) == \(expected)", literalOnly: false) != nil)
        }
    }

    @Test("answers that are not a usable problem are rejected with the reason")
    func failures() {
        #expect(ProblemReplyParser.parse("I cannot help with that.") == .failure(.noCodeBlock))
        #expect(ProblemReplyParser.parse("```python\ndef f(x):\n    \"\"\"Doc.\n") == .failure(.unclosedCodeBlock))
        let noExamplesNoPlainAsserts = Replies.problem(
            name: "f", examples: "No examples here.",
            asserts: ["candidate([1]) in (0, 1)", "candidate([]) == 0", "abs(candidate([2]) - 2) < 1e-9"])
        #expect(ProblemReplyParser.parse(noExamplesNoPlainAsserts) == .failure(.noDocstringExamples))
        #expect(ProblemReplyParser.parse(Replies.problem(name: "f", asserts: ["candidate([]) == 0"])) == .failure(.tooFewTests))
        #expect(ProblemReplyParser.parse(Replies.problem(name: "f", body: "    pass")) == .failure(.emptyBody))
        let noTests = "```python\ndef f(x):\n    \"\"\"Doc.\n\n    >>> f(1)\n    1\n    \"\"\"\n    return x\n```"
        #expect(ProblemReplyParser.parse(noTests) == .failure(.noTests))
        let noDocstring = "```python\ndef f(x):\n    return x\n\ndef check(candidate):\n    assert 1\n```"
        #expect(ProblemReplyParser.parse(noDocstring) == .failure(.noDocstring))
    }
}

@Suite("Self-contained problems")
struct SelfContainedCheckTests {
    @Test("computing standard-library imports pass; the network, files, processes and randomness do not")
    func imports() {
        #expect(SelfContainedCheck.violation(in: "import math\nfrom collections import Counter\nimport re") == nil)
        #expect(SelfContainedCheck.violation(in: "import os\n") == "imports os")
        #expect(SelfContainedCheck.violation(in: "import numpy as np\n") == "imports numpy")
        #expect(SelfContainedCheck.violation(in: "from urllib.request import urlopen\n") == "imports urllib.request")
        #expect(SelfContainedCheck.violation(in: "from urllib.parse import urlparse\n") == nil)
        #expect(SelfContainedCheck.violation(in: "import random\n") == "imports random")
    }

    @Test("calls that reach outside are caught in code but not in strings or comments")
    func calls() {
        #expect(SelfContainedCheck.violation(in: "def f(p):\n    return open(p).read()\n") == "uses open()")
        #expect(SelfContainedCheck.violation(in: "def f():\n    return input()\n") == "uses input()")
        #expect(SelfContainedCheck.violation(in: "def f(s):\n    \"\"\"Don't open(files).\"\"\"\n    return s\n") == nil)
        #expect(SelfContainedCheck.violation(in: "def f(s):  # we don't open( anything\n    return s.reopen(1)\n") == nil)
    }
}

@Suite("Mutants of a reference")
struct MutantTests {
    @Test("comparisons, operators, booleans and constants are mutated one at a time, never inside strings")
    func operators() {
        let body = "    if a < b and c == 'x < y':\n        return a + 1\n    return max(a, b)\n"
        let changes = MutantMaker.mutants(of: body, limit: 20).filter { $0.kind == .operatorChange }.map(\.change)
        #expect(changes == [
            "line 1: < → <=", "line 1: and → or", "line 1: == → !=", "line 2: + → -", "line 2: 1 → 2", "line 3: max → min",
        ])
        let flipped = MutantMaker.mutants(of: body, limit: 20).first { $0.change == "line 1: < → <=" }
        #expect(flipped?.solution == "    if a <= b and c == 'x < y':\n        return a + 1\n    return max(a, b)\n")
    }

    @Test("every problem also gets constant returns, indented like the body")
    func constants() {
        let mutants = MutantMaker.mutants(of: "  return x\n")
        #expect(mutants.filter { $0.kind == .constantReturn }.map(\.solution).contains("  return None\n"))
        #expect(mutants.filter { $0.kind == .constantReturn }.count == MutantMaker.constants.count)
    }

    @Test("the operator mutants are spread over a long body, at most the limit")
    func limit() {
        let body = (0..<30).map { "    x = x + \($0)" }.joined(separator: "\n")
        let mutants = MutantMaker.mutants(of: body, limit: 8).filter { $0.kind == .operatorChange }
        #expect(mutants.count == 8)
        let lines = Set(mutants.map { $0.change.split(separator: ":")[0] })
        #expect(lines.count == 8 && lines.contains("line 1") && !lines.contains("line 2"))
    }
}

@Suite("Tests cut off by the token limit")
struct TruncatedTestsTests {
    static let function = Replies.problem(name: "sum_even").components(separatedBy: "```python\ndef check")[0]

    @Test("a check block cut off while repeating asserts keeps its distinct complete asserts, at most ten")
    func salvaged() throws {
        var asserts = (0..<14).map { "    assert candidate([\($0), 2]) == \($0 % 2 == 0 ? $0 + 2 : 2)" }
        asserts.insert(asserts[0], at: 3)  // a repeat
        let reply = Self.function + "```python\ndef check(candidate):\n" + asserts.joined(separator: "\n")
            + "\n    assert candidate([99, 1"
        let draft = try ProblemReplyParser.parse(reply).get()
        #expect(draft.truncatedTests == true)
        let kept = draft.test.split(separator: "\n").filter { $0.contains("assert ") }
        #expect(kept.count == ProblemReplyParser.salvagedAssertLimit)
        #expect(Set(kept).count == kept.count)
        #expect(!draft.test.contains("[99, 1"))
        #expect(draft.test.hasPrefix("def check(candidate):\n    assert candidate([0, 2]) == 2\n"))
        // A whole answer is not marked.
        #expect(try ProblemReplyParser.parse(Replies.problem(name: "sum_even")).get().truncatedTests == nil)
    }

    @Test("a cut that is not in a plain list of asserts stays an unclosed code block")
    func notSalvaged() {
        let cutFunction = "```python\ndef f(values: list[int]) -> int:\n    \"\"\"Doc.\n"
        #expect(ProblemReplyParser.parse(cutFunction) == .failure(.unclosedCodeBlock))
        let loop = Self.function + "```python\ndef check(candidate):\n    assert candidate([1]) == 0\n"
            + "    assert candidate([2]) == 2\n    for i in range(3):\n        assert candidate([i]) >= 0\n    assert cand"
        #expect(ProblemReplyParser.parse(loop) == .failure(.unclosedCodeBlock))
        let twoOnly = Self.function + "```python\ndef check(candidate):\n    assert candidate([1]) == 0\n"
            + "    assert candidate([2]) == 2\n    assert candidate([3, 4]"
        #expect(ProblemReplyParser.parse(twoOnly) == .failure(.unclosedCodeBlock))
        let multiline = Self.function + "```python\ndef check(candidate):\n    assert candidate([1]) == 0\n"
            + "    assert candidate([2]) == 2\n    assert candidate([4]) == 4\n    assert candidate([\n        3]) == 0\n    assert c"
        #expect(ProblemReplyParser.parse(multiline) == .failure(.unclosedCodeBlock))
    }
}
