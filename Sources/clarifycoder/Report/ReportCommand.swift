import ArgumentParser
import ClarifyCore
import Eval
import Foundation

/// `clarifycoder report`: JSON, Markdown and a self-contained HTML page from evaluation runs,
/// rebuilt from their run stores; several runs side by side (base vs tuned).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a report (HTML with charts, Markdown, JSON) of one or more evaluation runs.",
        discussion: """
            Each RUN is a folder written by `clarifycoder eval --out` (holding run.sqlite) or a run store \
            file; a store holding several runs contributes all of them, oldest first, and PATH#ID picks one. \
            With one run the report is that run's; with several they are side by side, the first as the \
            baseline: differences are in percentage points from it. Numbers are recomputed from the stores. \
            Question grades from the heuristic evaluator are labelled approximate; use --offline-benchmark \
            when the HumanEvalComm file was built here from HumanEval, so the report says so.
            """)

    @Argument(help: "Run folders or run.sqlite files (PATH#ID for one run of a store).")
    var runs: [String]

    @Option(help: "Folder for the report files (default: the run folder with one store, else ./report).")
    var out: String?

    @Option(help: "Comma-separated formats: html, md, json.")
    var format: String = "html,md,json"

    @Option(help: "Name of each run in tables and legends, in order (one per run).")
    var name: [String] = []

    @Option(help: "Report title.")
    var title: String?

    @Option(help: "Example questions to quote per run.")
    var examples: Int = 6

    @Flag(help: "The HumanEvalComm file was built offline from HumanEval by the rule-based synthesizer.")
    var offlineBenchmark = false

    func validate() throws {
        if examples < 0 { throw ValidationError("--examples must be 0 or more") }
        _ = try formats()
        _ = try formats()
    }

    func formats() throws -> [ReportFileFormat] {
        let names = format.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard !names.isEmpty else { throw ValidationError("--format needs at least one of html, md, json") }
        return try names.map { text in
            guard let format = ReportFileFormat(rawValue: text == "markdown" ? "md" : text) else {
                throw ValidationError("--format: unknown format '\(text)'; use html, md and/or json")
            }
            return format
        }
    }

    func run() throws {
        let located: [StoredRuns.Located]
        do {
            located = try runs.flatMap(StoredRuns.locate)
        } catch {
            throw CommandFailure(error)
        }
        if !name.isEmpty && name.count != located.count {
            let list = located.map { "\($0.storePath)#\($0.run.id)" }.joined(separator: ", ")
            throw ValidationError("\(located.count) run(s) found (\(list)) but \(name.count) --name given: give one name per run")
        }
        let names = name.isEmpty ? Self.distinctNames(located) : name
        var reportRuns: [ReportRun] = []
        var notes: [String] = []
        for (index, item) in located.enumerated() {
            let benchmark = offlineBenchmark ? Self.offline(item.run.benchmark) : nil
            do {
                let built = try StoredRuns.reportRun(item, name: names[index], benchmark: benchmark, examples: examples)
                reportRuns.append(built.run)
                notes += built.notes
            } catch {
                throw CommandFailure(error)
            }
        }
        let report = EvaluationReport(
            title: title
                ?? (reportRuns.count == 1
                    ? "Evaluation of \(reportRuns[0].name)"
                    : "Evaluation: " + reportRuns.map(\.name).joined(separator: " vs ")),
            runs: reportRuns, notes: notes, provenance: Provenance())
        let folder = out ?? Self.defaultFolder(located)
        let paths: [String]
        do {
            paths = try ReportWriter.write(report, to: folder, formats: try formats())
        } catch {
            throw CommandFailure(error)
        }
        print(MarkdownReportRenderer.table(report.headlineTable), terminator: "")
        for caveat in report.caveats { printError("note: " + caveat) }
        for path in paths { print("wrote \(path)") }
    }

    /// Run names as recorded, made distinct where runs share one (two run folders both named "run"):
    /// `run#ID`, then a counter if that still repeats.
    static func distinctNames(_ located: [StoredRuns.Located]) -> [String] {
        let counts = Dictionary(located.map { ($0.run.name, 1) }, uniquingKeysWith: +)
        var seen: [String: Int] = [:]
        return located.map { item in
            let base = counts[item.run.name]! > 1 ? "\(item.run.name)#\(item.run.id)" : item.run.name
            seen[base, default: 0] += 1
            return seen[base]! > 1 ? "\(base) (\(seen[base]!))" : base
        }
    }

    static func defaultFolder(_ located: [StoredRuns.Located]) -> String {
        let stores = Set(located.map(\.storePath))
        guard stores.count == 1, let store = stores.first else { return "report" }
        let folder = (store as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    static func offline(_ recorded: String) -> ReportBenchmark {
        var benchmark = StoredRuns.benchmark(recorded)
        benchmark.isOffline = true
        benchmark.detail = [benchmark.detail, "built from HumanEval by the rule-based synthesizer"].compactMap { $0 }
            .joined(separator: "; ")
        return benchmark
    }
}
