import ClarifyCore
import Foundation
import Testing

@testable import Pipeline

/// The whole pipeline on a tiny random model (LLMTests' `qwen2-tiny` fixture: ChatML, a
/// 3000-token tokenizer), so every stage — the real synthesizer, trainer, local engine, sandbox,
/// evaluators, store and report — runs in seconds in a debug build. Its numbers mean nothing; the
/// run folder, the reuse and the report are what is checked. Needs `clarifycoder data fetch`.
@Suite("Pipeline end to end on a tiny model", .serialized)
struct EndToEndTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("LLMTests/Fixtures/Model/qwen2-tiny").path

    /// The fixture with a 4,096-position context instead of its 128 (RoPE has no learned positions,
    /// so only the declared limit changes): the bank's dialogues run to ~550 tokens, and the trainer
    /// refuses examples longer than a model's context.
    static let tinyModel: String = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qwen2-tiny-4k-\(getpid())").path
        let manager = FileManager.default
        try? manager.removeItem(atPath: folder)
        try! manager.copyItem(atPath: fixture, toPath: folder)
        let config = folder + "/config.json"
        let text = try! String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(of: "\"max_position_embeddings\": 128", with: "\"max_position_embeddings\": 4096")
        try! text.write(toFile: config, atomically: true, encoding: .utf8)
        return folder
    }()

    static var config: PipelineConfig {
        var config = PipelineConfig.quick
        config.synthesis.problemLimit = 4
        config.synthesis.perProblem = 1
        config.mix.validationFraction = 0
        config.train.model = tinyModel
        config.train.steps = 2
        config.train.batchSize = 2
        config.train.maxLength = 2048
        config.train.warmup = 0
        config.eval.humanevalLimit = 2
        config.eval.humanevalcommLimit = 1
        config.eval.maxTokens = 16
        config.report.examples = 2
        return config
    }

    @Test("every stage runs into its folder, and a second run reuses them all")
    func wholeRun() async throws {
        guard (try? AssetStore().path(for: .humaneval)) != nil else {
            Issue.record("HumanEval is not in the cache: run `clarifycoder data fetch` first")
            return
        }
        let directory = temporaryDirectory()
        let options = Pipeline.Options(runDirectory: directory)
        let events = EventLog()
        let outcome = try await Pipeline.run(Self.config, options: options) { events.append($0) }
        let names = Pipeline.stages(Self.config, options: options).map(\.name)
        #expect(outcome.ran == names)
        let layout = RunLayout(root: directory)
        let manager = FileManager.default
        for path in [layout.config, layout.ledger, layout.mixture + "/train.jsonl", layout.adapter + "/adapter_config.json",
                     layout.training + "/metrics.jsonl", layout.training + "/loss.svg", layout.root + "/evaluate-base/run.sqlite",
                     layout.root + "/evaluate-tuned/run.sqlite", layout.report + "/report.html", layout.report + "/report.md",
                     layout.report + "/summary.json"] {
            #expect(manager.fileExists(atPath: path), "missing \(path)")
        }
        #expect(try Pipeline.savedConfig(runDirectory: directory) == Self.config)
        // The summary is recomputed from the stores: both models, every prompt posed, the targets listed.
        let summary = try JSONDecoder().decode(
            PipelineSummary.self, from: Data(contentsOf: URL(fileURLWithPath: layout.report + "/summary.json")))
        #expect(summary.models.map(\.name) == ["base", "tuned"])
        #expect(summary.models.allSatisfy { $0.originalPrompts == 2 && $0.modifiedPrompts >= 1 })
        #expect(summary.models[1].adapter == layout.adapter)
        #expect(summary.targets.count == 4)
        #expect(summary.offline && summary.evaluator == "heuristic")
        let markdown = try String(contentsOfFile: layout.report + "/report.md", encoding: .utf8)
        #expect(markdown.contains("tuned") && markdown.contains("offline"))
        // Every stage reported its start and end, with an ETA.
        let finished = events.all.filter { if case .finished = $0.event { return true } else { return false } }
        #expect(finished.map(\.stage) == names)
        let again = try await Pipeline.run(Self.config, options: options)
        #expect(again.reused == names)
        #expect(again.ran.isEmpty)
    }
}
