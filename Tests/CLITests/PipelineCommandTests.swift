import Foundation
import Pipeline
import Testing

@testable import clarifycoder

@Suite("clarifycoder pipeline flags")
struct PipelineCommandTests {
    @Test("the preset, then the config file, then named flags, then --set")
    func precedence() throws {
        let file = NSTemporaryDirectory() + "pipeline-\(UUID().uuidString).yaml"
        try "mix:\n  ratio: \"30:70\"\ntrain:\n  steps: 99\n  lr: 0.001\n".write(toFile: file, atomically: true, encoding: .utf8)
        let command = try PipelineCommand.parse([
            "--quick", "--config", file, "--lr", "5e-4", "--ratio", "60:40", "--set", "mix.ratio=70:30",
            "--synth-model", "openai:m", "--out", "unused",
        ])
        let config = try command.resolvedConfig()
        #expect(config.mix.ratio == "70:30")  // --set beats --ratio beats the file
        #expect(config.train.learningRate == 5e-4)  // the flag beats the file
        #expect(config.train.steps == 99)  // the file beats the preset
        #expect(config.eval.humanevalLimit == PipelineConfig.quick.eval.humanevalLimit)  // the preset
        #expect(config.synthesis.synthesizer == "llm" && config.synthesis.model == "openai:m")
    }

    @Test("--resume takes its settings from the run folder only")
    func resumeTakesNoSettings() {
        #expect(throws: (any Error).self) { try PipelineCommand.parse(["--resume", "--quick", "--out", "x"]) }
        #expect(throws: (any Error).self) { try PipelineCommand.parse(["--resume", "--steps", "3", "--out", "x"]) }
        #expect(throws: (any Error).self) { try PipelineCommand.parse(["--update", "--out", "/nonexistent/run"]) }
    }

    @Test("an unknown --set key names the key and lists the section's keys")
    func unknownKey() throws {
        let command = try PipelineCommand.parse(["--set", "train.learning_rate=1", "--out", "x"])
        #expect { try command.resolvedConfig() } throws: {
            let text = String(describing: $0)
            return text.contains("train.learning_rate") && text.contains("'train' takes") && text.contains("lr, ")
        }
    }

    @Test("a misspelt key gets a 'did you mean', and a key in the wrong section its right place")
    func didYouMean() throws {
        for (typo, meant) in [("train.stpes", "train.steps"), ("eval.lr", "train.lr"), ("sed", "seed")] {
            let command = try PipelineCommand.parse(["--set", "\(typo)=1", "--out", "x"])
            #expect { try command.resolvedConfig() } throws: { String(describing: $0).contains("did you mean '\(meant)'?") }
        }
        #expect(ConfigField.suggestion(for: "completely.unrelated") == nil)
    }

    @Test("settings errors are usage errors (exit 64) with no --resume hint, which would lead back to them")
    func settingsErrorsExit64WithoutResumeHint() async throws {
        let out = NSTemporaryDirectory() + "pipeline-usage-\(UUID().uuidString)"
        for arguments in [["--set", "train.stpes=3"], ["--set", "train.steps=many"], ["--resume"]] {
            do {
                try await PipelineCommand.parse(arguments + ["--out", out]).run()
                Issue.record("\(arguments) ran")
            } catch {
                #expect(ClarifyCoderCommand.exitCode(for: error).rawValue == 64, "\(arguments): \(error)")
                #expect(!String(describing: error).contains("pipeline --out \(out) --resume"), "\(error)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("the --resume hint is offered only where the run folder holds the same settings")
    func resumeHint() throws {
        let out = NSTemporaryDirectory() + "pipeline-hint-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let command = try PipelineCommand.parse(["--quick", "--out", out])
        let config = try command.resolvedConfig()
        #expect(command.resumeHint(for: config).isEmpty)  // nothing to resume yet
        try Pipeline.prepare(config, options: Pipeline.Options(runDirectory: out))
        #expect(command.resumeHint(for: config).contains("clarifycoder pipeline --out \(out) --resume"))
        var other = config
        other.seed += 1
        #expect(command.resumeHint(for: other).isEmpty)  // --resume would run the saved settings, not these
        // And the run it names resumes: --resume alone resolves to the saved config.
        #expect(try PipelineCommand.parse(["--out", out, "--resume"]).resolvedConfig() == config)
    }
}
