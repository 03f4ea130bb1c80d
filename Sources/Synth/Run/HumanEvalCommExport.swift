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

    /// The one-line asserts of a check program as HumanEvalComm test cases: `assert candidate(<args>) ==
    /// <literal>` becomes an `==` case (printed value compared as text); any other top-level assert that
    /// calls `candidate` — a float comparison, `abs(candidate(x) - y) < 1e-6`, `candidate(x) is True` — becomes
    /// an expression relation whose printed value must be `True`, the benchmark's second relation form. Asserts
    /// nested in loops or helpers depend on local names and stay in the `test` program only.
    static func cases(fromCheck program: String) -> [TestCase] {
        let lines = program.split(separator: "\n").map(String.init)
        let assertIndents = lines.compactMap { line -> Int? in
            let text = line.trimmingCharacters(in: .whitespaces)
            return text.hasPrefix("assert ") ? line.prefix { $0 == " " }.count : nil
        }
        guard let topLevel = assertIndents.min() else { return [] }
        return lines.compactMap { line in
            guard line.prefix(while: { $0 == " " }).count == topLevel else { return nil }
            let text = line.trimmingCharacters(in: .whitespaces)
            // An assert continued on the next line (HumanEval/1's long lists) cannot be read from one line.
            guard text.hasPrefix("assert "), text.contains("candidate("), isBalanced(text) else { return nil }
            let expression = topLevelExpression(String(text.dropFirst("assert ".count)))
            if let equality = equalityCase(expression) { return equality }
            return TestCase(input: "", output: "True", relation: expression)
        }
    }

    /// `candidate(<args>) == <non-float literal>` as an `==` case, else nil.
    private static func equalityCase(_ expression: String) -> TestCase? {
        guard expression.hasPrefix("candidate(") else { return nil }
        let afterOpen = expression.index(expression.startIndex, offsetBy: "candidate(".count)
        guard let close = scan(expression, from: afterOpen, depth: 1, stopAtComma: false) else { return nil }
        let args = String(expression[afterOpen..<close])
        let rest = expression[expression.index(after: close)...].trimmingCharacters(in: .whitespaces)
        guard rest.hasPrefix("=="), let value = PyLiteralParser.parse(String(rest.dropFirst(2))) else { return nil }
        if case .float = value { return nil }
        return TestCase(input: args, output: value.printed, relation: "==")
    }

    /// Whether every bracket opened on the line (outside string literals) closes on it.
    static func isBalanced(_ text: String) -> Bool {
        var depth = 0
        var quote: Character?
        for c in text {
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if "([{".contains(c) {
                depth += 1
            } else if ")]}".contains(c) {
                depth -= 1
                if depth < 0 { return false }
            }
        }
        return depth == 0 && quote == nil
    }

    /// The assert's condition without its `, "message"` part.
    private static func topLevelExpression(_ text: String) -> String {
        guard let comma = scan(text, from: text.startIndex, depth: 0, stopAtComma: true) else {
            return text.trimmingCharacters(in: .whitespaces)
        }
        return String(text[..<comma]).trimmingCharacters(in: .whitespaces)
    }

    /// Walks brackets and quotes from `start` at bracket depth `depth`; returns the index of the bracket that
    /// closes depth 1 (or, with `stopAtComma`, of the first comma at depth 0), or nil.
    private static func scan(_ text: String, from start: String.Index, depth: Int, stopAtComma: Bool) -> String.Index? {
        var depth = depth
        var quote: Character?
        var index = start
        while index < text.endIndex {
            let c = text[index]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if "([{".contains(c) {
                depth += 1
            } else if ")]}".contains(c) {
                depth -= 1
                if depth == 0 && !stopAtComma { return index }
            } else if c == ",", depth == 0, stopAtComma {
                return index
            }
            index = text.index(after: index)
        }
        return nil
    }
}
