import ClarifyCore
import Foundation
import GRDB

/// The SQLite record of evaluation runs: every item's dialogue, every model call, every execution
/// and the metrics, so a run resumes where it stopped and reports are rebuilt from it alone.
///
/// Schema (migrations v1, v2; GRDB's migrator records which ran):
///
/// | table | one row per | key columns |
/// |---|---|---|
/// | `runs` | run | `id`, `name`, `benchmark`, `mode`, `model`, `adapter`, `evaluator_kind`, `evaluator_name`, `seed`, `samples`, `settings_json`, `created_at`, `finished_at`, `provenance_json` (v2) |
/// | `items` | sample of a prompt | `run_id`, `position`, `problem_id`, `category`, `sample`, `prompt`, `round1_response`, `strict_verdict`, `paper_verdict`, `llm_verdict`, `questions`, `evaluator_kind`, `evaluator_answers`, `grade`, `round2_response`, `final_code`, `status`, `error` |
/// | `model_calls` | distinct request of a run | `run_id`, `role`, `request_hash`, `request_json`, `response_json`, `latency_s`, `error` |
/// | `executions` | executed item sample | `item_id`, `sample`, `verdict`, `tests_passed`, `tests_total`, `detail`, `outcomes_json` |
/// | `metrics` | metric of a scope | `run_id`, `scope`, `name`, `value` |
///
/// An item row is written once, with its execution, in one transaction when its dialogue is done,
/// so a killed run leaves only whole items behind; model calls are written as they return, so a
/// resumed run replays them instead of asking again.
public final class RunStore: Sendable {
    public let path: String
    let queue: DatabaseQueue

    /// Opens the store at `path`, creating the file and its tables when absent and bringing an older
    /// schema up to date. `readOnly` opens an existing file as it is, for readers that must not change
    /// what they were pointed at (reports): columns newer than the file read as absent.
    public init(path: String, readOnly: Bool = false) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty && !readOnly {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.readonly = readOnly
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            if !readOnly { try Self.migrator.migrate(queue) }
        } catch {
            throw RunStoreError("\(path): cannot open the run store: \(error)")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE runs (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        name TEXT NOT NULL,
                        benchmark TEXT NOT NULL,
                        mode TEXT NOT NULL,
                        model TEXT NOT NULL,
                        adapter TEXT,
                        evaluator_kind TEXT NOT NULL,
                        evaluator_name TEXT,
                        seed INTEGER NOT NULL,
                        samples INTEGER NOT NULL,
                        settings_json TEXT NOT NULL,
                        created_at DATETIME NOT NULL,
                        finished_at DATETIME
                    );
                    CREATE TABLE items (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                        position INTEGER NOT NULL,
                        problem_id TEXT NOT NULL,
                        category TEXT NOT NULL,
                        sample INTEGER NOT NULL,
                        prompt TEXT NOT NULL,
                        round1_response TEXT,
                        strict_verdict TEXT,
                        paper_verdict TEXT,
                        llm_verdict TEXT,
                        questions TEXT,
                        evaluator_kind TEXT NOT NULL,
                        evaluator_answers TEXT,
                        grade INTEGER,
                        round2_response TEXT,
                        final_code TEXT,
                        status TEXT NOT NULL,
                        error TEXT,
                        UNIQUE (run_id, problem_id, category, sample)
                    );
                    CREATE INDEX items_by_run ON items(run_id, position, sample);
                    CREATE TABLE model_calls (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                        role TEXT NOT NULL,
                        request_hash TEXT NOT NULL,
                        request_json TEXT NOT NULL,
                        response_json TEXT,
                        latency_s REAL NOT NULL,
                        error TEXT,
                        created_at DATETIME NOT NULL
                    );
                    CREATE INDEX model_calls_by_request ON model_calls(run_id, role, request_hash);
                    CREATE TABLE executions (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
                        sample INTEGER NOT NULL,
                        verdict TEXT NOT NULL,
                        tests_passed INTEGER NOT NULL,
                        tests_total INTEGER NOT NULL,
                        detail TEXT,
                        outcomes_json TEXT NOT NULL,
                        UNIQUE (item_id)
                    );
                    CREATE TABLE metrics (
                        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                        scope TEXT NOT NULL,
                        name TEXT NOT NULL,
                        value REAL NOT NULL,
                        PRIMARY KEY (run_id, scope, name)
                    );
                    """)
        }
        // v2: the run's ``Provenance`` (version, commit, model hash, command) as JSON; NULL for older runs.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: "ALTER TABLE runs ADD COLUMN provenance_json TEXT")
        }
        return migrator
    }

    // MARK: - Runs

    /// Adds a run and returns it with its id.
    public func createRun(
        name: String, benchmark: String, mode: EvaluationMode, model: String, adapter: String?,
        evaluatorKind: EvaluatorKind, evaluatorName: String?, seed: Int, samples: Int, settingsJSON: String,
        provenance: Provenance? = nil
    ) throws -> RunRecord {
        let now = Date()
        let provenanceJSON = provenance.map { String(decoding: $0.json, as: UTF8.self) }
        let id = try queue.write { db -> Int64 in
            try db.execute(
                sql: """
                    INSERT INTO runs (name, benchmark, mode, model, adapter, evaluator_kind, evaluator_name, seed,
                        samples, settings_json, created_at, provenance_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    name, benchmark, mode.rawValue, model, adapter, evaluatorKind.rawValue, evaluatorName, seed,
                    samples, settingsJSON, now, provenanceJSON,
                ])
            return db.lastInsertedRowID
        }
        return RunRecord(
            id: id, name: name, benchmark: benchmark, mode: mode, model: model, adapter: adapter,
            evaluatorKind: evaluatorKind, evaluatorName: evaluatorName, seed: seed, samples: samples,
            settingsJSON: settingsJSON, createdAt: now, finishedAt: nil, provenance: provenance)
    }

    /// Every run, oldest first.
    public func listRuns() throws -> [RunRecord] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY id").map(Self.run)
        }
    }

    public func run(id: Int64) throws -> RunRecord {
        let row = try queue.read { db in try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id]) }
        guard let row else { throw RunStoreError("\(path): no run with id \(id)") }
        return try Self.run(row)
    }

    /// Marks a run finished (now) after its metrics were written.
    public func finish(run id: Int64) throws {
        try queue.write { db in
            try db.execute(sql: "UPDATE runs SET finished_at = ? WHERE id = ?", arguments: [Date(), id])
        }
    }

    static func run(_ row: Row) throws -> RunRecord {
        let modeText: String = row["mode"]
        let evaluatorText: String = row["evaluator_kind"]
        guard let mode = EvaluationMode(rawValue: modeText) else {
            throw RunStoreError("runs.mode: unknown mode '\(modeText)'")
        }
        guard let evaluator = EvaluatorKind(rawValue: evaluatorText) else {
            throw RunStoreError("runs.evaluator_kind: unknown evaluator kind '\(evaluatorText)'")
        }
        return RunRecord(
            id: row["id"], name: row["name"], benchmark: row["benchmark"], mode: mode, model: row["model"],
            adapter: row["adapter"], evaluatorKind: evaluator, evaluatorName: row["evaluator_name"],
            seed: row["seed"], samples: row["samples"], settingsJSON: row["settings_json"],
            createdAt: row["created_at"], finishedAt: row["finished_at"],
            provenance: (row.hasColumn("provenance_json") ? row["provenance_json"] as String? : nil).flatMap {
                try? JSONDecoder().decode(Provenance.self, from: Data($0.utf8))
            })
    }
}

/// A run store that cannot be read or written, or holds something it should not; the message names
/// the file and the table or column.
public struct RunStoreError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
