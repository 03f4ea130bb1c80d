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
}
