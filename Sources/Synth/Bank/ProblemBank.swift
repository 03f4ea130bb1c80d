/// The project's own problem bank: Python problems written and generated here, disjoint from
/// HumanEval, each with a reference solution, at least five tests and the facts of its spec.
///
/// It is the offline default source of training problems. Ids are stable
/// (`bank/<family>/<slug>`), so synthesis seeds, resume and held-out splits by id stay valid
/// across releases as long as a family keeps its parameters.
public enum ProblemBank {
    /// Every bank problem, in a stable order (family by family).
    public static let all: [BankProblem] = {
        var problems: [BankProblem] = []
        problems += ListFilterFamily.problems()
        problems += ListAggregateFamily.problems()
        problems += ListTransformFamily.problems()
        problems += StringFamily.problems()
        problems += NumberFamily.problems()
        problems += AlgorithmFamily.problems()
        problems += DictionaryFamily.problems()
        problems += ParsingFamily.problems()
        problems += HandWrittenProblems.problems()
        return problems
    }()

    /// Every bank problem with its prompt written in `style` (``all`` is ``BankPromptStyle/doctest``).
    public static func problems(style: BankPromptStyle) -> [BankProblem] {
        style == .doctest ? all : all.map { $0.styled(style) }
    }

    /// The bank problem with this id (`bank/…`), if any.
    public static func problem(id: String) -> BankProblem? { all.first { $0.problem.id == id } }
}
