import ClarifyCore
import Execution
import Foundation
import GRDB

/// Identifies one sample of one prompt within a run.
public struct ItemKey: Sendable, Hashable, Codable {
    public var problemID: String
    public var category: ClarificationCategory
    public var sample: Int

    public init(problemID: String, category: ClarificationCategory, sample: Int) {
        self.problemID = problemID
        self.category = category
        self.sample = sample
    }
}

extension RunStore {
    // MARK: - Items and executions

    /// Writes a finished item and its execution (if any) in one transaction: a killed run leaves
    /// whole items or nothing. Writing the same item again replaces it.
    public func save(_ item: ItemRecord, execution: ExecutionReport?) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let outcomes = try execution.map { String(decoding: try encoder.encode($0.outcomes), as: UTF8.self) }
        try queue.write { db in
            try db.execute(
                sql: "DELETE FROM items WHERE run_id = ? AND problem_id = ? AND category = ? AND sample = ?",
                arguments: [item.runID, item.problemID, item.category.rawValue, item.sample])
            try db.execute(
                sql: """
                    INSERT INTO items (run_id, position, problem_id, category, sample, prompt, round1_response,
                        strict_verdict, paper_verdict, llm_verdict, questions, evaluator_kind, evaluator_answers, grade,
                        round2_response, final_code, status, error)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    item.runID, item.position, item.problemID, item.category.rawValue, item.sample, item.prompt,
                    item.round1Response, item.strictVerdict?.rawValue, item.paperVerdict?.rawValue,
                    item.llmVerdict?.rawValue, item.questions, item.evaluatorKind.rawValue, item.evaluatorAnswers,
                    item.grade, item.round2Response, item.finalCode, item.status.rawValue, item.error,
                ])
            let itemID = db.lastInsertedRowID
            if let execution, let outcomes {
                try db.execute(
                    sql: """
                        INSERT INTO executions (item_id, sample, verdict, tests_passed, tests_total, detail, outcomes_json)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        itemID, item.sample, execution.humanEvalResult.prefix(2000).description, execution.testsPassed,
                        execution.testsTotal, execution.outcomes.first { !$0.passed }?.detail.map { String($0.prefix(4000)) },
                        outcomes,
                    ])
            }
        }
    }

    /// The keys of the items already finished in a run (what `--resume` skips).
    public func finishedItems(run id: Int64) throws -> Set<ItemKey> {
        try queue.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT problem_id, category, sample FROM items WHERE run_id = ?", arguments: [id])
            return Set(
                rows.compactMap { row -> ItemKey? in
                    guard let category = ClarificationCategory(rawValue: row["category"]) else { return nil }
                    return ItemKey(problemID: row["problem_id"], category: category, sample: row["sample"])
                })
        }
    }

    /// The keys of a run's items whose status is one of `statuses`.
    public func itemKeys(run id: Int64, statuses: Set<ItemStatus>) throws -> Set<ItemKey> {
        try queue.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT problem_id, category, sample, status FROM items WHERE run_id = ?", arguments: [id])
            return Set(
                rows.compactMap { row -> ItemKey? in
                    guard let status = ItemStatus(rawValue: row["status"]), statuses.contains(status),
                        let category = ClarificationCategory(rawValue: row["category"])
                    else { return nil }
                    return ItemKey(problemID: row["problem_id"], category: category, sample: row["sample"])
                })
        }
    }

    /// A run's items in run order (position, then sample).
    public func items(run id: Int64) throws -> [ItemRecord] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM items WHERE run_id = ? ORDER BY position, sample", arguments: [id])
                .map(Self.item)
        }
    }

    /// A run's executions by item id.
    public func executions(run id: Int64) throws -> [Int64: ExecutionReport] {
        let rows = try queue.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT e.item_id, e.outcomes_json, i.problem_id FROM executions e JOIN items i ON i.id = e.item_id
                    WHERE i.run_id = ?
                    """, arguments: [id])
        }
        var reports: [Int64: ExecutionReport] = [:]
        for row in rows {
            let itemID: Int64 = row["item_id"]
            let json: String = row["outcomes_json"]
            guard let outcomes = try? JSONDecoder().decode([TestOutcome].self, from: Data(json.utf8)) else {
                throw RunStoreError("\(path): executions.outcomes_json of item \(itemID) is not a list of test outcomes")
            }
            reports[itemID] = ExecutionReport(problemID: row["problem_id"], outcomes: outcomes)
        }
        return reports
    }

    /// The outcomes of a run, one per prompt in run order: the detectors and grade of sample 0, and
    /// the execution of every sample that was executed.
    public func outcomes(run id: Int64) throws -> [ItemOutcome] {
        let items = try self.items(run: id)
        let executions = try self.executions(run: id)
        var order: [String] = []
        var groups: [String: [ItemRecord]] = [:]
        for item in items {
            let key = item.problemID + "\u{1F}" + item.category.rawValue
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(item)
        }
        return order.map { key in
            let samples = groups[key]!
            let first = samples[0]
            return ItemOutcome(
                problemID: first.problemID, category: first.category,
                // A sample whose model call failed has no first response: it counts as no question.
                firstResponse: first.strictVerdict ?? .neither, firstResponsePaper: first.paperVerdict ?? .neither,
                // Grades rate questions about a modification; on an original prompt there is none.
                firstResponseLLM: first.llmVerdict, questionGrade: first.category == .original ? nil : first.grade,
                executions: samples.compactMap { $0.id.flatMap { executions[$0] } })
        }
    }

    /// The metrics of a run, recomputed from its items.
    public func breakdown(run id: Int64, ks: [Int] = [1, 10, 100]) throws -> MetricBreakdown {
        MetricBreakdown(try outcomes(run: id), ks: ks)
    }

    /// Questions the model asked (sample 0 of items that went to the evaluator), in run order,
    /// best-graded first when `bestFirst`.
    public func exampleQuestions(run id: Int64, limit: Int = 20, bestFirst: Bool = true) throws -> [QuestionExample] {
        let examples = try items(run: id).filter { $0.sample == 0 && $0.questions != nil }.map {
            QuestionExample(
                problemID: $0.problemID, category: $0.category, prompt: $0.prompt, questions: $0.questions!,
                answers: $0.evaluatorAnswers, grade: $0.grade, evaluatorKind: $0.evaluatorKind)
        }
        let ordered =
            bestFirst
            ? examples.enumerated().sorted { ($0.element.grade ?? 0, -$0.offset) > ($1.element.grade ?? 0, -$1.offset) }
                .map(\.element) : examples
        return Array(ordered.prefix(max(0, limit)))
    }

    /// Item counts by status, for progress and failure reports.
    public func statusCounts(run id: Int64) throws -> [ItemStatus: Int] {
        var counts: [ItemStatus: Int] = [:]
        for item in try items(run: id) { counts[item.status, default: 0] += 1 }
        return counts
    }

    static func item(_ row: Row) throws -> ItemRecord {
        func decode<T: RawRepresentable>(_ column: String, as type: T.Type) throws -> T? where T.RawValue == String {
            guard let text: String = row[column] else { return nil }
            guard let value = T(rawValue: text) else { throw RunStoreError("items.\(column): unknown value '\(text)'") }
            return value
        }
        guard let category = try decode("category", as: ClarificationCategory.self),
            let status = try decode("status", as: ItemStatus.self)
        else { throw RunStoreError("items: a row lacks its category or status") }
        var item = ItemRecord(
            runID: row["run_id"], position: row["position"], problemID: row["problem_id"], category: category,
            sample: row["sample"], prompt: row["prompt"], status: status,
            evaluatorKind: try decode("evaluator_kind", as: EvaluatorKind.self) ?? .none)
        item.id = row["id"]
        item.round1Response = row["round1_response"]
        item.strictVerdict = try decode("strict_verdict", as: ResponseKind.self)
        item.paperVerdict = try decode("paper_verdict", as: ResponseKind.self)
        item.llmVerdict = try decode("llm_verdict", as: ResponseKind.self)
        item.questions = row["questions"]
        item.evaluatorAnswers = row["evaluator_answers"]
        item.grade = row["grade"]
        item.round2Response = row["round2_response"]
        item.finalCode = row["final_code"]
        item.error = row["error"]
        return item
    }
}
