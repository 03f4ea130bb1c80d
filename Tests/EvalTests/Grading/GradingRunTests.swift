import Backends
import ClarifyCore
import Execution
import Foundation
import Testing

@testable import Eval

@Suite("grade: input, per-item output and summary")
struct GradingRunTests {
    static let original = "def f(xs):\n    \"\"\"Return xs sorted in ascending order.\"\"\"\n"
    static let modified = "def candidate(xs):\n    \"\"\"Return xs sorted.\"\"\"\n"

    static func line(_ id: String, _ response: String, grade: Int?) -> String {
        var object: [String: Any] = ["id": id, "original": original, "modified": modified, "response": response]
        if let grade { object["reference_grade"] = grade }
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    static func scratch(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("clarifycoder-grade-\(name)-\(UUID().uuidString)").path
    }

    static func write(_ lines: [String], name: String) throws -> String {
        let folder = scratch(name)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/responses.jsonl"
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static let analyzer = ResponseAnalyzer(pool: EvalRunSupport.pool)

    /// Four items: two questions about the change, one unrelated question, one code answer.
    static let lines = [
        line("HumanEval/1/prompt1a", "Should the list be sorted in ascending or descending order?", grade: 3),
        line("HumanEval/1/prompt1c", "What Python version do you use?", grade: 2),
        line("HumanEval/2/prompt1a", "```python\ndef candidate(xs):\n    return sorted(xs)\n```", grade: 3),
        line("HumanEval/2/prompt1p", "In which order should it be sorted?", grade: 1),
    ]

    @Test("every item gets a record and the summary counts grades and agreement per subset")
    func gradesAndSummarises() async throws {
        let data = try Self.write(Self.lines, name: "summary")
        let out = Self.scratch("summary-out")
        let run = GradingRun(
            parameters: .init(data: data, out: out), evaluator: HeuristicEvaluator(), analyzer: Self.analyzer)
        let summary = try await run.run()
        let records = try JSONL.readAll(GradedItem.self, from: out + "/grades.jsonl").records
        #expect(records.map(\.id) == ["HumanEval/1/prompt1a", "HumanEval/1/prompt1c", "HumanEval/2/prompt1a", "HumanEval/2/prompt1p"])
        // The heuristic: the first and last name a word the modification removed ("ascending", "order"),
        // the second does not, the third asks nothing.
        #expect(records.map(\.quality) == [3, 2, 1, 3])
        #expect(records.map(\.responseKind) == ["question", "question", "code", "question"])
        let all = try #require(summary.subsets.first { $0.name == "all" })
        #expect(all.items == 4)
        #expect(all.distribution == [1, 1, 2])
        #expect(all.goodQuestionRate == 0.5)
        #expect(all.referenceGoodQuestionRate == 0.5)
        #expect(all.agreement?.confusion == [[0, 0, 1], [0, 1, 0], [1, 0, 1]])
        let questions = try #require(summary.subsets.first { $0.name == "questions" })
        #expect(questions.items == 3)
        #expect(questions.agreement?.exact.map { abs($0 - 2.0 / 3) < 1e-12 } == true)
        let balanced = try #require(summary.subsets.first { $0.name == "balanced" })
        #expect(balanced.referenceDistribution == [1, 1, 1])
        let markdown = try String(contentsOfFile: out + "/summary.md", encoding: .utf8)
        #expect(markdown.contains("| all | 4 | 50.0% | 1/1/2 | 50.0% | 1/1/2 | 50.0% |"))
    }

    @Test("a bad line fails naming its line and field, or is skipped and listed with --on-error skip")
    func badLines() async throws {
        let lines = [Self.lines[0], #"{"id": "x", "original": "a", "modified": "b", "response": "c", "reference_grade": 4}"#,
                     #"{"id": "y", "original": "a", "modified": "b"}"#, Self.lines[1]]
        let data = try Self.write(lines, name: "bad")
        let failing = GradingRun(
            parameters: .init(data: data, out: Self.scratch("bad-out")), evaluator: HeuristicEvaluator(),
            analyzer: Self.analyzer)
        await #expect {
            try await failing.run()
        } throws: { error in
            let error = error as? JSONLError
            return error?.line == 2 && error?.field == "reference_grade"
        }
        let skipping = GradingRun(
            parameters: .init(data: data, out: Self.scratch("skip-out"), onError: .skip),
            evaluator: HeuristicEvaluator(), analyzer: Self.analyzer)
        let summary = try await skipping.run()
        #expect(summary.items == 2)
        #expect(summary.skippedLines == 2)
        #expect(summary.skippedErrors.count == 2)
        #expect(summary.skippedErrors[0].contains("responses.jsonl:2: field 'reference_grade'"))
        #expect(summary.skippedErrors[1].contains("responses.jsonl:3:") && summary.skippedErrors[1].contains("response"))
    }

    @Test("a repeated id is an error that names both lines")
    func repeatedID() async throws {
        let data = try Self.write([Self.lines[0], Self.lines[1], Self.lines[0]], name: "dup")
        let run = GradingRun(
            parameters: .init(data: data, out: Self.scratch("dup-out")), evaluator: HeuristicEvaluator(),
            analyzer: Self.analyzer)
        await #expect {
            try await run.run()
        } throws: { error in
            "\(error)".contains("responses.jsonl:3: field 'id'") && "\(error)".contains("already used on line 1")
        }
    }

    @Test("a second run resumes: graded items are kept, failed ones are tried again")
    func resumes() async throws {
        let data = try Self.write(Self.lines, name: "resume")
        let out = Self.scratch("resume-out")
        // The first run's model fails on the second item's request, then answers everything.
        let flaky = ScriptedChatModel { request, index in
            if index == 1 { return .failure(BackendError(.requestRejected, "scripted failure")) }
            return .text("QUALITY=2\nANSWERS=```Ascending.```")
        }
        let first = try await GradingRun(
            parameters: .init(data: data, out: out, batchSize: 1), evaluator: LLMEvaluator(model: flaky, attempts: 1),
            analyzer: Self.analyzer
        ).run()
        #expect(first.failed == 1)
        #expect(flaky.requests.count == 4)
        let second = try await GradingRun(
            parameters: .init(data: data, out: out, batchSize: 1), evaluator: LLMEvaluator(model: flaky, attempts: 1),
            analyzer: Self.analyzer
        ).run()
        #expect(second.failed == 0)
        #expect(flaky.requests.count == 5)
        let records = try JSONL.readAll(GradedItem.self, from: out + "/grades.jsonl").records
        #expect(records.last?.id == "HumanEval/1/prompt1c")
        #expect(records.last?.answers == "Ascending.")
        #expect(records.last?.judgeOutput == "QUALITY=2\nANSWERS=```Ascending.```")
    }

    @Test("a folder graded by another evaluator is refused")
    func otherSettingsRefused() async throws {
        let data = try Self.write(Self.lines, name: "settings")
        let out = Self.scratch("settings-out")
        _ = try await GradingRun(
            parameters: .init(data: data, out: out), evaluator: HeuristicEvaluator(), analyzer: Self.analyzer
        ).run()
        let other = GradingRun(
            parameters: .init(data: data, out: out),
            evaluator: LLMEvaluator(model: ScriptedChatModel(replies: [])), analyzer: Self.analyzer)
        await #expect(throws: GradingError.self) { try await other.run() }
    }
}
