import BackendsTesting
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

    @Test("--json prints one summary object; --log-samples writes one JSON line per prompt sample")
    func jsonAndSampleLog() async throws {
        let out = scratch("json")
        let log = out + "-samples.jsonl"
        let command = try EvalCommand.parse([
            "--benchmark", "humanevalcomm", "--data", Self.fixture, "--model", "reference", "--out", out, "--json",
            "--log-samples", log,
        ])
        let result = try await command.evaluate()
        try command.writeSampleLog(result, to: log)
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(command.summary(of: result).utf8)) as? [String: Any])
        let modified = try #require(summary["modified"] as? [String: Any])
        #expect(summary["model"] as? String == "reference" && summary["store"] as? String == out + "/run.sqlite")
        #expect((modified["pass_at_k"] as? [String: Double])?["1"] == 1 && modified["communication_rate"] as? Double == 0)
        #expect(summary["over_asking_rate"] as? Double == 0)

        let items = try RunStore(path: out + "/run.sqlite").items(run: result.run.id)
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == items.count && items.count > 4)
        var ids = Set<String>()
        for line in lines {
            let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            ids.insert(record["id"] as? String ?? "")
            // The reference model answers with the reference solution: code, run, passed.
            #expect(record["classification"] as? String == "code" && record["verdict"] as? String == "passed")
            #expect(!((record["prompt"] as? String) ?? "").isEmpty && !((record["response"] as? String) ?? "").isEmpty)
            #expect((record["tests_passed"] as? Int).map { $0 > 0 && $0 == record["tests_total"] as? Int } == true)
            // No question: the judge answered nothing; modified prompts answered with code are graded 1.
            #expect(record["judge_answer"] == nil && (record["judge_grade"] as? Int ?? 1) == 1)
        }
        #expect(ids.count == lines.count)
    }

    @Test("--log-samples records a question, the judge's answer and grade, and the verdict")
    func sampleLogWithQuestions() async throws {
        // An endpoint that always asks: the heuristic judge answers, round 2 asks again, no code.
        let reply = #"{"id": "x", "object": "chat.completion", "model": "asker", "choices": [{"index": 0, "#
            + #""message": {"role": "assistant", "content": "Which order should the result be in?"}, "finish_reason": "stop"}]}"#
        let server = try await FakeOpenAIServer.start(.init(plan: { _ in .status(200, body: reply) }))
        let out = scratch("asker")
        do {
            let command = try EvalCommand.parse([
                "--benchmark", "humanevalcomm", "--data", Self.fixture, "--model", "openai:asker", "--base-url",
                server.baseURL, "--api-key-env", "CLARIFYCODER_TEST_NO_KEY", "--limit", "1", "--out", out,
            ])
            let result = try await command.evaluate()
            let records = try RunStore(path: out + "/run.sqlite").sampleLog(run: result.run.id)
            let modified = records.filter { $0.category != "original" }
            #expect(!modified.isEmpty)
            for record in modified {
                #expect(record.classification == "question" && record.response == "Which order should the result be in?")
                #expect(record.judgeAnswer?.isEmpty == false && record.judgeGrade != nil)
                #expect(record.verdict == "no code" && record.finalCode == nil)
            }
        } catch {
            try? await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }

    @Test("usage mistakes exit with EX_USAGE (64), not 1")
    func usageExitCodes() async throws {
        let out = scratch("usage")
        let arguments = ["--benchmark", "humanevalcomm", "--data", Self.fixture, "--model", "reference", "--limit", "1", "--out", out]
        try await EvalCommand.parse(arguments).run()
        for attempt in [arguments, ["--benchmark", "humanevalcomm", "--model", "reference", "--out", scratch("none")]] {
            do {
                try await EvalCommand.parse(attempt).run()
                Issue.record("\(attempt) ran")
            } catch {
                #expect(ClarifyCoderCommand.exitCode(for: error).rawValue == 64, "\(error)")
            }
        }
        #expect(throws: (any Error).self) {
            try EvalCommand.parse(["--benchmark", "humaneval", "--template", "nope", "--out", "x"])
        }
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
