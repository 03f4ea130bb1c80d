import ClarifyCore
import Foundation

/// A problem of the project's own bank with the structured facts of its specification.
public struct BankProblem: Sendable, Hashable {
    public var problem: Problem
    public var facts: [SpecFact]
    /// The family that generated it (`lists/filter`, `strings`, `handwritten`, …).
    public var family: String
    /// The function body alone, kept so tests can mutate the reference solution.
    public var body: String
    /// What the prompt is written from, so that ``styled(_:)`` can lay it out again.
    let promptParts: BankPromptParts

    init(spec: BankSpec) {
        family = spec.family
        facts = spec.facts
        body = spec.body
        promptParts = spec.promptParts
        problem = Problem(
            id: "bank/" + spec.id,
            prompt: spec.prompt,
            entryPoint: spec.entryPoint,
            referenceSolution: spec.solution,
            tests: .checkProgram(spec.checkProgram),
            source: "bank",
            metadata: ["family": spec.family, SpecFact.metadataKey: SpecFact.encode(spec.facts)]
        )
    }

    /// The problem with its prompt (and the reference solution that starts with it) written in
    /// `style`; tests, facts and id unchanged.
    public func styled(_ style: BankPromptStyle) -> BankProblem {
        var copy = self
        copy.problem.prompt = promptParts.render(style)
        copy.problem.referenceSolution = BankPromptParts.solution(prompt: copy.problem.prompt, body: body)
        return copy
    }
}

extension SpecFact {
    /// The `Problem.metadata` key under which a problem carries its facts as JSON, so facts
    /// survive when a bank is written to JSONL and read back as plain problems.
    public static let metadataKey = "facts"

    static func encode(_ facts: [SpecFact]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(facts)) ?? Data("[]".utf8), as: UTF8.self)
    }

    /// The facts a problem carries in its metadata; empty when it carries none or they do not parse.
    public static func facts(of problem: Problem) -> [SpecFact] {
        guard let text = problem.metadata[metadataKey] else { return [] }
        return (try? JSONDecoder().decode([SpecFact].self, from: Data(text.utf8))) ?? []
    }
}
