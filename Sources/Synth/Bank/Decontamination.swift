import ClarifyCore

/// N-gram overlap between problems and a reference benchmark (HumanEval), so that training on
/// the bank cannot leak evaluation problems.
///
/// Text is normalised to lowercase alphanumeric tokens; a problem's *statement* is its
/// docstring (examples included) and its *solution* the code after the prompt. The overlap
/// of a problem is the share of its n-grams (n = 13 by default, as in the GPT-3 and
/// Codex decontamination studies) that occur anywhere in the reference's statements or
/// solutions respectively; texts shorter than n tokens have no n-grams and overlap 0.
public struct Decontamination: Sendable {
    public struct Overlap: Sendable, Hashable {
        public var problemID: String
        public var statement: Double
        public var solution: Double
    }

    public let n: Int
    private let statementGrams: Set<[String]>
    private let solutionGrams: Set<[String]>

    public init(reference: [Problem], n: Int = 13) {
        self.n = n
        var statements = Set<[String]>()
        var solutions = Set<[String]>()
        for problem in reference {
            statements.formUnion(Self.grams(Self.tokens(Self.statement(of: problem)), n: n))
            solutions.formUnion(Self.grams(Self.tokens(Self.solution(of: problem)), n: n))
        }
        statementGrams = statements
        solutionGrams = solutions
    }

    public func overlap(_ problem: Problem) -> Overlap {
        Overlap(
            problemID: problem.id,
            statement: Self.share(Self.grams(Self.tokens(Self.statement(of: problem)), n: n), in: statementGrams),
            solution: Self.share(Self.grams(Self.tokens(Self.solution(of: problem)), n: n), in: solutionGrams))
    }

    static func share(_ grams: [[String]], in reference: Set<[String]>) -> Double {
        grams.isEmpty ? 0 : Double(grams.filter { reference.contains($0) }.count) / Double(grams.count)
    }

    static func statement(of problem: Problem) -> String {
        guard let entry = problem.entryPoint, let doc = PromptAnatomy.findDocstring(problem.prompt, entryPoint: entry) else {
            return problem.prompt
        }
        return String(problem.prompt[doc])
    }

    static func solution(of problem: Problem) -> String {
        guard let solution = problem.referenceSolution else { return "" }
        return solution.hasPrefix(problem.prompt) ? String(solution.dropFirst(problem.prompt.count)) : solution
    }

    static func tokens(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
    }

    static func grams(_ tokens: [String], n: Int) -> [[String]] {
        guard tokens.count >= n else { return [] }
        return (0...(tokens.count - n)).map { Array(tokens[$0..<($0 + n)]) }
    }
}
