import ClarifyCore

/// The offline synthesizer: rewrites a HumanEval-style prompt into ambiguous, incomplete and
/// inconsistent variants (and their combinations) by rule, and writes grounded questions and
/// answers from the record of each edit.
///
/// Edits come from the problem's own facts (bank problems, see ``SpecFact``) or, for prompts
/// without facts, from ``PreciseTermLexicon`` plus the examples. Definitions follow the
/// ClarifyCoder paper and HumanEvalComm: ambiguous = a precise term made vague, incomplete =
/// a condition, the examples or the return specification removed, inconsistent = text and
/// examples made to disagree. A combination applies one edit of each kind, on different facts.
public struct RuleBasedSynthesizer: Synthesizer {
    public let name = "rules"

    public init() {}

    public func synthesize(
        problem: Problem, categories: [ClarificationCategory], seed: UInt64
    ) async throws -> [ClarificationDraft] {
        categories.enumerated().compactMap { index, category in
            var generator = SeededGenerator(seed: seed, salt: "\(problem.id)#\(index)#\(category.rawValue)")
            return draft(problem: problem, category: category, generator: &generator)
        }
    }

    /// One variant of `category`, or `nil` when no combination of edits applies.
    public func draft(problem: Problem, category: ClarificationCategory, seed: UInt64) -> ClarificationDraft? {
        var generator = SeededGenerator(seed: seed, salt: "\(problem.id)#\(category.rawValue)")
        return draft(problem: problem, category: category, generator: &generator)
    }

    func draft(problem: Problem, category: ClarificationCategory, generator: inout SeededGenerator) -> ClarificationDraft? {
        guard category != .original, let entryPoint = problem.entryPoint else { return nil }
        let anatomy = PromptAnatomy(prompt: problem.prompt, entryPoint: entryPoint)
        guard anatomy.docstring != nil else { return nil }
        let lexicon = PreciseTermLexicon.facts(for: anatomy)
        var facts = SpecFact.facts(of: problem)
        if facts.isEmpty { facts = lexicon }
        // Facts stated as whole sentences ("The count ignores case.") have no vague form; their
        // precise words ("case") still do, through the lexicon.
        let blurrable = facts.contains { $0.vague != nil } ? facts.filter { $0.vague != nil } : lexicon
        // Kinds applied in a fixed order (a, p, c): inconsistency last so a flipped example
        // is never then removed by an incomplete edit.
        let kinds = [AmbiguityKind.ambiguous, .incomplete, .inconsistent].filter { category.kinds.contains($0) }
        var result: (String, [(PromptEdit, Change)])?
        // A plan can still fail on the text (a phrase consumed by an earlier edit); reshuffle and retry.
        for _ in 0..<6 where result == nil {
            let candidates = Dictionary(uniqueKeysWithValues: AmbiguityKind.allCases.map {
                ($0, Self.candidates(kind: $0, facts: $0 == .ambiguous ? blurrable : facts, exampleCount: anatomy.examples.count)
                    .shuffled(using: &generator))
            })
            guard let plan = Self.plan(kinds: kinds, candidates: candidates, chosen: []) else { return nil }
            result = Self.apply(plan, to: problem.prompt, entryPoint: entryPoint, generator: &generator)
        }
        guard let (prompt, applied) = result else { return nil }
        let questions = applied.map { ClarificationPhrasing.question(for: $0.0, change: $0.1, generator: &generator) }
        let answers = applied.map { ClarificationPhrasing.answer(for: $0.0, change: $0.1, generator: &generator) }
        let summary = ClarificationPhrasing.summary(
            topics: applied.map { ClarificationPhrasing.topic(of: $0.0) }, generator: &generator)
        return ClarificationDraft(
            variant: Variant(category: category, prompt: prompt, changes: applied.map(\.1)),
            summary: summary, questions: questions, answers: answers)
    }

    static func apply(
        _ plan: [PromptEdit], to original: String, entryPoint: String, generator: inout SeededGenerator
    ) -> (String, [(PromptEdit, Change)])? {
        var prompt = original
        var applied: [(PromptEdit, Change)] = []
        for edit in plan {
            guard let (next, change) = edit.apply(to: prompt, entryPoint: entryPoint, generator: &generator) else { return nil }
            prompt = next
            applied.append((edit, change))
        }
        return (prompt, applied)
    }

    static func candidates(kind: AmbiguityKind, facts: [SpecFact], exampleCount: Int) -> [PromptEdit] {
        switch kind {
        case .ambiguous:
            return facts.filter { $0.vague != nil }.map(PromptEdit.blur)
        case .incomplete:
            return facts.map(PromptEdit.omit) + (exampleCount > 0 ? [.dropExamples] : [])
        case .inconsistent:
            return facts.filter { $0.opposite != nil }.map(PromptEdit.contradict)
                + (0..<min(exampleCount, 3)).map(PromptEdit.flipExample)
        }
    }

    /// The first assignment of one edit per kind whose edits are compatible: different facts,
    /// and no flipped example when the examples are dropped.
    static func plan(kinds: [AmbiguityKind], candidates: [AmbiguityKind: [PromptEdit]], chosen: [PromptEdit]) -> [PromptEdit]? {
        guard let kind = kinds.first else { return chosen }
        for edit in candidates[kind] ?? [] where compatible(edit, with: chosen) {
            if let full = plan(kinds: Array(kinds.dropFirst()), candidates: candidates, chosen: chosen + [edit]) {
                return full
            }
        }
        return nil
    }

    static func compatible(_ edit: PromptEdit, with chosen: [PromptEdit]) -> Bool {
        for other in chosen {
            if let a = edit.fact, let b = other.fact, a.phrase.contains(b.phrase) || b.phrase.contains(a.phrase) { return false }
            switch (edit, other) {
            case (.dropExamples, .flipExample), (.flipExample, .dropExamples): return false
            default: continue
            }
        }
        return true
    }
}
