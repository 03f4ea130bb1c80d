import Backends
import ClarifyCore
import Foundation
import Sandbox
import Testing

@testable import Synth

/// Problem generation end to end with a scripted model and the real sandbox: each seed function's
/// name picks the model's answer, so every kind of answer is exercised and its fate checked.
@Suite("Problem generation run")
struct ProblemGenerationTests {
    static let pool = SandboxPool(sandbox: try! Sandbox(), workers: 2)

    /// Seed function name → what the model answers when shown it.
    static let answers: [String: ScriptedChatModel.Reply] = [
        "seed_good": .text(Replies.problem(name: "sum_evens")),
        "seed_good_two": .text(
            Replies.problem(
                name: "count_negatives", doc: "Count how many values are below zero.",
                examples: ">>> NAME([-1, 2, -3])\n    2", body: "    return sum(1 for v in values if v < 0)",
                asserts: [
                    "candidate([-1, 2, -3]) == 2", "candidate([]) == 0", "candidate([0]) == 0", "candidate([-5]) == 1",
                    "candidate([1, 2]) == 0",
                ])),
        "seed_duplicate": .text(Replies.problem(name: "sum_even_values")),
        "seed_weak_tests": .text(
            Replies.problem(
                name: "weak", asserts: ["candidate([]) == 0", "candidate([1]) == 0", "candidate([3, 5]) == 0"])),
        "seed_wrong_reference": .text(Replies.problem(name: "wrong", body: "    return sum(values)")),
        // The reference and its docstring agree; one test states a wrong value: the tests are repaired.
        "seed_wrong_expected": .text(
            Replies.problem(
                name: "product_odds", doc: "Multiply the odd numbers in values (1 when there are none).",
                examples: ">>> NAME([1, 2, 3])\n    3",
                body: "    result = 1\n    for v in values:\n        if v % 2:\n            result *= v\n    return result",
                asserts: [
                    "candidate([1, 2, 3]) == 3", "candidate([]) == 1", "candidate([5, 5]) == 10", "candidate([2, 4]) == 1",
                    "candidate([-3, 3]) == -9", "candidate([7]) == 7",
                ])),
        "seed_bad_example": .text(Replies.problem(name: "bad_doc", examples: ">>> NAME([1, 2, 3, 4])\n    7")),
        "seed_network": .text(Replies.problem(name: "fetch_sum", imports: "import urllib.request\n")),
        "seed_garbage": .text("Sure! Here is a great problem about words."),
        "seed_unclosed": .response(
            ChatResponse(choices: [ChatChoice(index: 0, content: "```python\ndef f(x):\n    \"\"\"Doc", finishReason: .length)],
                model: "scripted")),
        "seed_loops": .text(Replies.problem(name: "loops", body: "    while True:\n        pass")),
        "seed_contaminated": .text(
            Replies.problem(
                name: "has_close_elements", doc: "Whether some two values differ by less than one.",
                examples: ">>> NAME([1, 5, 9])\n    False", body: "    n = len(values)\n    return any(abs(values[i] - values[j]) < 1 for i in range(n) for j in range(i + 1, n))",
                asserts: [
                    "candidate([1, 5, 9]) is False", "candidate([]) is False", "candidate([2, 2]) is True",
                    "candidate([0, 3, 3]) is True", "candidate([7]) is False", "candidate([1, 2]) is False",
                ])),
        "seed_backend_down": .failure(BackendError(.serverError, "HTTP 503")),
    ]

    static let humanEval = Problem(
        id: "HumanEval/0", prompt: "def has_close_elements(numbers, threshold):\n    \"\"\"Doc.\"\"\"\n",
        entryPoint: "has_close_elements", tests: .checkProgram(""), source: "humaneval")

    static func model(failing: Set<String> = []) -> ScriptedChatModel {
        ScriptedChatModel { request, _ in
            let text = request.lastUserMessage ?? ""
            let name = answers.keys.sorted { $0.count > $1.count }.first { text.contains("def \($0)(") } ?? ""
            if failing.contains(name) { return .failure(BackendError(.serverError, "HTTP 503")) }
            return answers[name] ?? .text("no script for this seed")
        }
    }

    static func seeds() -> String {
        let source = answers.keys.sorted().map { "def \($0)(values):\n    total = 0\n    return total\n" }
            .joined(separator: "\n")
        return seedFolder("seeds", files: ["pkg/module.py": source])
    }

    func parameters(_ out: String, count: Int = 10, resume: Bool = false, limit: Int? = nil) -> ProblemGeneration.Parameters {
        ProblemGeneration.Parameters(
            model: "scripted", seedsName: "fixture", count: count, seed: 3, concurrency: 4, outputDirectory: out,
            resume: resume, benchmarks: [("humaneval", [Self.humanEval])], limit: limit,
            provenance: Provenance(version: "test", commit: "abc", model: "scripted", command: "clarifycoder problems generate"))
    }

    func run(_ folder: String, _ parameters: ProblemGeneration.Parameters, model: ScriptedChatModel = model()) async throws
        -> ProblemManifest
    {
        try await ProblemGeneration.run(
            model: model, verifier: ProblemVerifier(pool: Self.pool), corpus: try SeedCorpus(folder: folder),
            seedFolder: folder, parameters: parameters)
    }

    @Test("only verified, distinct, uncontaminated problems are kept; every other answer is counted with its reason")
    func stagesAndReasons() async throws {
        let folder = Self.seeds()
        let out = scratchDirectory("problems")
        let manifest = try await run(folder, parameters(out))
        let kept = try DatasetReader.loadProblems(path: out + "/problems.jsonl").problems
        // Of the two near-identical problems, the one drawn first (in the seeded order) is kept.
        let names = Set(kept.compactMap(\.entryPoint))
        #expect(names.count == 3 && names.contains("count_negatives") && names.contains("product_odds"))
        #expect(names.contains("sum_evens") != names.contains("sum_even_values"))
        let repaired = try #require(kept.first { $0.entryPoint == "product_odds" })
        #expect(
            repaired.tests
                == .checkProgram(
                    "def check(candidate):\n    assert candidate([1, 2, 3]) == 3\n    assert candidate([]) == 1\n"
                        + "    assert candidate([5, 5]) == 25\n    assert candidate([2, 4]) == 1\n"
                        + "    assert candidate([-3, 3]) == -9\n    assert candidate([7]) == 7\n"),
            "the wrong value is the reference's now, the rest as written")
        #expect(manifest.kept == 3 && manifest.stages["sampled"] == Self.answers.count)
        #expect(manifest.rejections == [
            "no_code_block": 1, "unclosed_code_block": 1, "not_self_contained": 1, "reference_fails_tests": 1,
            "reference_timeout": 1, "docstring_examples_disagree": 1, "constant_return_survives": 1,
            "near_duplicate": 1, "contaminated": 1, "backend_error": 1,
        ])
        #expect(manifest.stages["generated"] == 12 && manifest.stages["parsed"] == 10 && manifest.stages["passing"] == 7)
        #expect(manifest.stages["mutant_killing"] == 5 && manifest.stages["deduplicated"] == 4 && manifest.stages["kept"] == 3)
        #expect(manifest.topics == ["lists": 3] && manifest.seedModules == ["pkg": 3])
        let card = try String(contentsOfFile: out + "/README.md", encoding: .utf8)
        #expect(card.contains("| constant_return_survives | 1 |") && card.contains("clarifycoder problems generate"))
    }

    @Test("the kept set reads back as HumanEval, with the reference as prompt plus solution")
    func humanEvalFormat() async throws {
        let out = scratchDirectory("problems-format")
        try await run(Self.seeds(), parameters(out))
        let reader = try DatasetReader(path: out + "/problems.jsonl")
        #expect(reader.format == .humaneval)
        let problem = try #require(try DatasetReader.loadProblems(path: out + "/problems.jsonl").problems.first)
        #expect(problem.referenceSolution?.hasPrefix(problem.prompt) == true)
        guard case .checkProgram(let test) = problem.tests else { Issue.record("not a check program"); return }
        #expect(test.hasPrefix("def check(candidate):"))
    }

    @Test("a run killed mid-line resumes without losing or repeating an item, and ends with the same set")
    func resume() async throws {
        let folder = Self.seeds()
        let whole = scratchDirectory("problems-whole")
        try await run(folder, parameters(whole))
        let parts = scratchDirectory("problems-parts")
        try await run(folder, parameters(parts, limit: 5))
        // --limit 0 draws nothing and only reassembles the set from the ledger.
        let idle = Self.model()
        let reassembled = try await run(folder, parameters(parts, resume: true, limit: 0), model: idle)
        #expect(idle.requests.isEmpty && reassembled.stages["sampled"] == 5)
        // A kill while a line was being written leaves half of it.
        let handle = try #require(FileHandle(forWritingAtPath: parts + "/items.jsonl"))
        handle.seekToEndOfFile()
        handle.write(Data("{\"index\": 7, \"id\": \"fixt".utf8))
        try handle.close()
        #expect(throws: ProblemGenerationError.self) { try ProblemRunFiles(directory: parts).prepare(
            settings: ProblemRunSettings(parameters(parts)), resume: false) }
        try await run(folder, parameters(parts, resume: true))
        let items = try JSONL.readAll(GenerationItem.self, from: parts + "/items.jsonl").records
        // Every index once, except backend failures, which the resumed run retried.
        #expect(Set(items.map(\.index)).count == Self.answers.count)
        for (_, lines) in Dictionary(grouping: items, by: \.index) where lines.count > 1 {
            #expect(lines.dropLast().allSatisfy { $0.rejection == "backend_error" })
        }
        #expect(contents(parts + "/problems.jsonl") == contents(whole + "/problems.jsonl"))
    }

    @Test("a resumed run checks again, without the model, answers rejected before cut-off tests were salvaged")
    func recheck() async throws {
        let folder = Self.seeds()
        let out = scratchDirectory("problems-recheck")
        let first = try await run(folder, parameters(out))
        var items = try JSONL.readAll(GenerationItem.self, from: out + "/items.jsonl").records
        let at = try #require(items.firstIndex { $0.draft?.entryPoint == "count_negatives" })
        guard case .text(let whole) = Self.answers["seed_good_two"]! else { Issue.record("not text"); return }
        let cut = try #require(whole.range(of: "    assert candidate([1, 2]) == 0"))
        // As an older parser left it: rejected, the reply kept, no draft.
        var older = GenerationItem(
            index: items[at].index, id: items[at].id, seed: items[at].seed, reached: .generated, seconds: 1)
        older.rejection = ParseFailure.unclosedCodeBlock.rawValue
        older.reply = whole[..<cut.lowerBound] + "    assert candidate([1, 2"
        items[at] = older
        let encoder = JSONEncoder()
        let lines = try items.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        try (lines.joined(separator: "\n") + "\n").write(toFile: out + "/items.jsonl", atomically: true, encoding: .utf8)

        let idle = Self.model()
        let again = try await run(folder, parameters(out, resume: true, limit: 0), model: idle)
        #expect(idle.requests.isEmpty)
        #expect(again.kept == first.kept && again.rejections == first.rejections)
        let ledger = try JSONL.readAll(GenerationItem.self, from: out + "/items.jsonl").records
        let rechecked = try #require(ledger.last { $0.index == older.index })
        #expect(rechecked.rejection == nil && rechecked.draft?.truncatedTests == true)
        #expect(rechecked.draft?.test.components(separatedBy: "assert ").count == 5)
    }

    @Test("backend failures are retried by a resumed run, and a larger --count resumes a finished run")
    func retries() async throws {
        let folder = Self.seeds()
        let out = scratchDirectory("problems-retry")
        let first = try await run(folder, parameters(out), model: Self.model(failing: ["seed_good_two"]))
        #expect(first.kept == 2 && first.rejections["backend_error"] == 2)
        let second = try await run(folder, parameters(out, resume: true))
        #expect(second.kept == 3 && second.rejections["backend_error"] == 1)
        let one = try await run(folder, parameters(out, count: 1, resume: true))
        #expect(one.kept == 1 && one.surplus == 2)
    }

    @Test("a seed folder without Python writes a manifest saying so and stops with an error")
    func noPython() async throws {
        let folder = seedFolder("no-python", files: ["README": "nothing here"])
        let out = scratchDirectory("problems-empty")
        await #expect(throws: ProblemGenerationError.self) { try await run(folder, parameters(out)) }
        let manifest = try JSONDecoder().decode(ProblemManifest.self, from: contents(out + "/manifest.json"))
        #expect(manifest.snippets == 0 && manifest.kept == 0)
    }
}
