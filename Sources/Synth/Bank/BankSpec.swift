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

    /// What the prompt is written from, apart from the layout.
    var promptParts: BankPromptParts {
        BankPromptParts(
            id: id, preamble: preamble, entryPoint: entryPoint,
            parameters: parameters.map { BankPromptParts.Parameter(name: $0.name, type: $0.type) },
            returnType: returnType, sentences: sentences,
            // Doctest prints nothing for None, so a None result cannot be an example.
            examples: cases.filter { $0.expected != .none }.prefix(exampleCount).map {
                BankPromptParts.Example(arguments: $0.argumentText, result: $0.expected.repr)
            })
    }

    /// The HumanEval-style prompt: preamble, signature, docstring with `>>>` examples.
    var prompt: String { promptParts.render(.doctest) }

    /// Prompt plus the indented body: a complete module that defines the entry point.
    var solution: String { BankPromptParts.solution(prompt: prompt, body: body) }

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

/// How the bank writes its prompts (`synthesize --bank-style`, `synthesis.bank_style`).
public enum BankPromptStyle: String, CaseIterable, Codable, Sendable {
    /// Every signature typed and every problem's examples as doctests (`>>> f(x)`, then the
    /// result): the bank's one layout so far.
    case doctest
    /// HumanEval's surface variety, drawn per problem from its id: four in ten signatures typed,
    /// the rest bare (`def f(numbers):`); examples as doctests (40%), `f(x) == y` under "For
    /// example:" (25%), `f(x) ➞ y` under "Examples:" (20%) or `f(x) => y` under "Example:" (15%).
    /// With one layout every clear prompt is typed and has doctests, while the rewrites that drop
    /// the examples also drop the return type — so in training "no `>>>` or no `->`" always means
    /// "ask", a cue most clear HumanEval prompts carry (80% untyped, many with examples in prose).
    case varied
}

/// The parts of a bank prompt, which ``render(_:)`` lays out in a ``BankPromptStyle``. A problem's
/// original and its rewrites are written from the same layout, so only the edit differs.
struct BankPromptParts: Sendable, Hashable {
    struct Parameter: Sendable, Hashable {
        var name: String
        var type: String
    }

    struct Example: Sendable, Hashable {
        /// The argument list as Python source.
        var arguments: String
        /// The expected result's `repr`.
        var result: String
    }

    /// The layout of one prompt.
    struct Layout: Sendable, Hashable {
        enum Examples: CaseIterable, Sendable, Hashable {
            case doctest, equals, arrow, implies

            /// The line before prose examples (none for doctests).
            var header: String? {
                switch self {
                case .doctest: nil
                case .equals: "For example:"
                case .arrow: "Examples:"
                case .implies: "Example:"
                }
            }

            /// What comes between a call and its result: the doctest's line break, or an arrow.
            var separator: String {
                switch self {
                case .doctest: "\n    "
                case .equals: " == "
                case .arrow: " ➞ "
                case .implies: " => "
                }
            }
        }

        var typed: Bool
        var examples: Examples
    }

    var id: String
    var preamble: [String]
    var entryPoint: String
    var parameters: [Parameter]
    var returnType: String
    var sentences: [String]
    var examples: [Example]

    /// The layout `style` gives this problem: fixed for ``BankPromptStyle/doctest``, drawn from the
    /// id for ``BankPromptStyle/varied`` (the same on every machine and run).
    func layout(_ style: BankPromptStyle) -> Layout {
        switch style {
        case .doctest: return Layout(typed: true, examples: .doctest)
        case .varied:
            var generator = SeededGenerator(seed: 0, salt: "bank-style:" + id)
            func uniform() -> Double { Double(generator.next() >> 11) / Double(1 << 53) }
            let typed = uniform() < 0.4
            let draw = uniform()
            let examples: Layout.Examples = draw < 0.4 ? .doctest : draw < 0.65 ? .equals : draw < 0.85 ? .arrow : .implies
            return Layout(typed: typed, examples: examples)
        }
    }

    func render(_ style: BankPromptStyle) -> String { render(layout(style)) }

    func render(_ layout: Layout) -> String {
        var lines = preamble
        if !preamble.isEmpty { lines.append("") }
        if layout.typed {
            let params = parameters.map { "\($0.name): \($0.type)" }.joined(separator: ", ")
            lines.append("def \(entryPoint)(\(params)) -> \(returnType):")
        } else {
            lines.append("def \(entryPoint)(\(parameters.map(\.name).joined(separator: ", "))):")
        }
        lines.append("    \"\"\"" + sentences[0])
        for sentence in sentences.dropFirst() { lines.append("    " + sentence) }
        if let header = layout.examples.header, !examples.isEmpty { lines.append("    " + header) }
        for example in examples {
            let call = "\(entryPoint)(\(example.arguments))"
            lines.append("    " + (layout.examples == .doctest ? ">>> " : "") + call + layout.examples.separator + example.result)
        }
        lines.append("    \"\"\"")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Prompt plus the indented body: a complete module that defines the entry point.
    static func solution(prompt: String, body: String) -> String {
        prompt + body.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n") + "\n"
    }
}
