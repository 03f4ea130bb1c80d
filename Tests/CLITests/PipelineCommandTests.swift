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

    @Test("an unknown --set key names the key")
    func unknownKey() throws {
        let command = try PipelineCommand.parse(["--set", "train.learning_rate=1", "--out", "x"])
        #expect { try command.resolvedConfig() } throws: { String(describing: $0).contains("train.learning_rate") }
    }
}
