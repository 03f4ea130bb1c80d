import ClarifyCore
import Testing

@testable import Synth

@Suite("Rule-based synthesizer")
struct RuleBasedSynthesizerTests {
    let synthesizer = RuleBasedSynthesizer()
    let filter = ProblemBank.problem(id: "bank/lists/filter/gt_3_ascending")!

    @Test("an ambiguous variant replaces a precise phrase by its vague form and records it")
    func ambiguous() throws {
        let draft = try #require(synthesizer.draft(problem: filter.problem, category: .ambiguous1, seed: 1))
        let change = try #require(draft.variant.changes.first)
        #expect(draft.variant.changes.count == 1 && change.kind == .ambiguous)
        let original = try #require(change.original), vague = try #require(change.replacement)
        #expect(filter.problem.prompt.contains(original))
        #expect(draft.variant.prompt.contains(vague))
        #expect(!draft.variant.prompt.contains(original))
        #expect(draft.questions.count == 1 && draft.questions[0].hasSuffix("?"))
        #expect(draft.answers.count == 1 && !draft.answers[0].isEmpty)
    }

    @Test("an incomplete variant loses a fact, the examples or a sentence")
    func incomplete() throws {
        for seed in UInt64(0)..<8 {
            let draft = try #require(synthesizer.draft(problem: filter.problem, category: .incomplete1, seed: seed))
            let change = try #require(draft.variant.changes.first)
            #expect(change.kind == .incomplete)
            #expect(draft.variant.prompt != filter.problem.prompt)
            if change.description.hasPrefix("removed the examples") {
                #expect(!draft.variant.prompt.contains(">>>"))
                #expect(!draft.variant.prompt.contains("-> list[int]"))
            } else {
                #expect(!draft.variant.prompt.contains(try #require(change.original)))
            }
        }
    }

    @Test("an inconsistent variant makes the examples and the text disagree")
    func inconsistent() throws {
        var sawFlip = false, sawContradiction = false
        for seed in UInt64(0)..<12 {
            let draft = try #require(synthesizer.draft(problem: filter.problem, category: .inconsistent1, seed: seed))
            let change = try #require(draft.variant.changes.first)
            #expect(change.kind == .inconsistent)
            if change.description.hasPrefix("the example") {
                sawFlip = true
                #expect(draft.variant.prompt.contains(try #require(change.replacement)))
                #expect(draft.variant.prompt.components(separatedBy: ">>>").count == filter.problem.prompt.components(separatedBy: ">>>").count)
            } else {
                sawContradiction = true
                #expect(draft.variant.prompt.contains(try #require(change.replacement)))
            }
        }
        #expect(sawFlip && sawContradiction)
    }

    @Test("a 3acp variant applies one edit of each kind")
    func combination() throws {
        let draft = try #require(synthesizer.draft(problem: filter.problem, category: .all3, seed: 3))
        #expect(Set(draft.variant.changes.map(\.kind)) == Set(AmbiguityKind.allCases))
        #expect(draft.questions.count == 3 && draft.answers.count == 3)
    }

    @Test("the same seed gives the same variant; phrasings vary across seeds")
    func deterministic() throws {
        let a = synthesizer.draft(problem: filter.problem, category: .ambiguousIncomplete, seed: 42)
        let b = synthesizer.draft(problem: filter.problem, category: .ambiguousIncomplete, seed: 42)
        #expect(a == b)
        let questions = Set((UInt64(0)..<20).compactMap {
            synthesizer.draft(problem: filter.problem, category: .ambiguous1, seed: $0)?.questions.first
        })
        #expect(questions.count >= 4)
    }

    @Test("a HumanEval-style prompt without facts is blurred through the lexicon and its examples flipped")
    func humanEvalStyle() throws {
        let prompt = """
            def sort_third(l: list):
                \"\"\"Return a copy of l whose elements are sorted in ascending order, keeping the largest first.
                >>> sort_third([3, 1, 2])
                [1, 2, 3]
                \"\"\"

            """
        let problem = Problem(
            id: "demo/1", prompt: prompt, entryPoint: "sort_third", referenceSolution: prompt + "    return sorted(l)\n",
            tests: .checkProgram("def check(candidate):\n    assert candidate([2, 1]) == [1, 2]\n"), source: "demo")
        let ambiguous = try #require(synthesizer.draft(problem: problem, category: .ambiguous1, seed: 0))
        #expect(["in ascending order", "the largest", "sorted"].contains(ambiguous.variant.changes[0].original ?? ""))
        let flipped = (UInt64(0)..<10).compactMap { synthesizer.draft(problem: problem, category: .inconsistent1, seed: $0) }
            .first { $0.variant.changes[0].description.hasPrefix("the example") }
        let flip = try #require(flipped)
        #expect(flip.variant.prompt.contains("[3, 2, 1]"))
        #expect(flip.answers[0].contains("[1, 2, 3]"))
        let incomplete = (UInt64(0)..<30).compactMap { synthesizer.draft(problem: problem, category: .incomplete1, seed: $0) }
        #expect(incomplete.contains { !$0.variant.prompt.contains(">>>") })
    }

    @Test("every bank problem yields ambiguous, incomplete and inconsistent variants", arguments: BankPromptStyle.allCases)
    func bankCoverage(style: BankPromptStyle) throws {
        for item in ProblemBank.problems(style: style) {
            for category in [ClarificationCategory.ambiguous1, .incomplete1, .inconsistent1] {
                let found = (UInt64(0)..<4).contains { synthesizer.draft(problem: item.problem, category: category, seed: $0) != nil }
                #expect(found, "\(item.problem.id) has no \(category.rawValue) variant")
            }
        }
    }

    @Test("dropping prose examples removes their header too, and says whether a return type went")
    func dropProseExamples() throws {
        let item = filter.styled(.varied)
        for layout in BankPromptParts.Layout.Examples.allCases {
            for typed in [true, false] {
                var problem = item.problem
                problem.prompt = item.promptParts.render(BankPromptParts.Layout(typed: typed, examples: layout))
                let drops = (UInt64(0)..<40).compactMap { synthesizer.draft(problem: problem, category: .incomplete1, seed: $0) }
                    .filter { $0.variant.changes[0].description.hasPrefix("removed the examples") }
                let drop = try #require(drops.first, "\(layout), typed \(typed)")
                let entry = try #require(problem.entryPoint)
                #expect(PromptAnatomy(prompt: drop.variant.prompt, entryPoint: entry).examples.isEmpty)
                #expect(!drop.variant.prompt.lowercased().contains("example"), "\(drop.variant.prompt)")
                #expect(drop.variant.changes[0].description
                    == (typed ? "removed the examples and the return type" : "removed the examples"))
            }
        }
    }
}
