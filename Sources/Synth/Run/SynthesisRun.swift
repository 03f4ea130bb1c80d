import ClarifyCore
import Foundation

/// A synthesis run: problems in, `examples.jsonl` + `problems.jsonl` + `manifest.json` +
/// `humanevalcomm.jsonl` + a dataset card out, resumable after a hard kill.
///
/// Resume works because every choice is seeded per problem (``SeededGenerator/init(seed:salt:)``)
/// and problems are processed in input order: `problems.jsonl` (the ledger) gets a problem's
/// line only after all its examples are on disk, so on resume the examples of the problem that
/// was in flight are dropped and redone, and the final files equal an uninterrupted run's.
public enum SynthesisRun {
    public struct Parameters: Sendable {
        public var categories: [ClarificationCategory]
        /// Variants kept per problem (attempts stop when reached; at most 3× this many tries).
        public var perProblem: Int
        public var seed: UInt64
        public var outputDirectory: String
        public var resume: Bool
        public var quality: QualityControl
        public var format: DialogueFormat
        /// The command line recorded in the dataset card.
        public var command: String
        /// Where the problems came from (`bank` or a path), for the manifest.
        public var sourceName: String
        /// Stop after this many problems of the input (a partial run; resume continues it).
        public var limit: Int?
        /// Problems synthesized at once (for synthesizers that wait on a model); their records
        /// are still written in input order, so the files do not depend on this.
        public var concurrency: Int
        /// Recorded in `manifest.json` (version, commit, the synthesizing model, the command).
        public var provenance: Provenance

        public init(
            categories: [ClarificationCategory] = [.ambiguous1, .incomplete1, .inconsistent1], perProblem: Int = 3,
            seed: UInt64 = 0, outputDirectory: String, resume: Bool = false, quality: QualityControl = QualityControl(),
            format: DialogueFormat = DialogueFormat(), command: String = "", sourceName: String = "bank", limit: Int? = nil,
            concurrency: Int = 1, provenance: Provenance? = nil
        ) {
            self.categories = categories
            self.perProblem = perProblem
            self.seed = seed
            self.outputDirectory = outputDirectory
            self.resume = resume
            self.quality = quality
            self.format = format
            self.command = command
            self.sourceName = sourceName
            self.limit = limit
            self.concurrency = max(1, concurrency)
            self.provenance = provenance ?? Provenance()
        }
    }

    public struct Progress: Sendable {
        public var problemsDone: Int
        public var problemsTotal: Int
        public var examplesKept: Int
        public var rejected: Int
        public var currentProblem: String
    }

    /// The categories a `--kinds` word selects.
    public static func categories(forKinds words: [String]) throws(SynthesisError) -> [ClarificationCategory] {
        var result: [ClarificationCategory] = []
        for word in words {
            let selected: [ClarificationCategory]
            switch word.lowercased() {
            case "ambiguous": selected = [.ambiguous1]
            case "incomplete": selected = [.incomplete1]
            case "inconsistent": selected = [.inconsistent1]
            case "combos": selected = [.ambiguousInconsistent, .ambiguousIncomplete, .inconsistentIncomplete, .all3]
            default:
                if let category = ClarificationCategory(rawValue: word), category != .original { selected = [category] }
                else { throw SynthesisError.invalidParameter("unknown kind '\(word)'; use ambiguous, incomplete, inconsistent, combos or a category such as 2ap") }
            }
            for category in selected where !result.contains(category) { result.append(category) }
        }
        return result
    }

    /// Runs synthesis over `problems` and returns the manifest. Problems without an entry
    /// point (APPS, chat) cannot be rewritten by rule and are counted as skipped.
    @discardableResult
    public static func run(
        problems: [Problem], synthesizer: any Synthesizer, parameters: Parameters,
        progress: (Progress) -> Void = { _ in }
    ) async throws -> SynthesisManifest {
        let files = OutputFiles(directory: parameters.outputDirectory)
        let settings = RunSettings(parameters: parameters, synthesizer: synthesizer.name, problemCount: problems.count)
        try files.prepare(settings: settings, resume: parameters.resume)
        let (ledger, done) = try files.openLedger()
        let examples = try files.openExamples(keeping: Set(done.map(\.problemID)))
        var entries = done
        var doneIDs = Set(done.map(\.problemID))
        var kept = done.reduce(0) { $0 + $1.kept }
        var rejected = done.reduce(0) { $0 + $1.rejected.values.reduce(0, +) }
        let total = min(problems.count, parameters.limit ?? problems.count)
        let pending = problems.prefix(total).filter { !doneIDs.contains($0.id) }
        // Windows of `concurrency` problems run at once; each window's records are written in
        // input order once all of it is done, so a kill loses at most one window.
        for windowStart in stride(from: 0, to: pending.count, by: parameters.concurrency) {
            let window = Array(pending[windowStart..<min(windowStart + parameters.concurrency, pending.count)])
            let results = try await withThrowingTaskGroup(of: (Int, LedgerEntry, [ClarifyExample]).self) { group in
                for (index, problem) in window.enumerated() {
                    group.addTask {
                        var written: [ClarifyExample] = []
                        let entry = try await synthesize(problem, synthesizer: synthesizer, parameters: parameters) {
                            written.append($0)
                        }
                        return (index, entry, written)
                    }
                }
                var collected: [(Int, LedgerEntry, [ClarifyExample])] = []
                for try await result in group { collected.append(result) }
                return collected.sorted { $0.0 < $1.0 }
            }
            for (_, entry, written) in results {
                for example in written { try examples.write(example) }
                try ledger.write(entry)
                entries.append(entry)
                doneIDs.insert(entry.problemID)
                kept += entry.kept
                rejected += entry.rejected.values.reduce(0, +)
                progress(Progress(
                    problemsDone: entries.count, problemsTotal: total, examplesKept: kept, rejected: rejected,
                    currentProblem: entry.problemID))
            }
        }
        try examples.commit()
        try ledger.commit()
        guard entries.count == problems.count else {
            return SynthesisManifest(
                settings: settings, entries: entries, examples: [], provenance: parameters.provenance)
        }
        let written = try JSONL.readAll(ClarifyExample.self, from: files.examples).records
        let manifest = SynthesisManifest(
            settings: settings, entries: entries, examples: written, provenance: parameters.provenance)
        try files.writeAtomically(manifest.json, to: files.manifest)
        try files.writeAtomically(manifest.card(command: parameters.command), to: files.card)
        try HumanEvalCommExport.write(problems: problems, examples: written, to: files.humanEvalComm)
        return manifest
    }

    static func synthesize(
        _ problem: Problem, synthesizer: any Synthesizer, parameters: Parameters,
        write: (ClarifyExample) throws -> Void
    ) async throws -> LedgerEntry {
        try Task.checkCancellation()
        var entry = LedgerEntry(problemID: problem.id, kept: 0, rejected: [:], inapplicable: 0)
        guard problem.entryPoint != nil, let code = problem.referenceSolution, !parameters.categories.isEmpty else {
            return entry
        }
        var order = parameters.categories
        var generator = SeededGenerator(seed: parameters.seed, salt: problem.id)
        order.shuffle(using: &generator)
        var keptPrompts: [String] = []
        var attempt = 0
        while entry.kept < parameters.perProblem, attempt < parameters.perProblem * 3 {
            let category = order[attempt % order.count]
            let attemptSeed = parameters.seed &+ UInt64(attempt) &* 0x9E37_79B9
            defer { attempt += 1 }
            let drafts: [ClarificationDraft]
            do {
                drafts = try await synthesizer.synthesize(problem: problem, categories: [category], seed: attemptSeed)
            } catch let failure as AttemptFailure {
                entry.failures[failure.reason, default: 0] += 1
                entry.failureMessages.append("\(category.rawValue)#\(attempt): \(failure)")
                continue
            }
            guard let draft = drafts.first else {
                entry.inapplicable += 1
                continue
            }
            if let reason = parameters.quality.check(draft, original: problem.prompt, kept: keptPrompts) {
                entry.rejected[reason, default: 0] += 1
                continue
            }
            keptPrompts.append(draft.variant.prompt)
            entry.kept += 1
            let id = "\(problem.id)#\(category.rawValue)#\(attempt)"
            let metadata = ["id": id, "problem_id": problem.id, "category": category.rawValue, "synthesizer": synthesizer.name]
            try write(ClarifyExample(
                id: id, problemID: problem.id, source: problem.source, entryPoint: problem.entryPoint,
                category: category, kinds: category.kinds, originalPrompt: problem.prompt, prompt: draft.variant.prompt,
                changes: draft.variant.changes, summary: draft.summary, questions: draft.questions,
                answers: draft.answers, code: code, synthesizer: synthesizer.name,
                dialogue: parameters.format.clarify(draft, code: code, metadata: metadata)))
        }
        return entry
    }
}

/// Errors of a synthesis run, each saying what to do.
public struct SynthesisError: Error, CustomStringConvertible, Sendable {
    public let description: String

    static func invalidParameter(_ message: String) -> SynthesisError { SynthesisError(description: message) }
    static func outputExists(_ directory: String) -> SynthesisError {
        SynthesisError(description: "\(directory) already holds a synthesis run; pass --resume to continue it or choose another --out")
    }
    static func settingsDiffer(_ directory: String, _ field: String) -> SynthesisError {
        SynthesisError(description: "cannot resume \(directory): its run used a different \(field); start a new --out")
    }
    static func io(_ path: String, _ error: any Error) -> SynthesisError {
        SynthesisError(description: "\(path): \(error)")
    }
}
