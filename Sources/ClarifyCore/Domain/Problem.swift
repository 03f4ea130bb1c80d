/// A programming problem: a prompt a model must solve, the reference solution, and the tests
/// that decide whether a solution is correct.
///
/// One type serves every source dataset (HumanEval, HumanEvalComm, MBPP, APPS, the project's
/// own bank). What differs between them is the *form* of the tests, captured by ``ProblemTests``,
/// and the clarification ``variants`` a benchmark or the synthesizer attaches.
public struct Problem: Codable, Sendable, Hashable, Identifiable {
    /// Stable identifier, unique within a dataset (`HumanEval/0`, `bank/lists/sum_evens/3`).
    public var id: String
    /// The original, clear problem statement as shown to the model. For HumanEval-style
    /// problems this is the function signature plus docstring.
    public var prompt: String
    /// Name of the function under test, where there is one (not for stdin/stdout problems).
    public var entryPoint: String?
    /// A complete reference program that passes ``tests`` (prompt + body for HumanEval-style
    /// problems). `nil` when the source dataset has none.
    public var referenceSolution: String?
    /// How a candidate solution is checked.
    public var tests: ProblemTests
    /// Which dataset the problem came from (`humaneval`, `humanevalcomm`, `mbpp`, `apps`, `bank`, …).
    public var source: String
    /// Clarification variants of the prompt (ambiguous, incomplete, inconsistent rewrites).
    public var variants: [Variant]
    /// Free-form extra fields of the source record that have no typed home (difficulty, url, …).
    public var metadata: [String: String]

    public init(
        id: String,
        prompt: String,
        entryPoint: String? = nil,
        referenceSolution: String? = nil,
        tests: ProblemTests,
        source: String,
        variants: [Variant] = [],
        metadata: [String: String] = [:]
    ) {
        self.id = id
        self.prompt = prompt
        self.entryPoint = entryPoint
        self.referenceSolution = referenceSolution
        self.tests = tests
        self.source = source
        self.variants = variants
        self.metadata = metadata
    }

    /// The variant of the given category, if the problem has one.
    public func variant(_ category: ClarificationCategory) -> Variant? {
        variants.first { $0.category == category }
    }
}

/// The tests of a problem, in the form its source dataset uses.
public enum ProblemTests: Codable, Sendable, Hashable {
    /// A HumanEval-style test program defining `check(candidate)`; it is run after the
    /// solution as `check(<entryPoint>)` and passes when it exits cleanly.
    case checkProgram(String)
    /// HumanEvalComm-style cases, each judged separately (see ``TestCase``).
    case cases([TestCase])
    /// MBPP-style `assert` statements, run after `setup` and the solution. `challenge` holds
    /// MBPP's harder extra asserts, kept apart so they can be reported separately.
    case asserts(setup: String, asserts: [String], challenge: [String])
    /// APPS-style standard-input / standard-output pairs for a whole program.
    case stdio([StdioCase])

    /// Number of separately countable tests (a check program counts as one).
    public var count: Int {
        switch self {
        case .checkProgram: return 1
        case .cases(let cases): return cases.count
        case .asserts(_, let asserts, let challenge): return asserts.count + challenge.count
        case .stdio(let cases): return cases.count
        }
    }
}

/// One HumanEvalComm test case.
///
/// Semantics of the benchmark's reference scripts, which an executor must reproduce:
/// - relation `==`: run `print(<entryPoint>(<input>))` and compare stdout, stripped, with `output`;
/// - any other relation without a template marker is a Python expression over
///   `candidate(...)` whose printed value must be `True`;
/// - a relation holding `$input$` / `$demo$` is a small program template (HumanEval/32);
///   there `input` is a JSON list and `output` a float in the source file.
public struct TestCase: Codable, Sendable, Hashable {
    /// The call's argument text (`"[1, 2, 3], 2"`) or, for templates, the JSON text of the input.
    public var input: String
    /// The expected printed value, or for templates the JSON text of the expected number.
    public var output: String
    /// `==`, a Python expression, or a program template holding `$input$`/`$demo$`.
    public var relation: String

    public init(input: String, output: String, relation: String) {
        self.input = input
        self.output = output
        self.relation = relation
    }

    /// Whether the relation is a program template rather than a comparison or expression.
    public var isTemplate: Bool { relation.contains("$input$") || relation.contains("$demo$") }
}

/// One stdin/stdout test of a whole-program problem (APPS).
public struct StdioCase: Codable, Sendable, Hashable {
    public var input: String
    public var output: String

    public init(input: String, output: String) {
        self.input = input
        self.output = output
    }
}
