import ClarifyCore
import Eval
import Foundation
import Testing

@testable import clarifycoder

@Suite("clarifycoder eval")
struct EvalCommandTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ClarifyCoreTests/Fixtures/humanevalcomm-v1-sample.jsonl").path

    func scratch(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("cc-evalcmd-\(name)-\(UUID().uuidString)").path
    }

    @Test("the reference model on a HumanEvalComm file writes run.sqlite; a second run needs --resume")
    func referenceRunAndResume() async throws {
        let out = scratch("ref")
        let arguments = ["--benchmark", "humanevalcomm", "--data", Self.fixture, "--model", "reference", "--out", out]
        try await EvalCommand.parse(arguments).run()
        let store = try RunStore(path: out + "/run.sqlite")
        let run = try #require(try store.listRuns().first)
        let breakdown = try store.breakdown(run: run.id)
        #expect(breakdown.modified.passAt1 == 1 && breakdown.modified.communicationRate == 0)
        await #expect {
            try await EvalCommand.parse(arguments).run()
        } throws: { error in
            "\(error)".contains("--resume")
        }
        try await EvalCommand.parse(arguments + ["--resume"]).run()
        #expect(try store.listRuns().count == 1)
    }

    @Test("a benchmark file with a broken record fails with the file and line named")
    func brokenRecord() async throws {
        let directory = scratch("broken")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let lines = try String(contentsOfFile: Self.fixture, encoding: .utf8).split(separator: "\n")
        let broken = directory + "/broken.jsonl"
        try ([String(lines[0]), "{\"name\": \"HumanEval/x\", \"entry_point\": 3"] + lines.dropFirst().map(String.init))
            .joined(separator: "\n").write(toFile: broken, atomically: true, encoding: .utf8)
        await #expect {
            try await EvalCommand.parse([
                "--benchmark", "humanevalcomm", "--data", broken, "--model", "reference", "--out", directory + "/run",
            ]).run()
        } throws: { error in
            "\(error)".contains("broken.jsonl:2")
        }
    }

    @Test("humanevalcomm without --data says the benchmark is not bundled and how to build the offline one")
    func notBundled() async throws {
        await #expect {
            try await EvalCommand.parse(["--benchmark", "humanevalcomm", "--model", "reference", "--out", scratch("none")])
                .run()
        } throws: { error in
            "\(error)".contains("not bundled") && "\(error)".contains("clarifycoder synthesize --problems")
        }
    }

    @Test("flags out of range are refused before anything runs")
    func validation() {
        #expect(throws: (any Error).self) { try EvalCommand.parse(["--benchmark", "mbpp", "--out", "x"]) }
        #expect(throws: (any Error).self) {
            try EvalCommand.parse(["--benchmark", "humaneval", "--samples", "0", "--out", "x"])
        }
        #expect(throws: (any Error).self) {
            try EvalCommand.parse(["--benchmark", "humaneval", "--evaluator", "gpt", "--out", "x"])
        }
        #expect(throws: (any Error).self) {
            try EvalCommand.parse(["--benchmark", "humaneval", "--model", "reference", "--adapter", "a", "--out", "x"])
        }
        #expect(throws: (any Error).self) {
            try EvalCommand.parse(["--benchmark", "humaneval", "--repetition-penalty", "0", "--out", "x"])
        }
        #expect(throws: (any Error).self) {
            try EvalCommand.parse(["--benchmark", "humaneval", "--presence-penalty", "2.5", "--out", "x"])
        }
        #expect(throws: (any Error).self) {
            try EvalCommand.parse(["--benchmark", "humaneval", "--frequency-penalty", "-3", "--out", "x"])
        }
        #expect(throws: Never.self) {
            try EvalCommand.parse(["--benchmark", "humaneval", "--presence-penalty", "0.5", "--frequency-penalty", "-0.5", "--out", "x"])
        }
    }

    @Test("an adapter folder that does not exist is named in the error before any model runs")
    func missingAdapter() async throws {
        let missing = scratch("no-adapter")
        await #expect {
            try await EvalCommand.parse([
                "--benchmark", "humaneval", "--adapter", missing, "--limit", "1", "--out", scratch("adapter-run"),
            ]).run()
        } throws: { error in
            "\(error)".contains(missing)
        }
    }
}
