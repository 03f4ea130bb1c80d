import ClarifyCore
import Foundation
import Testing

@testable import Eval

/// Writes fixture outcomes into a real run store, as `EvaluationRun` would.
enum StoreFixtures {
    static func folder(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("cc-report-\(name)-\(UUID().uuidString)").path
    }

    @discardableResult
    static func write(
        _ outcomes: [ItemOutcome], to storePath: String, name: String, evaluator: EvaluatorKind = .heuristic,
        finished: Bool = true
    ) throws -> RunRecord {
        let store = try RunStore(path: storePath)
        let run = try store.createRun(
            name: name, benchmark: "humanevalcomm:humanevalcomm.jsonl", mode: .humanevalcomm, model: "smollm2",
            adapter: name == "tuned" ? "runs/tuned/adapter" : nil, evaluatorKind: evaluator,
            evaluatorName: evaluator == .llm ? "gpt-judge" : "heuristic", seed: 3, samples: 1,
            settingsJSON: #"{"maxTokens":512,"temperature":0,"topP":null,"model":"smollm2","limit":4}"#)
        for (position, outcome) in outcomes.enumerated() {
            let asked = outcome.firstResponse == .question
            var item = ItemRecord(
                runID: run.id, position: position, problemID: outcome.problemID, category: outcome.category,
                sample: 0, prompt: "Prompt of \(outcome.problemID) <\(outcome.category.rawValue)>", status: .executed,
                evaluatorKind: evaluator)
            item.strictVerdict = outcome.firstResponse
            item.paperVerdict = outcome.firstResponsePaper
            item.grade = outcome.questionGrade
            if asked {
                item.questions = "Which order for \(outcome.problemID)?"
                item.evaluatorAnswers = "Ascending."
            }
            try store.save(item, execution: outcome.executions.first)
        }
        if finished { try store.finish(run: run.id) }
        return run
    }
}

@Suite("Reports from run stores")
struct StoredRunsTests {
    @Test("a run folder's store gives the same metrics as its outcomes, with settings, notes and examples")
    func fromStore() throws {
        let folder = StoreFixtures.folder("one")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try StoreFixtures.write(ReportFixtures.tunedOutcomes, to: folder + "/run.sqlite", name: "tuned")
        let located = try StoredRuns.locate(folder)
        #expect(located.count == 1)
        let (run, notes) = try StoredRuns.reportRun(located[0], examples: 2)
        #expect(notes.isEmpty)
        #expect(run.metrics == MetricBreakdown(ReportFixtures.tunedOutcomes))
        #expect(run.evaluator == .heuristic)
        #expect(run.benchmark == ReportBenchmark(name: "HumanEvalComm", detail: "humanevalcomm.jsonl"))
        #expect(run.adapter == "runs/tuned/adapter" && run.seed == 3)
        #expect(
            run.settings.map(\.name) == ["mode", "store", "limit", "maxTokens", "temperature", "topP", "item statuses"])
        #expect(run.settings.first { $0.name == "topP" }?.value == "—")
        #expect(run.settings.last?.value == "executed 6")
        // Good questions first, spread over categories: a 1a question, then the 1p one, then the over-asking one.
        #expect(run.examples.map(\.category) == [.ambiguous1, .incomplete1])
        #expect(run.examples[0].response == "Which order for HumanEval/0?" && run.examples[0].grade == 3)
    }

    @Test("a store with several runs gives them all, oldest first; PATH#ID picks one; unfinished runs are noted")
    func severalRuns() throws {
        let folder = StoreFixtures.folder("two")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = folder + "/run.sqlite"
        try StoreFixtures.write(ReportFixtures.baseOutcomes, to: store, name: "base")
        let tuned = try StoreFixtures.write(ReportFixtures.tunedOutcomes, to: store, name: "tuned", finished: false)
        #expect(try StoredRuns.locate(store).map(\.run.name) == ["base", "tuned"])
        let picked = try StoredRuns.locate("\(store)#\(tuned.id)")
        #expect(picked.map(\.run.name) == ["tuned"])
        #expect(
            try StoredRuns.reportRun(picked[0]).notes.first?.contains("tuned is unfinished (6 items stored)") == true)
        #expect {
            try StoredRuns.locate("\(store)#99")
        } throws: { "\($0)".contains("has no run 99 (its runs: 1, 2)") }
    }

    @Test("missing paths, folders without a store, and files that are not run stores are clear errors")
    func badPaths() throws {
        let folder = StoreFixtures.folder("bad")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect { try StoredRuns.locate(folder + "/nothing") } throws: { "\($0)".contains("no such run folder") }
        #expect { try StoredRuns.locate(folder) } throws: { "\($0)".contains("holds no run.sqlite") }
        let text = folder + "/notes.txt"
        try "hello".write(toFile: text, atomically: true, encoding: .utf8)
        #expect { try StoredRuns.locate(text) } throws: { "\($0)".contains("is not a run store (not an SQLite file)") }
        let fake = folder + "/fake.sqlite"
        try Data("SQLite format 3\u{0}".utf8 + Data(repeating: 0x41, count: 200)).write(to: URL(fileURLWithPath: fake))
        #expect { try StoredRuns.locate(fake) } throws: { "\($0)".contains("not a readable run store") }
        let empty = folder + "/empty/run.sqlite"
        _ = try RunStore(path: empty)
        #expect { try StoredRuns.locate(empty) } throws: { "\($0)".contains("holds no runs yet") }
        #expect(try Data(contentsOf: URL(fileURLWithPath: text)) == Data("hello".utf8), "never written to")
    }
}

/// A store written before runs recorded their provenance (schema v1) is read as it is.
@Suite("Reports from older run stores")
struct OlderStoreTests {
    @Test("a v1 store reports its runs with no provenance and is left byte for byte unchanged")
    func readOnly() throws {
        let folder = StoreFixtures.folder("v1")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/run.sqlite"
        try StoreFixtures.write(ReportFixtures.baseOutcomes, to: path, name: "base")
        // Turn it back into a v1 file: no provenance column, no record of migration v2.
        do {
            let store = try RunStore(path: path)
            try store.queue.write { db in
                try db.execute(sql: "ALTER TABLE runs DROP COLUMN provenance_json")
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v2'")
            }
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let located = try StoredRuns.locate(folder)
        let built = try StoredRuns.reportRun(located[0])
        #expect(built.run.provenance == nil)
        #expect(built.run.metrics.original.items == 2)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "a report never migrates a store")
    }
}
