import Foundation
import LLM
import Testing

@testable import clarifycoder

@Suite("clarifycoder train")
struct TrainCommandTests {
    /// The tiny Qwen2 of the LLM tests (ChatML template), found from this file.
    static let tinyModel = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("LLMTests/Fixtures/Model/qwen2-tiny").path

    @Test("flags become TrainingParameters with absolute paths")
    func flags() throws {
        let command = try TrainCommand.parse([
            "--model", Self.tinyModel, "--data", "train.jsonl", "--val", "val.jsonl", "--lora-r", "8",
            "--lora-alpha", "32", "--lora-dropout", "0.1", "--lora-targets", "q_proj,down,v", "--rslora", "--lr", "2e-4",
            "--steps", "30", "--batch-size", "2", "--grad-accum", "3", "--max-length", "512", "--warmup", "5",
            "--schedule", "linear", "--seed", "9", "--too-long", "truncate-prompt", "--last-turn-only", "--out", "run",
        ])
        let p = try command.parameters()
        let cwd = FileManager.default.currentDirectoryPath
        #expect(p.model == Self.tinyModel && p.baseModelID == nil && !p.fullFineTune)
        #expect(p.data == cwd + "/train.jsonl" && p.validation == cwd + "/val.jsonl")
        #expect(p.lora == .init(rank: 8, alpha: 32, dropout: 0.1, targets: [.q, .v, .down], useRSLoRA: true))
        #expect(p.learningRate == 2e-4 && p.steps == 30 && p.batchSize == 2 && p.gradientAccumulation == 3)
        #expect(p.maxLength == 512 && p.warmupSteps == 5 && p.schedule == .linear && p.seed == 9)
        #expect(p.overflow == .truncatePrompt && p.lastAssistantOnly)
        let defaults = try TrainCommand.parse(["--model", Self.tinyModel, "--data", "d.jsonl", "--out", "run"])
        #expect(try defaults.parameters().lora == LoRASettings.defaults, "the flags' defaults are the library's")
    }

    @Test("contradictory or missing options are refused before anything loads")
    func validation() {
        #expect(throws: (any Error).self) { try TrainCommand.parse(["--data", "d", "--out", "r", "--steps", "3", "--epochs", "1"]) }
        #expect(throws: (any Error).self) { try TrainCommand.parse(["--out", "r"]) }
        #expect(throws: (any Error).self) { try TrainCommand.parse(["--data", "d", "--out", "r", "--lora-targets", "q,x"]) }
        #expect(throws: (any Error).self) { try TrainCommand.parse(["--data", "d", "--out", "r", "--decision-balance"]) }
        #expect(throws: (any Error).self) { try TrainCommand.parse(["--data", "d", "--out", "r", "--decision-skip-prefix"]) }
        let balanced = try? TrainCommand.parse(["--data", "d", "--out", "r", "--decision-weight", "0.2", "--decision-balance"])
        #expect(balanced?.decisionBalance == true)
    }

    @Test("bad data fails before the model is loaded, naming the line")
    func badDataFailsFirst() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cc-train-bad-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let lines = [
            #"{"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]}"#,
            #"{"messages": [{"role": "user", "content": "q"}, {"role": "bot", "content": "a"}]}"#,
        ]
        try lines.joined(separator: "\n").write(toFile: folder + "/train.jsonl", atomically: true, encoding: .utf8)
        // The model is not a GGUF file at all: an error about the data proves the data was read first.
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: folder + "/broken.gguf"))
        let arguments = ["--model", folder + "/broken.gguf", "--data", folder + "/train.jsonl", "--out", folder + "/run"]
        #expect {
            try TrainCommand.parse(arguments).run()
        } throws: { error in
            "\(error)".contains("train.jsonl:2: field 'messages[1].role'") && !"\(error)".contains("broken.gguf")
        }
    }

    @Test("--resume without a run to resume is a usage error (exit 64)")
    func resumeWithoutRun() throws {
        #expect {
            try TrainCommand.parse(["--out", "/nonexistent/run", "--resume"]).run()
        } throws: { ClarifyCoderCommand.exitCode(for: $0).rawValue == 64 }
    }

    @Test("a run, then --resume with only --out, reads the options back from training.json")
    func runsAndResumes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cc-train-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let lines = (0..<4).map { #"{"messages": [{"role": "user", "content": "q\#($0)"}, {"role": "assistant", "content": "a\#($0)"}]}"# }
        try lines.joined(separator: "\n").write(toFile: folder + "/train.jsonl", atomically: true, encoding: .utf8)
        let arguments = [
            "--model", Self.tinyModel, "--data", folder + "/train.jsonl", "--steps", "2", "--batch-size", "2",
            "--lora-r", "2", "--out", folder + "/run",
        ]
        try TrainCommand.parse(arguments).run()
        let adapter = try LoRAAdapter(folder: folder + "/run/adapter")
        #expect(adapter.config.rank == 2)
        // The loss curve is drawn by the reports from the trainer's metrics, not by the trainer.
        let svg = try String(contentsOfFile: folder + "/run/loss.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("<polyline") && svg.contains("LoRA r=2"))
        let resumed = try TrainCommand.parse(["--out", folder + "/run", "--resume"])
        #expect(try resumed.parameters() == TrainCommand.parse(arguments).parameters())
        try resumed.run()
    }
}
