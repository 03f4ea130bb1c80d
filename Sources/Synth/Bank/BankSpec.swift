/// A bank problem before rendering: the parts a family generator fills in, from which the
/// HumanEval-style prompt, the reference solution and the `check(candidate)` program are
/// written. Keeping the parts apart is what lets every family share one prompt layout and
/// one test layout, and lets the tests reason about the body (mutation) and the examples.
struct BankSpec: Sendable {
    /// The id under `bank/`, e.g. `lists/filter/gt_3_asc`.
    var id: String
    var entryPoint: String
    /// `name: type` pairs of the signature.
    var parameters: [(name: String, type: String)]
    var returnType: String
    /// Docstring sentences, one per line; the facts' phrases occur in them.
    var sentences: [String]
    var facts: [SpecFact]
    /// The Python function body, not indented.
    var body: String
    /// Argument lists with their expected results; the first `exampleCount` whose result
    /// is not `None` are the doctest examples.
    var cases: [BankCase]
    var exampleCount: Int = 2
    /// Lines placed before the `def` (imports).
    var preamble: [String] = []
    /// Extra Python text for the check program, e.g. a tolerance helper.
    var family: String

    /// The HumanEval-style prompt: preamble, signature, docstring with `>>>` examples.
    var prompt: String {
        var lines = preamble
        if !preamble.isEmpty { lines.append("") }
        let params = parameters.map { "\($0.name): \($0.type)" }.joined(separator: ", ")
        lines.append("def \(entryPoint)(\(params)) -> \(returnType):")
        lines.append("    \"\"\"" + sentences[0])
        for sentence in sentences.dropFirst() { lines.append("    " + sentence) }
        // Doctest prints nothing for None, so a None result cannot be an example.
        for example in cases.filter({ $0.expected != .none }).prefix(exampleCount) {
            lines.append("    >>> \(entryPoint)(\(example.argumentText))")
            lines.append("    " + example.expected.repr)
        }
        lines.append("    \"\"\"")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Prompt plus the indented body: a complete module that defines the entry point.
    var solution: String {
        prompt + body.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n") + "\n"
    }

    /// A HumanEval-style test program: `check(candidate)` asserting every case.
    var checkProgram: String {
        var lines = ["def check(candidate):"]
        for testCase in cases {
            lines.append("    assert candidate(\(testCase.argumentText)) == \(testCase.expected.repr)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// One call of a bank problem's function and the result it must give.
struct BankCase: Sendable, Hashable {
    var arguments: [PyValue]
    var expected: PyValue

    init(_ arguments: [PyValue], _ expected: PyValue) {
        self.arguments = arguments
        self.expected = expected
    }

    var argumentText: String { arguments.map(\.repr).joined(separator: ", ") }
}

extension BankSpec {
    /// Builds the cases of a one-function family from argument lists and the Swift model of the
    /// function, dropping duplicates while keeping order (so the examples stay first).
    static func cases(_ inputs: [[PyValue]], _ compute: ([PyValue]) -> PyValue) -> [BankCase] {
        var seen = Set<[PyValue]>()
        return inputs.compactMap { args in seen.insert(args).inserted ? BankCase(args, compute(args)) : nil }
    }
}
