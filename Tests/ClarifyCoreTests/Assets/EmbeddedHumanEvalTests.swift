import Foundation
import Testing

@testable import ClarifyCore

/// Needs the cached asset: `scripts/test.sh` runs `clarifycoder data fetch` before `swift test`.
/// Without it the test fails with the message that says what to run — it never passes silently.
@Suite("Embedded HumanEval")
struct EmbeddedHumanEvalTests {
    @Test("the cached HumanEval holds 164 problems, each with an entry point and a check program")
    func humanEval() throws {
        let path: String
        do {
            path = try AssetStore().path(for: .humaneval)
        } catch {
            Issue.record("\(error)")
            return
        }
        let (problems, stats) = try DatasetReader.loadProblems(path: path)
        #expect(problems.count == 164)
        #expect(stats.skipped == 0 && stats.blankLines == 0)
        #expect(Set(problems.map(\.id)).count == 164)
        #expect(problems.allSatisfy { $0.entryPoint != nil && $0.referenceSolution != nil })
        #expect(
            problems.allSatisfy {
                if case .checkProgram(let program) = $0.tests { return program.contains("def check(") }
                return false
            })
        #expect(try FileHash.sha256(path: path) == Asset.humaneval.fileSHA256)
    }
}
