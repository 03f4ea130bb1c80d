import ClarifyCore
import Foundation
import Synth
import Testing

@testable import Pipeline

@Suite("Pipeline run folder and data stages")
struct PipelineRunTests {
    @Test("a run folder holding other settings is refused, naming the changed keys, unless --update")
    func refusesOtherSettings() throws {
        let directory = temporaryDirectory()
        let options = Pipeline.Options(runDirectory: directory)
        try Pipeline.prepare(.quick, options: options)
        #expect(try Pipeline.savedConfig(runDirectory: directory) == .quick)
        // The same settings again: fine (finished stages will be reused).
        try Pipeline.prepare(.quick, options: options)
        var changed = PipelineConfig.quick
        changed.train.learningRate = 1e-3
        #expect {
            try Pipeline.prepare(changed, options: options)
        } throws: { error in
            let text = String(describing: error)
            return text.contains("train.lr: 0.0005 → 0.001") && text.contains("--resume") && text.contains("--update")
        }
        try Pipeline.prepare(changed, options: Pipeline.Options(runDirectory: directory, update: true))
        #expect(try Pipeline.savedConfig(runDirectory: directory) == changed)
    }

    @Test("--resume needs a run to continue")
    func resumeNeedsRun() {
        #expect {
            try Pipeline.prepare(.quick, options: Pipeline.Options(runDirectory: temporaryDirectory(), resume: true))
        } throws: { String(describing: $0).contains("no pipeline run to resume") }
    }

    @Test("synthesis and mixing make contrastive training data with the confirmation")
    func dataStages() async throws {
        var config = PipelineConfig.quick
        config.synthesis.problemLimit = 8
        config.synthesis.perProblem = 1
        config.mix.validationFraction = 0
        let directory = temporaryDirectory()
        let layout = RunLayout(root: directory)
        let stages = [DataStages.synthesize(config, layout: layout), DataStages.mix(config, layout: layout)]
        let outcome = try await StageRunner(runDirectory: directory, stages: stages).run()
        #expect(outcome.ran == ["synthesize", "mix"])
        let train = try JSONL.readAll(Dialogue.self, from: layout.mixture + "/train.jsonl").records
        let clear = train.filter { $0.metadata["category"] == "original" }
        let clarify = train.filter { $0.metadata["category"] != "original" }
        #expect(!clear.isEmpty && !clarify.isEmpty)
        // The confirmation comes first, then the code.
        #expect(clear.allSatisfy { $0.messages.last?.content.hasPrefix(DialogueFormat.confirmation + "\n\n```python\n") == true })
        // Contrastive: each clarify example's problem is also present clear → code.
        let clearProblems = Set(clear.compactMap { $0.metadata["problem_id"] })
        #expect(clarify.allSatisfy { clearProblems.contains($0.metadata["problem_id"] ?? "") })
        // Eight problems spread over the bank, not the first eight of one family.
        let families = Set(clarify.compactMap { $0.metadata["problem_id"]?.split(separator: "/").dropFirst().first })
        #expect(families.count >= 3)
        let again = try await StageRunner(runDirectory: directory, stages: stages).run()
        #expect(again.reused == ["synthesize", "mix"])

        // Without docstrings only the mixture is redone, and its code answers are signature and body.
        config.mix.docstrings = false
        let bare = [DataStages.synthesize(config, layout: layout), DataStages.mix(config, layout: layout)]
        let redone = try await StageRunner(runDirectory: directory, stages: bare).run()
        #expect(redone.reused == ["synthesize"] && redone.ran == ["mix"])
        let code = try JSONL.readAll(Dialogue.self, from: layout.mixture + "/train.jsonl").records.compactMap(\.messages.last?.content)
        #expect(!code.isEmpty && code.allSatisfy { $0.contains("```python\ndef ") && !$0.contains("\"\"\"") })
    }

    @Test("the docstrings and decision-balance settings leave the fingerprints of runs that predate them as they were")
    func docstringsFingerprint() {
        let options = Pipeline.Options(runDirectory: temporaryDirectory())
        // The mixture of a default run made before `mix.docstrings` existed (runs/d160, 2026-11-27).
        var d160 = PipelineConfig.standard
        d160.mix = PipelineConfig.Mix(ratio: "50:50", confirmation: true, target: "dialogue", docstrings: true, validationFraction: 0.1, stages: 1)
        d160.train.loraAlpha = 32  // the pipeline's default then; since, the library's 16
        let standard = StageRunner(runDirectory: options.runDirectory, stages: Pipeline.stages(d160, options: options)).fingerprints()
        #expect(standard["mix"] == "e85156a9bec82ecc1859fa9d302271771f478fc4f00f0836f2380f6e93ea7714")
        var bare = d160
        bare.mix.docstrings = false
        let changed = StageRunner(runDirectory: options.runDirectory, stages: Pipeline.stages(bare, options: options)).fingerprints()
        #expect(changed["synthesize"] == standard["synthesize"] && changed["mix"] != standard["mix"])
        #expect(changed["train"] != standard["train"] && changed["evaluate-base"] == standard["evaluate-base"])

        // The same for `train.decision_balance`: off, d160's training keeps its fingerprint.
        #expect(standard["train"] == "99f5c3b949d7e247ad04ea853f92d3333c539c13daa64d09e2c4e7e3dbbcd978")
        var balanced = d160
        balanced.train.decisionBalance = true
        let rebalanced = StageRunner(runDirectory: options.runDirectory, stages: Pipeline.stages(balanced, options: options)).fingerprints()
        #expect(rebalanced["mix"] == standard["mix"] && rebalanced["train"] != standard["train"])
    }

    @Test("spreading a limit over the input keeps the first item and reaches the end")
    func spread() {
        let picked = DataStages.spread(Array(0..<100), count: 4)
        #expect(picked == [0, 25, 50, 75])
        #expect(DataStages.spread([1, 2, 3], count: nil) == [1, 2, 3])
        #expect(DataStages.spread([1, 2, 3], count: 10) == [1, 2, 3])
    }
}
