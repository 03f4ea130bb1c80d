import ClarifyCore
import Foundation
import GRDB

/// Finds evaluation runs for a report: `clarifycoder report RUN…` names run folders (holding the
/// `run.sqlite` that `clarifycoder eval --out` writes) or store files, and a store may hold several
/// runs. `PATH#ID` picks one run of a store.
///
/// A store is opened read-only and checked before use: a report never creates, migrates or locks
/// a file it was merely pointed at.
public enum StoredRuns {
    /// A run and the store file it lives in.
    public struct Located: Sendable, Hashable {
        public var storePath: String
        public var run: RunRecord
    }

    /// The runs `argument` names, oldest first: every run of the store, or the one after `#`.
    public static func locate(_ argument: String) throws -> [Located] {
        var path = argument
        var wanted: Int64?
        if let hash = argument.lastIndex(of: "#"), let id = Int64(argument[argument.index(after: hash)...]) {
            path = String(argument[..<hash])
            wanted = id
        }
        let storePath = try storeFile(path)
        try checkIsRunStore(storePath)
        let runs: [RunRecord]
        do {
            runs = try RunStore(path: storePath, readOnly: true).listRuns()
        } catch {
            throw ReportError("\(storePath): cannot read its runs: \(error)")
        }
        if let wanted {
            guard let run = runs.first(where: { $0.id == wanted }) else {
                let ids = runs.map { String($0.id) }.joined(separator: ", ")
                throw ReportError("\(storePath) has no run \(wanted) (its runs: \(ids.isEmpty ? "none" : ids))")
            }
            return [Located(storePath: storePath, run: run)]
        }
        guard !runs.isEmpty else {
            throw ReportError("\(storePath) holds no runs yet: run `clarifycoder eval --out` first")
        }
        return runs.map { Located(storePath: storePath, run: $0) }
    }

    /// The store file for a path: the path itself, or `run.sqlite` inside a folder.
    static func storeFile(_ path: String) throws -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw ReportError("\(path): no such run folder or run store")
        }
        guard isFolder.boolValue else { return path }
        let store = (path as NSString).appendingPathComponent("run.sqlite")
        guard FileManager.default.fileExists(atPath: store) else {
            throw ReportError(
                "\(path) holds no run.sqlite: pass a folder written by `clarifycoder eval --out`, or a run store file")
        }
        return store
    }

    /// The file must be SQLite (checked by its 16-byte header) and hold a `runs` table.
    static func checkIsRunStore(_ path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ReportError("\(path): cannot be read") }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        try? handle.close()
        guard header == Data("SQLite format 3\u{0}".utf8) else {
            throw ReportError("\(path) is not a run store (not an SQLite file)")
        }
        var configuration = Configuration()
        configuration.readonly = true
        let hasRuns: Bool
        do {
            hasRuns = try DatabaseQueue(path: path, configuration: configuration).read { try $0.tableExists("runs") }
        } catch {
            throw ReportError("\(path) is not a readable run store: \(error)")
        }
        guard hasRuns else { throw ReportError("\(path) is an SQLite file but not a run store (it has no runs table)") }
    }

    /// A report run rebuilt from the store: metrics recomputed from the items, settings from the
    /// run's recorded settings, up to `examples` questions chosen by `ReportExample.select`.
    /// Returns notes the report should show (an unfinished run, failed items).
    public static func reportRun(
        _ located: Located, name: String? = nil, benchmark: ReportBenchmark? = nil, examples: Int = 6
    ) throws -> (run: ReportRun, notes: [String]) {
        let record = located.run
        let store: RunStore
        let metrics: MetricBreakdown
        let candidates: [QuestionExample]
        let statuses: [ItemStatus: Int]
        do {
            store = try RunStore(path: located.storePath, readOnly: true)
            metrics = try store.breakdown(run: record.id)
            candidates = try store.exampleQuestions(run: record.id, limit: Int.max)
            statuses = try store.statusCounts(run: record.id)
        } catch {
            throw ReportError("\(located.storePath): run \(record.id): \(error)")
        }
        let runName = name ?? record.name
        var notes: [String] = []
        if record.finishedAt == nil {
            notes.append(
                "\(runName) is unfinished (\(ReportFormat.count(statuses.values.reduce(0, +), "item")) stored): its "
                    + "numbers cover only what was stored; `clarifycoder eval --resume` completes it.")
        }
        let failed = ItemStatus.allCases.filter { $0 == .modelFailed || $0 == .evaluatorFailed }
            .compactMap { status in
                statuses[status].map { "\($0) \(status == .modelFailed ? "model" : "evaluator") failures" }
            }
        if !failed.isEmpty { notes.append("\(runName): \(failed.joined(separator: ", ")) recorded.") }

        let evaluator: ReportEvaluator
        switch record.evaluatorKind {
        case .none: evaluator = .none
        case .heuristic: evaluator = .heuristic
        case .llm: evaluator = .llm(model: record.evaluatorName ?? "unnamed model")
        }
        let chosen = ReportExample.select(
            from: candidates.map {
                ReportExample(
                    problemID: $0.problemID, category: $0.category, prompt: $0.prompt, response: $0.questions,
                    grade: $0.grade, answer: $0.answers)
            }, limit: examples)
        var settings = [ReportSetting("mode", record.mode.rawValue), ReportSetting("store", located.storePath)]
        settings += recordedSettings(record.settingsJSON)
        settings.append(
            ReportSetting(
                "item statuses",
                ItemStatus.allCases.compactMap { status in statuses[status].map { "\(status.rawValue) \($0)" } }
                    .joined(separator: ", ")))
        let run = ReportRun(
            name: runName, model: record.model, adapter: record.adapter,
            benchmark: benchmark ?? Self.benchmark(record.benchmark), evaluator: evaluator, seed: record.seed,
            samples: record.samples, settings: settings, metrics: metrics, examples: chosen,
            provenance: record.provenance)
        return (run, notes)
    }

    /// `humanevalcomm:FILE` → HumanEvalComm, with the file as detail.
    public static func benchmark(_ recorded: String) -> ReportBenchmark {
        let parts = recorded.split(separator: ":", maxSplits: 1).map(String.init)
        let name: String
        switch parts.first?.lowercased() {
        case "humaneval": name = "HumanEval"
        case "humanevalcomm": name = "HumanEvalComm"
        default: name = parts.first ?? recorded
        }
        return ReportBenchmark(name: name, detail: parts.count > 1 ? parts[1] : nil)
    }

    /// The run's `settings_json`, less what the runs table already shows, sorted by key.
    static func recordedSettings(_ json: String) -> [ReportSetting] {
        let shown: Set<String> = ["benchmark", "model", "adapter", "evaluatorKind", "seed", "samples", "mode"]
        guard case .object(let object)? = try? JSONValue.parse(Data(json.utf8)) else {
            return json.isEmpty ? [] : [ReportSetting("settings", json)]
        }
        return object.keys.sorted().filter { !shown.contains($0) }.map { ReportSetting($0, describe(object[$0]!)) }
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return ReportFormat.missing
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return "\(number)"
        case .string(let text): return text
        case .array, .object:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
    }
}
