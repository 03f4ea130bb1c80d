import ClarifyCore
import Execution
import Foundation
import Testing

@testable import Eval

@Suite("Run store")
struct RunStoreTests {
    func sampleRun(_ store: RunStore) throws -> RunRecord {
        try store.createRun(
            name: "demo", benchmark: "humanevalcomm", mode: .humanevalcomm, model: "scripted", adapter: nil,
            evaluatorKind: .heuristic, evaluatorName: "heuristic", seed: 3, samples: 1, settingsJSON: "{}")
    }

    @Test("items, executions and metrics written to a file read back the same after reopening it")
    func roundTrip() throws {
        let path = EvalRunSupport.scratchStore("roundtrip")
        let runID: Int64
        do {
            let store = try RunStore(path: path)
            let run = try sampleRun(store)
            runID = run.id
            var asked = ItemRecord(
                runID: run.id, position: 0, problemID: "HumanEval/0", category: .ambiguous1, sample: 0,
                prompt: "modified", status: .executed, evaluatorKind: .heuristic)
            asked.round1Response = "Which order?"
            asked.strictVerdict = .question
            asked.paperVerdict = .question
            asked.questions = "Which order?"
            asked.evaluatorAnswers = "Ascending."
            asked.grade = 3
            asked.round2Response = "```python\ndef f(): pass\n```"
            asked.finalCode = "def f(): pass"
            let passed = ExecutionReport(
                problemID: "HumanEval/0", outcomes: [TestOutcome(index: 0, passed: true, status: .passed)])
            try store.save(asked, execution: passed)
            var coded = ItemRecord(
                runID: run.id, position: 1, problemID: "HumanEval/0", category: .original, sample: 0,
                prompt: "original", status: .executed, evaluatorKind: .heuristic)
            coded.strictVerdict = .code
            coded.paperVerdict = .code
            coded.grade = 1
            let failed = ExecutionReport(
                problemID: "HumanEval/0",
                outcomes: [
                    TestOutcome(index: 0, passed: true, status: .passed),
                    TestOutcome(index: 1, passed: false, status: .failed, detail: "expected 1, printed 2"),
                ])
            try store.save(coded, execution: failed)
            try store.writeMetrics(run: run.id, try store.breakdown(run: run.id))
            try store.finish(run: run.id)
        }
        let reopened = try RunStore(path: path)
        let runs = try reopened.listRuns()
        #expect(runs.map(\.id) == [runID])
        #expect(runs[0].finishedAt != nil && runs[0].evaluatorKind == .heuristic && runs[0].seed == 3)
        let outcomes = try reopened.outcomes(run: runID)
        #expect(outcomes.map(\.category) == [.ambiguous1, .original])
        #expect(outcomes[0].questionGrade == 3 && outcomes[0].executions[0].passed)
        #expect(outcomes[1].questionGrade == nil, "originals carry no question grade")
        #expect(outcomes[1].executions[0].testsPassed == 1 && outcomes[1].executions[0].testsTotal == 2)
        let breakdown = try reopened.breakdown(run: runID)
        #expect(breakdown.modified.communicationRate == 1 && breakdown.original.testPassRate == 0.5)
        let metrics = try reopened.metrics(run: runID)
        #expect(metrics.contains(MetricRecord(scope: "1a", name: "good_question_rate", value: 1)))
        #expect(metrics.contains(MetricRecord(scope: "original", name: "pass@1", value: 0)))
        let examples = try reopened.exampleQuestions(run: runID)
        #expect(examples.map(\.questions) == ["Which order?"] && examples[0].answers == "Ascending.")
        #expect(try reopened.finishedItems(run: runID).count == 2)
    }

    @Test("saving an item again replaces it instead of duplicating it")
    func saveReplaces() throws {
        let store = try RunStore(path: EvalRunSupport.scratchStore("replace"))
        let run = try sampleRun(store)
        var item = ItemRecord(
            runID: run.id, position: 0, problemID: "p", category: .original, sample: 0, prompt: "x",
            status: .modelFailed)
        try store.save(item, execution: nil)
        item.status = .noCode
        try store.save(item, execution: ExecutionReport(problemID: "p", outcomes: []))
        #expect(try store.items(run: run.id).map(\.status) == [.noCode])
    }

    @Test("a run keeps the provenance it was created with; runs stored without one read as nil")
    func provenance() throws {
        let path = EvalRunSupport.scratchStore("provenance")
        let made = Provenance(
            version: "0.1.0", commit: "abc", model: "local:/m.gguf", modelSHA256: "ff", command: "clarifycoder eval")
        let store = try RunStore(path: path)
        let run = try store.createRun(
            name: "p", benchmark: "humaneval", mode: .humaneval, model: "m", adapter: nil, evaluatorKind: .none,
            evaluatorName: nil, seed: 0, samples: 1, settingsJSON: "{}", provenance: made)
        let older = try sampleRun(store)
        let reopened = try RunStore(path: path)
        #expect(try reopened.run(id: run.id).provenance == made)
        #expect(try reopened.run(id: older.id).provenance == nil)
    }

    @Test("a file that is not SQLite gives an error naming it")
    func notADatabase() throws {
        let path = EvalRunSupport.scratchStore("garbage")
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data("this is not a database, just text that is long enough to be read".utf8).write(
            to: URL(fileURLWithPath: path))
        #expect {
            try RunStore(path: path)
        } throws: { error in
            "\(error)".contains(path)
        }
    }
}
