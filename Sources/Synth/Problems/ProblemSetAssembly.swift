import ClarifyCore
import Foundation

/// Turns the ledger's verified items into the set: near duplicates and contaminated problems out,
/// the first `count` of the rest (in item order) kept. The same items always give the same set,
/// however the run was interrupted, because the ledger is read in index order.
struct ProblemSetAssembler {
    var duplicates: NearDuplicateFilter
    let contamination: BenchmarkContamination
    let count: Int
    let source: String
    private(set) var kept: [GenerationItem] = []
    private(set) var surplus = 0
    /// Items that reached each stage of assembly, and why the others did not.
    private(set) var deduplicated = 0
    private(set) var decontaminated = 0
    private(set) var rejections: [String: Int] = [:]

    init(contamination: BenchmarkContamination, count: Int, source: String, duplicateThreshold: Double = 0.6) {
        duplicates = NearDuplicateFilter(threshold: duplicateThreshold)
        self.contamination = contamination
        self.count = count
        self.source = source
    }

    /// Offers one item that passed its per-item stages; returns whether it was kept.
    @discardableResult
    mutating func offer(_ item: GenerationItem) -> Bool {
        guard let problem = item.problem(source: source), let draft = item.draft else { return false }
        if duplicates.admit(id: item.id, text: draft.prompt + "\n" + draft.solution) != nil {
            rejections["near_duplicate", default: 0] += 1
            return false
        }
        deduplicated += 1
        if contamination.reason(problem) != nil {
            rejections["contaminated", default: 0] += 1
            return false
        }
        decontaminated += 1
        guard kept.count < count else {
            surplus += 1
            return false
        }
        kept.append(item)
        return true
    }
}

/// The summary of a problem-generation run, written as `manifest.json` and rendered as the card.
public struct ProblemManifest: Codable, Sendable, Hashable {
    public var model: String
    public var seeds: String
    public var seedFolder: String
    public var seed: UInt64
    /// The number of kept problems asked for.
    public var count: Int
    public var kept: Int
    /// Items that passed every check after `count` were kept (a resume with a larger count uses them).
    public var surplus: Int
    public var seedFiles: Int
    /// Seed files that could not be read, with the reason.
    public var unreadableFiles: [String: String]
    public var snippets: Int
    /// How many items reached each stage (every stage listed, zeros included).
    public var stages: [String: Int]
    /// Why items stopped, by reason (every reason seen).
    public var rejections: [String: Int]
    /// Kept problems per topic (first parameter's type), per difficulty, per seed module (the 20
    /// most common) and per seed kind.
    public var topics: [String: Int]
    public var difficulty: [String: Int]
    public var seedModules: [String: Int]
    public var seedKinds: [String: Int]
    /// Of the mutants run against kept problems' tests, the share rejected.
    public var mutantKillRate: Double?
    /// Tokens the model wrote over all items, and the items' summed wall-clock seconds.
    public var completionTokens: Int
    public var itemSeconds: Double
    public var benchmarks: [String]
    public var provenance: Provenance

    enum CodingKeys: String, CodingKey {
        case model, seeds, seed, count, kept, surplus, snippets, stages, rejections, topics, difficulty, benchmarks
        case provenance
        case seedFolder = "seed_folder"
        case seedFiles = "seed_files"
        case unreadableFiles = "unreadable_files"
        case seedModules = "seed_modules"
        case seedKinds = "seed_kinds"
        case mutantKillRate = "mutant_kill_rate"
        case completionTokens = "completion_tokens"
        case itemSeconds = "item_seconds"
    }

    var json: Data { (try? OutputFiles.encoder.encode(self)) ?? Data() }

    /// The dataset card: where the problems came from, how to regenerate them, the counts.
    func card() -> String {
        var lines = [
            "# Generated problems", "",
            "HumanEval-style problems written by `\(model)` from seed snippets of `\(seeds)` (\(seedFolder)), "
                + "seed \(seed), OSS-Instruct style, each verified in the sandbox. \(kept) kept of \(count) asked for.", "",
            "```sh", provenance.command, "```", "",
            "Made by \(provenance.summary). Continue or regenerate with the command above plus `--resume`.", "",
            "## Files", "",
            "| file | what |", "|---|---|",
            "| `problems.jsonl` | the kept problems in HumanEval's format (`task_id`, `prompt`, `entry_point`, "
                + "`canonical_solution`, `test`) plus `seed_file`, `seed_line`, `seed_kind`, `topic`, `difficulty` |",
            "| `items.jsonl` | the ledger: every drawn snippet, the model's problem, the verdict and why it was rejected |",
            "| `manifest.json` | the counts below, machine-readable |", "",
            "## Stages", "",
            "\(seedFiles) seed files read (\(unreadableFiles.count) unreadable), \(snippets) snippets.", "",
            "| stage | items |", "|---|---|",
        ]
        for stage in ProblemStage.allCases { lines.append("| \(stage.rawValue) | \(stages[stage.rawValue] ?? 0) |") }
        lines += ["", "| rejected because | items |", "|---|---|"]
        for (reason, n) in rejections.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
            lines.append("| \(reason) | \(n) |")
        }
        if let mutantKillRate {
            lines += ["", "Mutants of kept references rejected by their tests: \(Int((mutantKillRate * 100).rounded()))%."]
        }
        lines += ["", "## Spread", ""]
        for (title, table) in [
            ("topic (first parameter's type)", topics), ("difficulty (reference size and branching)", difficulty),
            ("seed module (20 most common)", seedModules), ("seed kind", seedKinds),
        ] {
            lines += ["| \(title) | problems |", "|---|---|"]
            for (key, n) in table.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) { lines.append("| \(key) | \(n) |") }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
