import ClarifyCore
import Foundation
import Testing

@testable import Synth

@Suite("Mixtures")
struct MixtureTests {
    static func synthesized() async throws -> String {
        let out = scratchDirectory("mixsrc")
        try await SynthesisRun.run(
            problems: Array(ProblemBank.all.map(\.problem).prefix(60)), synthesizer: RuleBasedSynthesizer(),
            parameters: SynthesisRun.Parameters(
                categories: [.ambiguous1, .incomplete1, .inconsistent1, .ambiguousIncomplete], perProblem: 4,
                outputDirectory: out))
        return out
    }

    @Test("the ratio, per-kind balance, held-out problems and stages are honoured")
    func mixture() async throws {
        let source = try await Self.synthesized()
        let out = scratchDirectory("mix")
        let manifest = try Mixture.run(inputs: [source], parameters: Mixture.Parameters(
            ratio: (40, 60), seed: 1, validationFraction: 0.2, stages: 2, outputDirectory: out))
        let train = try JSONL.readAll(Dialogue.self, from: out + "/train.jsonl").records
        let validation = try JSONL.readAll(Dialogue.self, from: out + "/validation.jsonl").records
        let originals = train.filter { $0.metadata["category"] == "original" }.count
        let share = Double(originals) / Double(train.count)
        #expect(abs(share - 0.4) < 0.03, "original share \(share)")
        let trainIDs = Set(train.compactMap { $0.metadata["problem_id"] })
        let validationIDs = Set(validation.compactMap { $0.metadata["problem_id"] })
        #expect(!validationIDs.isEmpty && trainIDs.isDisjoint(with: validationIDs))
        let counts = Dictionary(grouping: train.filter { $0.metadata["category"] != "original" }, by: { $0.metadata["category"]! })
            .mapValues(\.count)
        #expect(counts.count == 4 && counts.values.max()! - counts.values.min()! <= 1, "\(counts)")
        let stage1 = try JSONL.readAll(Dialogue.self, from: out + "/stage1.train.jsonl").records
        #expect(stage1.allSatisfy { $0.messages.count == 2 && $0.messages[1].content.hasPrefix("```python") })
        #expect(manifest.stages.map(\.name) == ["code", "mixed"])
        let saved = try JSONDecoder().decode(MixtureManifest.self, from: contents(out + "/manifest.json"))
        #expect(saved == manifest)
        #expect(saved.provenance?.version == ClarifyCoderVersion.current)
        #expect(saved.provenance?.command.isEmpty == false, "the command line that made it")
    }

    @Test("Alpaca and ShareGPT exports carry the instruction, the turns and the target")
    func exports() async throws {
        let source = try await Self.synthesized()
        for format in [ExportFormat.alpaca, .sharegpt] {
            let out = scratchDirectory(format.rawValue)
            try Mixture.run(inputs: [source], parameters: Mixture.Parameters(
                ratio: (50, 50), validationFraction: 0, format: format,
                dialogue: DialogueFormat(target: .questionsOnly, confirmClear: true), outputDirectory: out))
            let line = try #require(String(decoding: contents(out + "/train.jsonl"), as: UTF8.self).split(separator: "\n").first)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            if format == .alpaca {
                #expect(object["instruction"] as? String == DialogueFormat.instruction)
                #expect(!((object["input"] as? String) ?? "").isEmpty && !((object["output"] as? String) ?? "").isEmpty)
            } else {
                let turns = try #require(object["conversations"] as? [[String: String]])
                #expect(turns.first?["from"] == "human" && turns.last?["from"] == "gpt")
            }
        }
    }

    @Test("Alpaca and ShareGPT mixtures read back as the dialogues of the chat mixture")
    func exportsRoundTrip() async throws {
        let source = try await Self.synthesized()
        func mixture(_ format: ExportFormat) throws -> [Dialogue] {
            let out = scratchDirectory("roundtrip-" + format.rawValue)
            try Mixture.run(inputs: [source], parameters: Mixture.Parameters(
                ratio: (40, 60), seed: 3, validationFraction: 0, format: format, outputDirectory: out))
            // Detected from the first record, as `data inspect` and `train` read them.
            let reader = try DatasetReader(path: out + "/train.jsonl")
            #expect(reader.format == format.datasetFormat)
            return try DatasetReader.loadDialogues(path: out + "/train.jsonl", format: nil).dialogues
        }
        let chat = try mixture(.chat).map(\.messages)
        #expect(chat.count > 20 && chat.contains { $0.count == 4 })  // multi-turn dialogues are in the test
        #expect(try mixture(.sharegpt).map(\.messages) == chat)
        #expect(try mixture(.alpaca).map(\.messages) == chat)
    }

    @Test("a clear example can be prefaced by a confirmation")
    func confirmation() {
        let plain = DialogueFormat().original(prompt: "p", code: "c")
        let confirmed = DialogueFormat(confirmClear: true).original(prompt: "p", code: "c")
        #expect(plain.messages[1].content == "```python\nc\n```")
        // One fixed sentence, so the first tokens carry the ask-or-code decision in a single form.
        #expect(confirmed.messages[1].content == "The requirements are clear.\n\n```python\nc\n```")
        #expect(plain.messages[0].content.hasPrefix(DialogueFormat.instruction))
    }

    @Test("with the confirmation, questions open with the unclear sentence: the decision is one token")
    func decisionSentence() throws {
        let draft = ClarificationDraft(
            variant: Variant(category: .ambiguous1, prompt: "def f(x):\n    \"\"\"Return a fitting value.\"\"\"\n", changes: []),
            summary: "A few details are missing or unclear: which value.", questions: ["Which value?"], answers: ["The largest."])
        let asked = DialogueFormat(confirmClear: true).clarify(draft, code: "def f(x): return max(x)")
        let plain = DialogueFormat().clarify(draft, code: "def f(x): return max(x)")
        #expect(asked.messages[1].content == "The requirements are unclear.\nA few details are missing or unclear: which value.\n1. Which value?")
        #expect(plain.messages[1].content == "A few details are missing or unclear: which value.\n1. Which value?")
        // The two openings differ only after the shared words.
        #expect(DialogueFormat.unclear.hasPrefix("The requirements are "))
        #expect(DialogueFormat.confirmation.hasPrefix("The requirements are "))
    }

    @Test("the same seed gives the same mixture in every process (pinned: hash order once changed it)")
    func pinnedSelection() async throws {
        let source = try await Self.synthesized()
        let out = scratchDirectory("pinned")
        try Mixture.run(inputs: [source], parameters: Mixture.Parameters(
            ratio: (50, 50), seed: 3, validationFraction: 0.2, outputDirectory: out))
        let ids = try JSONL.readAll(Dialogue.self, from: out + "/train.jsonl").records.prefix(6)
            .map { $0.metadata["id"] ?? $0.metadata["problem_id"] ?? "?" }
        // Swift seeds its hash per process, so before the fix these ids changed from run to run.
        #expect(ids == [
            "bank/lists/filter/div_3_descending", "bank/lists/filter/gt_0_original#2ap#1",
            "bank/lists/filter/div_7_original#2ap#1", "bank/lists/filter/gt_3_descending#1a#2",
            "bank/lists/filter/gt_3_ascending", "bank/lists/filter/gt_10_original",
        ], "\(ids)")
    }
}
