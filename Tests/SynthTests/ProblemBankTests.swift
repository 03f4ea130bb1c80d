import ClarifyCore
import Testing

@testable import Synth

@Suite("Problem bank")
struct ProblemBankTests {
    @Test("ids are unique and every problem has a prompt with examples and at least five tests")
    func shape() throws {
        let bank = ProblemBank.all
        #expect(bank.count >= 300)
        #expect(Set(bank.map(\.family)).count >= 8)
        #expect(Set(bank.map(\.problem.id)).count == bank.count)
        for item in bank {
            let problem = item.problem
            #expect(problem.prompt.contains(">>> \(problem.entryPoint ?? "?")("), "\(problem.id) has no example")
            guard case .checkProgram(let check) = problem.tests else {
                Issue.record("\(problem.id) has no check program")
                continue
            }
            let asserts = check.split(separator: "\n").filter { $0.contains("assert candidate(") }
            #expect(asserts.count >= 5, "\(problem.id) has \(asserts.count) tests")
            #expect(problem.referenceSolution?.hasPrefix(problem.prompt) == true)
        }
    }

    @Test("every fact's phrase occurs in its problem's prompt")
    func factsAreGrounded() {
        for item in ProblemBank.all {
            #expect(!item.facts.isEmpty, "\(item.problem.id) has no facts")
            for fact in item.facts {
                #expect(item.problem.prompt.contains(fact.phrase), "\(item.problem.id): '\(fact.phrase)' not in prompt")
            }
            #expect(SpecFact.facts(of: item.problem) == item.facts)
        }
    }

    @Test("the varied layout: drawn per problem, every layout used, the same examples and facts in each")
    func variedLayout() throws {
        let varied = ProblemBank.problems(style: .varied)
        #expect(varied == ProblemBank.problems(style: .varied))
        #expect(varied.map(\.problem.id) == ProblemBank.all.map(\.problem.id))
        var layouts: [BankPromptParts.Layout.Examples: Int] = [:]
        var typed = 0
        for (item, plain) in zip(varied, ProblemBank.all) {
            let layout = item.promptParts.layout(.varied)
            layouts[layout.examples, default: 0] += 1
            if layout.typed { typed += 1 }
            let problem = item.problem, entry = try #require(problem.entryPoint)
            #expect(problem.referenceSolution?.hasPrefix(problem.prompt) == true)
            #expect(problem.tests == plain.problem.tests && item.facts == plain.facts)
            let signature = try #require(problem.prompt.split(separator: "\n").first { $0.hasPrefix("def \(entry)(") })
            #expect(signature.contains("->") == layout.typed, "\(problem.id): \(signature)")
            #expect(problem.prompt.contains(">>> ") == (layout.examples == .doctest), "\(problem.id)")
            // The synthesizer finds the same examples (calls and results) whatever the layout.
            let examples = PromptAnatomy(prompt: problem.prompt, entryPoint: entry).examples
            let doctests = PromptAnatomy(prompt: plain.problem.prompt, entryPoint: entry).examples
            #expect(examples.map(\.call) == doctests.map(\.call), "\(problem.id)")
            #expect(examples.map { problem.prompt[$0.output] } == doctests.map { plain.problem.prompt[$0.output] })
            for fact in item.facts { #expect(problem.prompt.contains(fact.phrase), "\(problem.id): '\(fact.phrase)'") }
        }
        #expect(Set(layouts.keys) == Set(BankPromptParts.Layout.Examples.allCases), "\(layouts)")
        #expect(layouts[.doctest, default: 0] < varied.count / 2)
        #expect((varied.count / 4...varied.count / 2).contains(typed), "\(typed) typed of \(varied.count)")
        #expect(ProblemBank.problems(style: .doctest) == ProblemBank.all)
    }

    @Test("a prose layout writes the examples under a header, one call and result per line")
    func proseLayout() throws {
        let item = try #require(ProblemBank.problem(id: "bank/lists/filter/gt_3_ascending"))
        let parts = item.promptParts
        let prompt = parts.render(BankPromptParts.Layout(typed: false, examples: .arrow))
        let example = try #require(parts.examples.first)
        #expect(prompt.contains("def \(parts.entryPoint)(\(parts.parameters.map(\.name).joined(separator: ", "))):\n"))
        #expect(prompt.contains("    Examples:\n    \(parts.entryPoint)(\(example.arguments)) ➞ \(example.result)\n"))
        #expect(parts.render(.doctest) == item.problem.prompt)
    }
}
