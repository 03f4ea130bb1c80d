import ArgumentParser
import Foundation
import Testing

@testable import clarifycoder

@Suite("clarifycoder problems generate")
struct ProblemsCommandTests {
    @Test("refuses a count or concurrency below one, too few tokens, and the reference model")
    func validation() throws {
        let base = ["--out", NSTemporaryDirectory() + "cc-problems-\(UUID().uuidString)"]
        #expect(throws: (any Error).self) { try ProblemsGenerateCommand.parse(base) }  // --count is required
        #expect(throws: (any Error).self) { try ProblemsGenerateCommand.parse(base + ["--count", "0"]) }
        #expect(throws: (any Error).self) { try ProblemsGenerateCommand.parse(base + ["--count", "5", "--concurrency", "0"]) }
        #expect(throws: (any Error).self) { try ProblemsGenerateCommand.parse(base + ["--count", "5", "--max-tokens", "10"]) }
        #expect(throws: (any Error).self) { try ProblemsGenerateCommand.parse(base + ["--count", "5", "--model", "reference"]) }
        #expect(throws: (any Error).self) { try ProblemsGenerateCommand.parse(base + ["--count", "5", "--limit", "-1"]) }
        _ = try ProblemsGenerateCommand.parse(base + ["--count", "5", "--limit", "0"])  // reassemble only
        let command = try ProblemsGenerateCommand.parse(base + ["--count", "5"])
        #expect(command.model == "qwen2.5-coder-1.5b" && command.seeds == "stdlib" && command.concurrency == 8)
    }

    @Test("the recorded command continues the set: --resume and --limit are left out")
    func recordedCommand() {
        let arguments = ["clarifycoder", "problems", "generate", "--count", "9", "--limit", "40", "--resume", "--limit=3", "--out", "d"]
        #expect(ProblemsGenerateCommand.recordedArguments(arguments) == [
            "clarifycoder", "problems", "generate", "--count", "9", "--out", "d",
        ])
    }
}
