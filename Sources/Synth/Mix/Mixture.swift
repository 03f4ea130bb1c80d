import ClarifyCore
import Foundation

/// Builds joint training sets from synthesis runs: original (clear problem → code) and
/// clarify examples at a chosen ratio, balanced across categories, with problems held out
/// by id between train and validation, and a staged schedule the trainer reads.
///
/// Both kinds of example come from the same problems (each clarify record carries its
/// original prompt and code), which gives the contrastive pairs docs/design.md asks for: the same
/// problem once clear → code and once rewritten → questions, so only the ambiguity differs.
public enum Mixture {
    public struct Parameters: Sendable {
        /// Parts original : clarify, e.g. (40, 60).
        public var ratio: (original: Int, clarify: Int)
        public var seed: UInt64
        /// Share of problem ids held out for validation.
        public var validationFraction: Double
        /// 1: one mixed stage; 2: stage 1 code only, then stage 2 mixed.
        public var stages: Int
        public var format: ExportFormat
        public var dialogue: DialogueFormat
        public var outputDirectory: String
        public var command: String
        /// Recorded in `manifest.json` (version, commit, the command).
        public var provenance: Provenance

        public init(
            ratio: (original: Int, clarify: Int) = (40, 60), seed: UInt64 = 0, validationFraction: Double = 0.1,
            stages: Int = 1, format: ExportFormat = .chat, dialogue: DialogueFormat = DialogueFormat(),
            outputDirectory: String, command: String = "", provenance: Provenance? = nil
        ) {
            self.ratio = ratio
            self.seed = seed
            self.validationFraction = validationFraction
            self.stages = stages
            self.format = format
            self.dialogue = dialogue
            self.outputDirectory = outputDirectory
            self.command = command
            self.provenance = provenance ?? Provenance()
        }
    }

    /// Reads the `examples.jsonl` of each synthesis directory and writes the mixture.
    @discardableResult
    public static func run(inputs: [String], parameters: Parameters) throws -> MixtureManifest {
        try write(examples: readExamples(inputs: inputs).examples, parameters: parameters)
    }

    /// The `examples.jsonl` of each synthesis directory (or a `.jsonl` path itself), in order.
    /// With `options.onError == .skip` bad lines are counted and listed in the returned stats
    /// (summed over the files) instead of stopping the mix.
    public static func readExamples(inputs: [String], options: JSONLReadOptions = JSONLReadOptions()) throws
        -> (examples: [ClarifyExample], stats: JSONLStats)
    {
        var examples: [ClarifyExample] = []
        var stats = JSONLStats()
        for directory in inputs {
            let path = directory.hasSuffix(".jsonl") ? directory : directory + "/examples.jsonl"
            guard FileManager.default.fileExists(atPath: path) else {
                throw SynthesisError.invalidParameter("\(path) not found: pass directories written by `clarifycoder synthesize`")
            }
            let file = try JSONL.readAll(ClarifyExample.self, from: path, options: options)
            examples += file.records
            stats.lines += file.stats.lines
            stats.records += file.stats.records
            stats.blankLines += file.stats.blankLines
            stats.skipped += file.stats.skipped
            stats.errors += file.stats.errors
        }
        return (examples, stats)
    }

    public static func write(examples: [ClarifyExample], parameters: Parameters) throws -> MixtureManifest {
        guard parameters.ratio.original >= 0, parameters.ratio.clarify >= 0,
            parameters.ratio.original + parameters.ratio.clarify > 0 else {
            throw SynthesisError.invalidParameter("--ratio needs two non-negative parts, not both zero, e.g. 40:60")
        }
        let problemIDs = Array(Set(examples.map(\.problemID))).sorted()
        let validation = Set(problemIDs.filter {
            var generator = SeededGenerator(seed: parameters.seed, salt: "split:" + $0)
            return Double(generator.next() >> 11) / Double(1 << 53) < parameters.validationFraction
        })
        let directory = parameters.outputDirectory
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        catch { throw SynthesisError.io(directory, error) }
        var manifest = MixtureManifest(parameters: parameters, heldOutProblems: validation.count, problems: problemIDs.count)
        for (split, inSplit) in [("train", false), ("validation", true)] {
            let pool = examples.filter { validation.contains($0.problemID) == inSplit }
            let (originals, clarifies) = select(pool, parameters: parameters, salt: split)
            var generator = SeededGenerator(seed: parameters.seed, salt: "shuffle:" + split)
            let mixed = (originals + clarifies).shuffled(using: &generator)
            let file = "\(split).jsonl"
            try writeFile(mixed, to: directory + "/" + file, format: parameters.format)
            manifest.splits[split] = MixtureManifest.Split(
                file: file, examples: mixed.count, original: originals.count,
                perCategory: Dictionary(grouping: clarifies, by: { $0.metadata["category"] ?? "?" }).mapValues(\.count))
            if split == "train" {
                if parameters.stages >= 2 {
                    let codeOnly = Self.originals(of: pool, parameters: parameters).shuffled(using: &generator)
                    try writeFile(codeOnly, to: directory + "/stage1.train.jsonl", format: parameters.format)
                    manifest.stages.append(MixtureManifest.Stage(name: "code", file: "stage1.train.jsonl", examples: codeOnly.count,
                                                 description: "clear problem → code only"))
                }
                manifest.stages.append(MixtureManifest.Stage(name: "mixed", file: file, examples: mixed.count,
                                             description: "original:clarify \(parameters.ratio.original):\(parameters.ratio.clarify)"))
            }
        }
        let data = (try? OutputFiles.encoder.encode(manifest)) ?? Data()
        try OutputFiles(directory: directory).writeAtomically(data, to: directory + "/manifest.json")
        return manifest
    }

    /// One original example per problem of the pool, in problem order.
    static func originals(of pool: [ClarifyExample], parameters: Parameters) -> [Dialogue] {
        var seen = Set<String>()
        return pool.filter { seen.insert($0.problemID).inserted }.map { example in
            parameters.dialogue.original(
                prompt: example.originalPrompt, code: example.code,
                metadata: ["problem_id": example.problemID, "category": "original"])
        }
    }

    /// Originals and clarify dialogues in the requested ratio, using as much of the scarcer
    /// pool as the ratio allows; clarify examples are taken round-robin across categories.
    static func select(_ pool: [ClarifyExample], parameters: Parameters, salt: String) -> ([Dialogue], [Dialogue]) {
        var generator = SeededGenerator(seed: parameters.seed, salt: "select:" + salt)
        let allOriginals = originals(of: pool, parameters: parameters).shuffled(using: &generator)
        // Shuffled in the categories' fixed order: `mapValues` would visit them in hash order, which
        // Swift seeds per process, and the same seed gave a different mixture on every run.
        let grouped = Dictionary(grouping: pool, by: \.category)
        var byCategory: [ClarificationCategory: [ClarifyExample]] = [:]
        for category in ClarificationCategory.allCases {
            if let examples = grouped[category] { byCategory[category] = examples.shuffled(using: &generator) }
        }
        let (o, c) = (Double(parameters.ratio.original), Double(parameters.ratio.clarify))
        let total = min(o == 0 ? .infinity : Double(allOriginals.count) / o, c == 0 ? .infinity : Double(pool.count) / c)
        let wantOriginal = o == 0 ? 0 : min(allOriginals.count, Int((total * o).rounded(.down)))
        let wantClarify = c == 0 ? 0 : min(pool.count, Int((total * c).rounded(.down)))
        var clarifies: [Dialogue] = []
        let order = ClarificationCategory.allCases.filter { byCategory[$0] != nil }
        while clarifies.count < wantClarify {
            for category in order where clarifies.count < wantClarify {
                if let example = byCategory[category]?.popLast() {
                    let format = parameters.dialogue
                    clarifies.append(format.clarify(example.draft, code: example.code, metadata: [
                        "problem_id": example.problemID, "category": category.rawValue, "id": example.id]))
                }
            }
        }
        return (Array(allOriginals.prefix(wantOriginal)), clarifies)
    }

    static func writeFile(_ dialogues: [Dialogue], to path: String, format: ExportFormat) throws {
        let writer = try JSONLWriter.atomic(path: path)
        for dialogue in dialogues { try format.write(dialogue, to: writer) }
        try writer.commit()
    }
}

/// `manifest.json` of a mixture: the files, their sizes and composition, and the stage
/// schedule (in order) for the trainer.
public struct MixtureManifest: Codable, Sendable, Hashable {
    public struct Split: Codable, Sendable, Hashable {
        public var file: String
        public var examples: Int
        public var original: Int
        public var perCategory: [String: Int]

        enum CodingKeys: String, CodingKey {
            case file, examples, original
            case perCategory = "per_category"
        }
    }

    public struct Stage: Codable, Sendable, Hashable {
        public var name: String
        public var file: String
        public var examples: Int
        public var description: String
    }

    public var format: String
    public var target: String
    /// false when code answers leave out the docstrings (absent: they keep them).
    public var docstrings: Bool?
    public var ratio: String
    public var seed: UInt64
    public var validationFraction: Double
    public var problems: Int
    public var heldOutProblems: Int
    public var command: String
    public var splits: [String: Split] = [:]
    public var stages: [Stage] = []
    /// What made the mixture (absent from manifests written before it was recorded).
    public var provenance: Provenance?

    enum CodingKeys: String, CodingKey {
        case format, target, docstrings, ratio, seed, problems, command, splits, stages, provenance
        case validationFraction = "validation_fraction"
        case heldOutProblems = "held_out_problems"
    }

    init(parameters: Mixture.Parameters, heldOutProblems: Int, problems: Int) {
        format = parameters.format.rawValue
        target = parameters.dialogue.target.rawValue
        docstrings = parameters.dialogue.docstrings ? nil : false
        ratio = "\(parameters.ratio.original):\(parameters.ratio.clarify)"
        seed = parameters.seed
        validationFraction = parameters.validationFraction
        self.problems = problems
        self.heldOutProblems = heldOutProblems
        command = parameters.command
        provenance = parameters.provenance
    }
}
