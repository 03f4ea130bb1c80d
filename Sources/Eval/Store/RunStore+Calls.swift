import Backends
import ClarifyCore
import Foundation
import GRDB

extension RunStore {
    // MARK: - Model calls

    /// The last successful response recorded for this request in this run and role, if any.
    public func recordedResponse(run id: Int64, role: String, requestHash: String) throws -> ChatResponse? {
        let json = try queue.read { db in
            try String.fetchOne(
                db,
                sql: """
                    SELECT response_json FROM model_calls WHERE run_id = ? AND role = ? AND request_hash = ?
                    AND response_json IS NOT NULL ORDER BY id DESC LIMIT 1
                    """, arguments: [id, role, requestHash]
            )
        }
        return json.flatMap { try? JSONDecoder().decode(ChatResponse.self, from: Data($0.utf8)) }
    }

    /// Records one model call (a success with its response, or a failure with its error).
    public func recordCall(run id: Int64, _ call: ModelCallRecord) throws {
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO model_calls (run_id, role, request_hash, request_json, response_json, latency_s, error,
                        created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    id, call.role, call.requestHash, call.requestJSON, call.responseJSON, call.latencySeconds,
                    call.error, Date(),
                ])
        }
    }

    /// Every call of a run, in the order recorded.
    public func modelCalls(run id: Int64) throws -> [ModelCallRecord] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM model_calls WHERE run_id = ? ORDER BY id", arguments: [id]).map {
                ModelCallRecord(
                    requestHash: $0["request_hash"], role: $0["role"], requestJSON: $0["request_json"],
                    responseJSON: $0["response_json"], latencySeconds: $0["latency_s"], error: $0["error"])
            }
        }
    }

    // MARK: - Metrics

    /// Replaces a run's metrics with those of `breakdown`: scopes `modified`, `original` and each category
    /// (`1a` …); names `items`, `communication_rate`, `communication_rate_paper`, `communication_rate_llm`,
    /// `good_question_rate`, `pass@k`, `test_pass_rate`, `sandbox_errors`.
    public func writeMetrics(run id: Int64, _ breakdown: MetricBreakdown) throws {
        var rows: [MetricRecord] = []
        func add(_ scope: String, _ summary: MetricSummary) {
            func put(_ name: String, _ value: Double?) {
                if let value { rows.append(MetricRecord(scope: scope, name: name, value: value)) }
            }
            put("items", Double(summary.items))
            put("communication_rate", summary.communicationRate)
            put("communication_rate_paper", summary.communicationRatePaper)
            put("communication_rate_llm", summary.communicationRateLLM)
            put("good_question_rate", summary.goodQuestionRate)
            for (k, value) in summary.passAtK.sorted(by: { $0.key < $1.key }) { put("pass@\(k)", value) }
            put("test_pass_rate", summary.testPassRate)
            put("sandbox_errors", Double(summary.sandboxErrors))
        }
        if breakdown.modified.items > 0 { add("modified", breakdown.modified) }
        if breakdown.original.items > 0 { add("original", breakdown.original) }
        for category in ClarificationCategory.allCases where category != .original {
            if let summary = breakdown.perCategory[category] { add(category.rawValue, summary) }
        }
        try queue.write { db in
            try db.execute(sql: "DELETE FROM metrics WHERE run_id = ?", arguments: [id])
            for row in rows {
                try db.execute(
                    sql: "INSERT INTO metrics (run_id, scope, name, value) VALUES (?, ?, ?, ?)",
                    arguments: [id, row.scope, row.name, row.value])
            }
        }
    }

    /// The metrics written when the run finished, scope by scope.
    public func metrics(run id: Int64) throws -> [MetricRecord] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT scope, name, value FROM metrics WHERE run_id = ? ORDER BY scope, name",
                arguments: [id]).map { MetricRecord(scope: $0["scope"], name: $0["name"], value: $0["value"]) }
        }
    }
}
