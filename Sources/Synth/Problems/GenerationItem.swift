import ClarifyCore
import Foundation

/// The stages a generated problem passes, in order; the manifest counts how many items reached each.
public enum ProblemStage: String, Codable, Sendable, CaseIterable, Comparable {
    /// A seed snippet was drawn for the item.
    case sampled
    /// The model answered.
    case generated
    /// The answer read as a function with a docstring with examples, a body, and tests.
    case parsed
    /// It imports only computing standard-library modules and reaches nothing outside.
    case selfContained = "self_contained"
    /// The reference passes every test in the sandbox.
    case passing
    /// The docstring's examples agree with the reference (`doctest`).
    case examplesAgree = "examples_agree"
    /// The tests reject every constant return and most operator mutants of the reference.
    case mutantKilling = "mutant_killing"
    /// No near duplicate of an earlier problem.
    case deduplicated
    /// No overlap with HumanEval or a `--decontaminate` benchmark.
    case decontaminated
    /// In the set (the first `--count` that passed everything, in item order).
    case kept

    public static func < (a: ProblemStage, b: ProblemStage) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Stages decided per item, as it finishes; the rest are decided when the set is assembled.
    static let perItem: [ProblemStage] = [.sampled, .generated, .parsed, .selfContained, .passing, .examplesAgree, .mutantKilling]
}

/// One line of `items.jsonl`, the run's append-only ledger: what became of one drawn snippet. A
/// resumed run skips every index that has a line (the last line of an index wins), except backend
/// failures, which it retries.
public struct GenerationItem: Codable, Sendable, Hashable {
    public var index: Int
    public var id: String
    public var seed: SeedSnippet
    /// The last per-item stage the item passed (``ProblemStage/mutantKilling`` when it passed all).
    public var reached: ProblemStage
    /// Why it stopped there: a ``ParseFailure``, ``ProblemVerifier/Rejection``, `not_self_contained`
    /// or `backend_error`; `nil` when it passed every per-item stage.
    public var rejection: String?
    public var detail: String?
    public var draft: DraftProblem?
    public var verdict: ProblemVerifier.Verdict?
    /// The model's answer, kept when it could not be parsed (cut to 4,000 characters).
    public var reply: String?
    public var completionTokens: Int?
    /// Wall-clock seconds from request to verdict.
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case index, id, seed, reached, rejection, detail, draft, verdict, reply, seconds
        case completionTokens = "completion_tokens"
    }

    static let backendError = "backend_error"
    static let notSelfContained = "not_self_contained"

    var passedPerItemStages: Bool { rejection == nil && reached == .mutantKilling }

    /// The item as a problem of the set.
    func problem(source: String) -> Problem? {
        guard let draft, passedPerItemStages else { return nil }
        return Problem(
            id: id, prompt: draft.prompt, entryPoint: draft.entryPoint, referenceSolution: draft.prompt + draft.solution,
            tests: .checkProgram(draft.test), source: source)
    }
}

/// A kept problem as a line of `problems.jsonl`: HumanEval's five fields, which every loader of the
/// project reads (`eval --data`, `synthesize --problems`, `data inspect`), then where it came from.
struct GeneratedProblemRecord: Codable, Sendable, Hashable {
    var taskID: String
    var prompt: String
    var entryPoint: String
    var canonicalSolution: String
    var test: String
    var seedFile: String
    var seedLine: Int
    var seedKind: SeedSnippet.Kind
    var topic: String
    var difficulty: String

    enum CodingKeys: String, CodingKey {
        case prompt, test, topic, difficulty
        case taskID = "task_id"
        case entryPoint = "entry_point"
        case canonicalSolution = "canonical_solution"
        case seedFile = "seed_file"
        case seedLine = "seed_line"
        case seedKind = "seed_kind"
    }

    init(item: GenerationItem, draft: DraftProblem) {
        taskID = item.id
        prompt = draft.prompt
        entryPoint = draft.entryPoint
        canonicalSolution = draft.solution
        test = draft.test
        seedFile = item.seed.file
        seedLine = item.seed.line
        seedKind = item.seed.kind
        topic = ProblemSpread.topic(of: draft)
        difficulty = ProblemSpread.difficulty(of: draft)
    }
}

/// The topic and difficulty labels of the spread report: coarse, computed, and stated as such.
enum ProblemSpread {
    /// The type of the first parameter, read from the signature's annotation: strings, lists,
    /// dicts, numbers, … — what the problem is mostly about.
    static func topic(of draft: DraftProblem) -> String {
        guard let open = draft.prompt.range(of: "def \(draft.entryPoint)(") else { return "other" }
        let parameters = draft.prompt[open.upperBound...].prefix { $0 != ")" }
        let first = parameters.split(separator: ",").first.map(String.init) ?? ""
        let annotation = first.split(separator: ":").dropFirst().first.map { $0.lowercased() } ?? ""
        for (needle, topic) in [
            ("str", "strings"), ("list", "lists"), ("tuple", "lists"), ("sequence", "lists"), ("iterable", "lists"),
            ("dict", "dicts"), ("mapping", "dicts"), ("set", "sets"), ("int", "numbers"), ("float", "numbers"),
            ("bytes", "bytes"), ("bool", "booleans"),
        ] where annotation.contains(needle) {
            return topic
        }
        return annotation.isEmpty ? "untyped" : "other"
    }

    /// By the reference's size and branching: easy (≤ 4 statements), medium (≤ 12), hard.
    static func difficulty(of draft: DraftProblem) -> String {
        let statements = draft.solution.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        let branches = statements.filter {
            ["if ", "elif ", "for ", "while ", "try:", "except"].contains(where: $0.hasPrefix)
        }.count
        let weight = statements.count + branches
        return weight <= 4 ? "easy" : weight <= 12 ? "medium" : "hard"
    }
}
