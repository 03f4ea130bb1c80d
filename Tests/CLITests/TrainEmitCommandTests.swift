import Foundation
import LLM
import Testing

@testable import clarifycoder

@Suite("clarifycoder train --backend trl")
struct TrainEmitCommandTests {
    func scratch(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cc-trl-\(name)-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static let dialogue = #"{"messages": [{"role": "user", "content": "Write add(a, b)."}, "#
        + #"{"role": "assistant", "content": "def add(a, b): return a + b"}]}"# + "\n"

    @Test("--emit writes the job from the same flags, for the model's Hugging Face id; nothing is trained")
    func emits() throws {
        let folder = scratch("emit")
        try Data(Self.dialogue.utf8).write(to: URL(fileURLWithPath: folder + "/train.jsonl"))
        let command = try TrainCommand.parse([
            "--backend", "trl", "--emit", folder + "/job", "--model", "qwen2.5-coder-1.5b", "--data", folder + "/train.jsonl",
            "--lora-r", "32", "--lora-alpha", "64", "--lora-targets", "q,k,v,o,gate,up,down", "--lr", "1e-5",
            "--warmup", "100", "--steps", "500", "--batch-size", "4", "--grad-accum", "4", "--max-length", "2048",
        ])
        try command.run()
        let data = try #require(FileManager.default.contents(atPath: folder + "/job/job.json"))
        let job = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(job["model"] as? String == "Qwen/Qwen2.5-Coder-1.5B-Instruct")
        let peft = try #require(job["peft"] as? [String: Any]), sft = try #require(job["sft"] as? [String: Any])
        #expect(peft["r"] as? Int == 32 && peft["lora_alpha"] as? Double == 64 && (peft["target_modules"] as? [String])?.count == 7)
        #expect(sft["learning_rate"] as? Double == 1e-5 && sft["warmup_steps"] as? Int == 100)
        #expect(sft["per_device_train_batch_size"] as? Int == 4 && sft["gradient_accumulation_steps"] as? Int == 4)
        #expect((job["data"] as? [String: Any])?["steps"] as? Int == 500 && sft["max_length"] as? Int == 2048)
        #expect(!FileManager.default.fileExists(atPath: folder + "/job/output"), "nothing ran")
        // --hf-model names another model (the spelling of --base-model-id for this use).
        let other = try TrainCommand.parse([
            "--backend", "trl", "--emit", folder + "/job2", "--hf-model", "org/coder-7b", "--data", folder + "/train.jsonl",
        ])
        try other.run()
        let second = try #require(FileManager.default.contents(atPath: folder + "/job2/job.json"))
        #expect((try JSONSerialization.jsonObject(with: second) as? [String: Any])?["model"] as? String == "org/coder-7b")
    }

    @Test("--backend and --emit must go together; --out, --resume and --full do not apply to a TRL job")
    func usage() {
        let data = ["--data", "d.jsonl"]
        #expect(throws: (any Error).self) { try TrainCommand.parse(data + ["--backend", "trl"]) }
        #expect(throws: (any Error).self) { try TrainCommand.parse(data + ["--emit", "job", "--out", "run"]) }
        #expect(throws: (any Error).self) { try TrainCommand.parse(data + ["--backend", "trl", "--emit", "j", "--out", "r"]) }
        #expect(throws: (any Error).self) { try TrainCommand.parse(data + ["--backend", "trl", "--emit", "j", "--full"]) }
        #expect(throws: (any Error).self) { try TrainCommand.parse(data + ["--backend", "gpu", "--emit", "j"]) }
        #expect(throws: (any Error).self) { try TrainCommand.parse(data) }  // local still needs --out
        #expect((try? TrainCommand.parse(data + ["--backend", "trl", "--emit", "j"])) != nil)
    }

    @Test("a GGUF base without --hf-model is refused, saying which option to give")
    func ggufNeedsID() throws {
        let folder = scratch("gguf")
        try Data(Self.dialogue.utf8).write(to: URL(fileURLWithPath: folder + "/train.jsonl"))
        try Data("GGUF".utf8).write(to: URL(fileURLWithPath: folder + "/m.gguf"))
        let command = try TrainCommand.parse([
            "--backend", "trl", "--emit", folder + "/job", "--model", folder + "/m.gguf", "--data", folder + "/train.jsonl",
        ])
        #expect { try command.run() } throws: { "\($0)".contains("--hf-model") }
        #expect(!FileManager.default.fileExists(atPath: folder + "/job"))
    }
}
