import ClarifyCore
import Foundation
import Tensor
import Testing

@testable import LLM

/// Tokenization for SFT: only assistant tokens carry labels, long examples are never cut inside
/// an answer, and bad chat data is reported by file and line.
@Suite("SFT data: assistant-only labels, overflow and bad lines")
struct SFTDataTests {
    static let smolLM2Tokenizer: Result<Tokenizer, any Error> = Result {
        try Tokenizer(gguf: try GGUFFile(path: try Fixtures.smolLM2Path()))
    }

    static let dialogue: [Message] = [
        .user("Write add(a, b)."), .assistant("Should it handle strings?"), .user("No, ints only."),
        .assistant("```python\ndef add(a, b):\n    return a + b\n```"),
    ]

    func encoder(_ tokenizer: Tokenizer, lastOnly: Bool = false, maxLength: Int = 1024,
                 overflow: TrainingParameters.Overflow = .skip) -> SFTEncoder {
        SFTEncoder(
            tokenizer: tokenizer, template: .chatML(defaultSystemPrompt: ChatTemplate.smolLM2SystemPrompt),
            lastAssistantOnly: lastOnly, maxLength: maxLength, overflow: overflow)
    }

    func example(_ outcome: SFTEncoder.Outcome) -> SFTExample? {
        if case .example(let example, _) = outcome { return example }
        return nil
    }

    /// The supervised tokens as runs of consecutive positions, decoded.
    func supervisedSpans(_ example: SFTExample, _ tokenizer: Tokenizer) -> [String] {
        var spans: [[Int]] = []
        var previous = false
        for (i, on) in example.supervised.enumerated() {
            if on { if previous { spans[spans.count - 1].append(Int(example.ids[i])) } else { spans.append([Int(example.ids[i])]) } }
            previous = on
        }
        return spans.map { tokenizer.decode($0) }
    }

    @Test("with SmolLM2's ChatML template only the answers and their <|im_end|> are labelled")
    func masking() throws {
        let tokenizer = try Self.smolLM2Tokenizer.get()
        let encoded = try #require(example(try encoder(tokenizer).encode(Self.dialogue, source: "t:1")))
        let template = ChatTemplate.chatML(defaultSystemPrompt: ChatTemplate.smolLM2SystemPrompt)
        #expect(encoded.ids.map(Int.init) == tokenizer.encode(template.render(Self.dialogue, addGenerationPrompt: false)),
            "the pieces tokenize as the whole rendering does")
        #expect(supervisedSpans(encoded, tokenizer) == [
            "Should it handle strings?<|im_end|>", "```python\ndef add(a, b):\n    return a + b\n```<|im_end|>",
        ])
        let last = try #require(example(try encoder(tokenizer, lastOnly: true).encode(Self.dialogue, source: "t:1")))
        #expect(supervisedSpans(last, tokenizer) == ["```python\ndef add(a, b):\n    return a + b\n```<|im_end|>"])
        #expect(last.ids == encoded.ids)
    }

    @Test("a too-long example is skipped by default, or loses prompt tokens from the left, never answer tokens")
    func overflow() throws {
        let tokenizer = try Self.smolLM2Tokenizer.get()
        let full = try #require(example(try encoder(tokenizer).encode(Self.dialogue, source: "t:1")))
        let firstAnswer = try #require(full.supervised.firstIndex(of: true))
        let limit = full.count - 5
        guard case .tooLong(let why) = try encoder(tokenizer, maxLength: limit).encode(Self.dialogue, source: "d.jsonl:3")
        else { Issue.record("expected the example to be skipped"); return }
        #expect(why.hasPrefix("d.jsonl:3: \(full.count) tokens > max length \(limit)"))
        let cut = try encoder(tokenizer, maxLength: limit, overflow: .truncatePrompt).encode(Self.dialogue, source: "")
        guard case .example(let truncated, truncated: true) = cut else { Issue.record("expected truncation"); return }
        #expect(truncated.count == limit)
        #expect(truncated.ids == Array(full.ids.suffix(limit)))
        #expect(truncated.supervisedCount == full.supervisedCount, "no answer token lost its label")
        // Cutting into the first answer is refused even when truncating.
        let tight = try encoder(tokenizer, maxLength: full.count - firstAnswer, overflow: .truncatePrompt)
            .encode(Self.dialogue, source: "")
        guard case .tooLong = tight else { Issue.record("expected a refusal to cut the answer"); return }
    }

    @Test("ShareGPT and Alpaca lines (`mix --format`) train as the same dialogues as chat lines")
    func otherFormats() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sft-formats-\(getpid()).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let lines = [
            #"{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}"#,
            #"{"conversations": [{"from": "human", "value": "hi"}, {"from": "gpt", "value": "hello"}]}"#,
            #"{"instruction": "hi", "input": "", "output": "hello"}"#,
            #"{"conversations": [{"from": "human", "value": "hi"}, {"from": "robot", "value": "hello"}]}"#,
        ]
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            _ = try ChatDataFile.load(path: path)
        } throws: { error in
            "\(error)".contains("\(path):4: field 'conversations[1].from'") && "\(error)".contains("unknown speaker 'robot'")
        }
        try lines.dropLast().joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let file = try ChatDataFile.load(path: path)
        #expect(file.records.map(\.messages) == Array(repeating: [.user("hi"), .assistant("hello")], count: 3))
    }

    @Test("unknown roles, empty answers, missing assistant turns and broken JSON are reported by line")
    func badData() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sft-bad-\(getpid()).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let lines = [
            #"{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}"#,
            #"{"messages": [{"role": "user", "content": "hi"}, {"role": "tool", "content": "x"}]}"#,
            #"{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "  "}]}"#,
            #"{"messages": [{"role": "user", "content": "hi"}]}"#,
            #"{"messages": [{"role": "user", "content": "hi"}"#,
        ]
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try ChatDataFile.load(path: path)
            Issue.record("bad data was accepted")
        } catch let error as TrainingError {
            let text = error.description
            #expect(text.contains("4 bad examples"))
            #expect(text.contains("\(path):2: field 'messages[1].role'") && text.contains("unknown role 'tool'"))
            #expect(text.contains("\(path):3: field 'messages[1].content'") && text.contains("empty assistant answer"))
            #expect(text.contains("\(path):4: field 'messages'") && text.contains("no assistant turn"))
            #expect(text.contains("\(path):5:"))
        }
    }

    @Test("batches are a deterministic, length-grouped permutation of each stage, pass after pass")
    func batchPlan() {
        let lengths = (0..<37).map { ($0 * 7919) % 50 + 1 }
        let plan = BatchPlan(seed: 3, batchSize: 4, stageLengths: [lengths, [5, 6, 7]], epochs: 2)
        #expect(plan.microBatchesPerRound == (10 + 1) * 2)
        for pass in 0..<4 {
            let batches = plan.microBatches(pass: pass)
            let stage = pass / 2
            #expect(batches.allSatisfy { $0.stage == stage })
            #expect(batches.flatMap(\.examples).sorted() == Array(0..<[37, 3][stage]), "pass \(pass) covers each example once")
            #expect(batches == plan.microBatches(pass: pass), "pass \(pass) is reproducible")
        }
        #expect(plan.microBatches(pass: 0) != plan.microBatches(pass: 1), "each epoch reshuffles")
        // Within one mega-batch, examples are sorted by length, so a batch spans a narrow range.
        let spread = plan.microBatches(pass: 0).map { batch in
            batch.examples.map { lengths[$0] }.max()! - batch.examples.map { lengths[$0] }.min()!
        }
        #expect(spread.reduce(0, +) / spread.count < 10)
        var cursor = BatchCursor(plan: plan)
        let walked = (0..<30).map { _ in cursor.next() }
        var resumed = BatchCursor(plan: plan, position: 17)
        #expect((17..<30).map { _ in resumed.next() } == Array(walked[17...]), "a cursor resumes at its position")
    }

    @Test("without groups the order is pinned: a run resumes on the same batches it started with")
    func pinnedOrder() {
        // The batches this plan gave before grouping existed; a change here re-orders the data of
        // every run resumed across the upgrade.
        let lengths = (0..<23).map { ($0 * 37) % 11 + 1 }
        let plan = BatchPlan(seed: 11, batchSize: 3, stageLengths: [lengths], epochs: 1)
        #expect(plan.microBatches(pass: 0).map(\.examples) == [
            [10, 21, 7], [16, 2, 13], [18, 4, 15], [20, 17, 6], [11, 0], [19, 8, 5], [14, 3, 22], [12, 1, 9]])
        #expect(plan.microBatches(pass: 1).map(\.examples) == [
            [10, 21, 18], [1, 12, 20], [9, 17, 6], [14, 3, 0], [16, 13, 2], [7, 4, 15], [8, 19, 5], [22, 11]])
    }

    @Test("grouped batches keep each group whole, cover every example once, and stay reproducible")
    func groupedBatchPlan() {
        // 30 problems: a clear example and one to three rewrites each, interleaved as a mixture file is.
        var groups: [String?] = [], lengths: [Int] = []
        for problem in 0..<30 {
            for variant in 0...(1 + problem % 3) {
                groups.append("p\(problem)")
                lengths.append(variant == 0 ? 100 + problem : 300 + problem * 3 + variant)
            }
        }
        groups += [nil, nil, nil]
        lengths += [50, 60, 70]
        var order = Array(groups.indices)
        var generator = SeededGenerator(seed: 9)
        BatchPlan.shuffle(&order, using: &generator)
        let (shuffledGroups, shuffledLengths) = (order.map { groups[$0] }, order.map { lengths[$0] })
        let plan = BatchPlan(
            seed: 5, batchSize: 4, stageLengths: [shuffledLengths], epochs: 2, stageGroups: [shuffledGroups])
        #expect(plan.units(stage: 0).count == 33)
        var total = 0
        for pass in 0..<2 {
            let batches = plan.microBatches(pass: pass)
            total += batches.count
            #expect(batches.flatMap(\.examples).sorted() == Array(shuffledGroups.indices), "pass \(pass) covers each example once")
            #expect(batches.allSatisfy { $0.examples.count <= 4 })
            for problem in 0..<30 {
                let members = Set(shuffledGroups.indices.filter { shuffledGroups[$0] == "p\(problem)" })
                #expect(batches.filter { !members.isDisjoint(with: $0.examples) }.count == 1, "group p\(problem) is split")
            }
            #expect(batches == plan.microBatches(pass: pass))
        }
        #expect(plan.microBatchesPerRound == total)
        // Without groups the same lengths batch by length: clear and rewritten examples apart.
        let byLength = BatchPlan(seed: 5, batchSize: 4, stageLengths: [shuffledLengths], epochs: 1)
        let mixed = byLength.microBatches(pass: 0).filter { batch in
            Set(batch.examples.map { shuffledLengths[$0] >= 300 }).count > 1
        }
        #expect(mixed.count <= 1)
    }

    @Test("the group key is read from each dialogue's metadata; other metadata is ignored, not an error")
    func groupKeys() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sft-groups-\(getpid()).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let turns = #""messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]"#
        let lines = [
            "{\(turns), \"metadata\": {\"problem_id\": \"a/b\", \"category\": \"1a\"}}",
            "{\(turns), \"metadata\": {\"problem_id\": 17, \"extra\": {\"nested\": [1, 2]}}}",
            "{\(turns), \"metadata\": {\"problem_id\": null}}",
            "{\(turns), \"metadata\": \"free text\"}",
            "{\(turns)}",
        ]
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let file = try ChatDataFile.load(path: path, groupKey: "problem_id")
        #expect(file.records.map(\.group) == ["a/b", "17", nil, nil, nil])
        #expect(try ChatDataFile.load(path: path).records.allSatisfy { $0.group == nil })
    }

    @Test("a mixture folder from `clarifycoder mix` gives its stages in order and its validation split")
    func mixtureManifest() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sft-mix-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let manifest = """
            {"format": "chat", "target": "dialogue", "ratio": "40:60", "seed": 0, "validation_fraction": 0.1,
             "problems": 10, "held_out_problems": 1, "command": "mix",
             "splits": {"train": {"file": "train.jsonl", "examples": 8, "original": 3, "per_category": {}},
                        "validation": {"file": "validation.jsonl", "examples": 2, "original": 1, "per_category": {}}},
             "stages": [{"name": "code", "file": "stage1.train.jsonl", "examples": 3, "description": "code"},
                        {"name": "mixed", "file": "train.jsonl", "examples": 8, "description": "mixed"}]}
            """
        try manifest.write(toFile: folder + "/manifest.json", atomically: true, encoding: .utf8)
        let parameters = TrainingParameters(model: "m", data: folder)
        let files = try TrainingData.files(for: parameters)
        #expect(files.stages.map(\.0) == ["code", "mixed"])
        #expect(files.stages.map(\.1) == [folder + "/stage1.train.jsonl", folder + "/train.jsonl"])
        #expect(files.validation == folder + "/validation.jsonl")
        var explicit = TrainingParameters(model: "m", data: folder + "/manifest.json")
        explicit.validation = "/elsewhere/val.jsonl"
        #expect(try TrainingData.files(for: explicit).validation == "/elsewhere/val.jsonl", "--val wins")
        #expect(try TrainingData.files(for: TrainingParameters(model: "m", data: "/d/train.jsonl")).stages.map(\.1)
            == ["/d/train.jsonl"])
    }
}
