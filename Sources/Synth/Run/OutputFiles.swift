import ClarifyCore
import Foundation

/// What a run was asked to do, saved as `run.json` when it starts so a resume can refuse to
/// continue a run with different settings (that would mix two datasets in one file).
struct RunSettings: Codable, Sendable, Hashable {
    var synthesizer: String
    var source: String
    var problemCount: Int
    var seed: UInt64
    var categories: [ClarificationCategory]
    var perProblem: Int
    var format: DialogueFormat
    var quality: QualityControl

    enum CodingKeys: String, CodingKey {
        case synthesizer, source, seed, categories, format, quality
        case problemCount = "problem_count"
        case perProblem = "per_problem"
    }

    init(parameters: SynthesisRun.Parameters, synthesizer: String, problemCount: Int) {
        self.synthesizer = synthesizer
        source = parameters.sourceName
        self.problemCount = problemCount
        seed = parameters.seed
        categories = parameters.categories
        perProblem = parameters.perProblem
        format = parameters.format
        quality = parameters.quality
    }
}

/// The files of a run's output directory and their resume-safe handling.
struct OutputFiles {
    let directory: String
    var examples: String { directory + "/examples.jsonl" }
    var ledger: String { directory + "/problems.jsonl" }
    var settings: String { directory + "/run.json" }
    var manifest: String { directory + "/manifest.json" }
    var card: String { directory + "/README.md" }
    var humanEvalComm: String { directory + "/humanevalcomm.jsonl" }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }()

    func prepare(settings: RunSettings, resume: Bool) throws {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch { throw SynthesisError.io(directory, error) }
        if manager.fileExists(atPath: self.settings) {
            guard resume else { throw SynthesisError.outputExists(directory) }
            let saved: RunSettings
            do {
                saved = try JSONDecoder().decode(RunSettings.self, from: Data(contentsOf: URL(fileURLWithPath: self.settings)))
            } catch { throw SynthesisError.io(self.settings, error) }
            for (field, same) in [
                ("synthesizer", saved.synthesizer == settings.synthesizer), ("problem source", saved.source == settings.source),
                ("number of problems", saved.problemCount == settings.problemCount), ("seed", saved.seed == settings.seed),
                ("set of kinds", saved.categories == settings.categories), ("--per-problem", saved.perProblem == settings.perProblem),
                ("dialogue format", saved.format == settings.format), ("quality limits", saved.quality == settings.quality),
            ] where !same {
                throw SynthesisError.settingsDiffer(directory, field)
            }
            return
        }
        for path in [examples, ledger, manifest, card, humanEvalComm] where manager.fileExists(atPath: path) {
            guard resume else { throw SynthesisError.outputExists(directory) }
        }
        try writeAtomically(Self.encoder.encode(settings), to: self.settings)
    }

    /// The ledger writer (a partial last line from a kill is cut off) and its complete entries.
    func openLedger() throws -> (JSONLWriter, [LedgerEntry]) {
        let (writer, _) = try JSONLWriter.resuming(path: ledger)
        let entries = try JSONL.readAll(LedgerEntry.self, from: ledger).records
        return (writer, entries)
    }

    /// The examples writer, after dropping examples of problems missing from the ledger (the
    /// problem in flight when the run was killed; it is redone).
    func openExamples(keeping done: Set<String>) throws -> JSONLWriter {
        _ = try JSONLWriter.resuming(path: examples)
        let records = try JSONL.readAll(ClarifyExample.self, from: examples).records
        if records.contains(where: { !done.contains($0.problemID) }) {
            let rewrite = try JSONLWriter.atomic(path: examples)
            for record in records where done.contains(record.problemID) { try rewrite.write(record) }
            try rewrite.commit()
        }
        return try JSONLWriter.resuming(path: examples).writer
    }

    func writeAtomically(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch { throw SynthesisError.io(path, error) }
    }

    func writeAtomically(_ text: String, to path: String) throws { try writeAtomically(Data(text.utf8), to: path) }
}
