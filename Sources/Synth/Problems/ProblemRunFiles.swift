import ClarifyCore
import Foundation

/// What a problem-generation run was asked to do, saved as `run.json` when it starts, so a resume
/// refuses settings that would mix two sets in one ledger. `--count`, `--concurrency` and
/// `--limit` may change between runs: they decide how far it goes, not what an item is.
struct ProblemRunSettings: Codable, Sendable, Hashable {
    var model: String
    var seeds: String
    var seed: UInt64
    var maxTokens: Int
    var benchmarks: [String]
    /// ``ProblemPrompt/version`` (with the snippet cut and draw order of its time); absent in runs
    /// of version 1.
    var prompt: Int?

    enum CodingKeys: String, CodingKey {
        case model, seeds, seed, benchmarks, prompt
        case maxTokens = "max_tokens"
    }

    init(_ parameters: ProblemGeneration.Parameters) {
        model = parameters.model
        seeds = parameters.seedsName
        seed = parameters.seed
        maxTokens = parameters.maxTokens
        benchmarks = parameters.benchmarks.map { $0.name }
        prompt = ProblemPrompt.version
    }
}

/// The files of a run's folder and their resume-safe handling.
struct ProblemRunFiles {
    let directory: String
    var ledger: String { directory + "/items.jsonl" }
    var settings: String { directory + "/run.json" }
    var problems: String { directory + "/problems.jsonl" }
    var manifest: String { directory + "/manifest.json" }
    var card: String { directory + "/README.md" }

    func prepare(settings: ProblemRunSettings, resume: Bool) throws {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch { throw ProblemGenerationError("\(directory): \(error)") }
        if manager.fileExists(atPath: self.settings) {
            guard resume else {
                throw ProblemGenerationError(
                    "\(directory) already holds a problem-generation run; pass --resume to continue it or choose another --out")
            }
            let saved: ProblemRunSettings
            do {
                saved = try JSONDecoder().decode(ProblemRunSettings.self, from: Data(contentsOf: URL(fileURLWithPath: self.settings)))
            } catch { throw ProblemGenerationError("\(self.settings): \(error)") }
            for (field, same) in [
                ("--model", saved.model == settings.model), ("--seeds", saved.seeds == settings.seeds),
                ("--seed", saved.seed == settings.seed), ("--max-tokens", saved.maxTokens == settings.maxTokens),
                ("--decontaminate set", saved.benchmarks == settings.benchmarks),
                ("prompt (version \(saved.prompt ?? 1), this build's is \(ProblemPrompt.version))",
                 (saved.prompt ?? 1) == settings.prompt),
            ] where !same {
                throw ProblemGenerationError("cannot resume \(directory): its run used a different \(field); start a new --out")
            }
            return
        }
        if manager.fileExists(atPath: ledger) {
            throw ProblemGenerationError("\(directory) holds items.jsonl but no run.json; choose another --out")
        }
        try writeAtomically(OutputFiles.encoder.encode(settings), to: self.settings)
    }

    /// The ledger writer (a partial last line from a kill is cut off) and its complete items.
    func openLedger() throws -> (JSONLWriter, [GenerationItem]) {
        let (writer, _) = try JSONLWriter.resuming(path: ledger)
        return (writer, try JSONL.readAll(GenerationItem.self, from: ledger).records)
    }

    func write(manifest: ProblemManifest, problems records: [GeneratedProblemRecord]) throws {
        let writer = try JSONLWriter.atomic(path: problems)
        for record in records { try writer.write(record) }
        try writer.commit()
        try writeAtomically(manifest.json, to: self.manifest)
        try writeAtomically(Data(manifest.card().utf8), to: card)
    }

    func writeAtomically(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch { throw ProblemGenerationError("\(path): \(error)") }
    }
}
