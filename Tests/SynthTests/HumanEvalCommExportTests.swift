import ClarifyCore
import Testing

@testable import Synth

@Suite("HumanEvalComm export of check programs")
struct HumanEvalCommExportTests {
    @Test("float and expression asserts become expression relations; loop asserts stay in the program")
    func assertsBecomeCases() {
        let program = """
            def check(candidate):
                assert candidate([1, 2]) == [2, 1]
                assert candidate(4) == 2.0, "square root"
                assert abs(candidate(2.0) - 1.41421) < 1e-4
                assert True
                assert candidate('(()()) ((())) ()') == [
                    '(()())', '((()))', '()'
                ]
                for x in range(3):
                    assert candidate(x * x) == x
            """
        let cases = HumanEvalCommExport.cases(fromCheck: program)
        #expect(cases == [
            TestCase(input: "[1, 2]", output: "[2, 1]", relation: "=="),
            TestCase(input: "", output: "True", relation: "candidate(4) == 2.0"),
            TestCase(input: "", output: "True", relation: "abs(candidate(2.0) - 1.41421) < 1e-4"),
        ])
    }
}
