import ClarifyCore

/// Writes synthesized variants as HumanEvalComm records — `name`, `entry_point`, `prompt`,
/// `solution`, `test_case`, and `prompt1a` … `prompt3acp` where a variant exists — so a run
/// over HumanEval (or the bank) is an offline clarification benchmark for `clarifycoder eval`.
///
/// HumanEval and the bank have `check(candidate)` programs, not `test_case` lists. The
/// program is kept whole in an extra `test` field (HumanEvalComm readers ignore unknown
/// fields), and each single-line `assert candidate(args) == expected` whose expected value is
/// a literal also becomes a `test_case` with relation `==` and the printed form of the value
/// (what `print(entry_point(args))` writes), matching HumanEvalComm's own semantics.
public enum HumanEvalCommExport {
    struct Record: Encodable {
        var name: String
        var entryPoint: String
        var prompt: String
        var solution: String
        var testCases: [TestCase]
        var test: String?
        var variants: [ClarificationCategory: String]

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(_ string: String) { stringValue = string }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(name, forKey: Key("name"))
            try container.encode(entryPoint, forKey: Key("entry_point"))
            try container.encode(prompt, forKey: Key("prompt"))
            try container.encode(solution, forKey: Key("solution"))
            try container.encode(testCases, forKey: Key("test_case"))
            if let test { try container.encode(test, forKey: Key("test")) }
            for (category, text) in variants { try container.encode(text, forKey: Key(category.humanEvalCommField)) }
        }
    }

    /// One record per problem that has at least one variant, in problem order; for each
    /// category the first kept variant.
    public static func write(problems: [Problem], examples: [ClarifyExample], to path: String) throws {
        let byProblem = Dictionary(grouping: examples, by: \.problemID)
        let writer = try JSONLWriter.atomic(path: path)
        for problem in problems {
            guard let entryPoint = problem.entryPoint, let solution = problem.referenceSolution,
                let mine = byProblem[problem.id], !mine.isEmpty else { continue }
            var variants: [ClarificationCategory: String] = [:]
            for example in mine where variants[example.category] == nil { variants[example.category] = example.prompt }
            let (cases, program) = testCases(of: problem)
            try writer.write(Record(
                name: problem.id, entryPoint: entryPoint, prompt: problem.prompt, solution: solution,
                testCases: cases, test: program, variants: variants))
        }
        try writer.commit()
    }

    static func testCases(of problem: Problem) -> ([TestCase], String?) {
        switch problem.tests {
        case .cases(let cases): return (cases, nil)
        case .checkProgram(let program): return (cases(fromCheck: program), program)
        case .asserts, .stdio: return ([], nil)
        }
    }

    /// `assert candidate(<args>) == <literal>` lines of a check program as `==` test cases.
    static func cases(fromCheck program: String) -> [TestCase] {
        program.split(separator: "\n").compactMap { line in
            let text = line.trimmingCharacters(in: .whitespaces)
            guard text.hasPrefix("assert candidate(") else { return nil }
            let afterOpen = text.index(text.startIndex, offsetBy: "assert candidate(".count)
            var depth = 1
            var index = afterOpen
            var quote: Character?
            while index < text.endIndex, depth > 0 {
                let c = text[index]
                if let q = quote { if c == q { quote = nil } } else if c == "'" || c == "\"" { quote = c }
                else if "([{".contains(c) { depth += 1 } else if ")]}".contains(c) { depth -= 1 }
                index = text.index(after: index)
            }
            guard depth == 0 else { return nil }
            let args = String(text[afterOpen..<text.index(before: index)])
            let rest = text[index...].trimmingCharacters(in: .whitespaces)
            guard rest.hasPrefix("=="), let value = PyLiteralParser.parse(String(rest.dropFirst(2))) else { return nil }
            if case .float = value { return nil }
            return TestCase(input: args, output: value.printed, relation: "==")
        }
    }
}
