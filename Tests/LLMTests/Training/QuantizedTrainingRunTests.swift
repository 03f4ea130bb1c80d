import ClarifyCore
import Foundation
import Tensor
import Testing

@testable import LLM

/// `SFTTrainer.run` from a quantized GGUF path, as `clarifycoder train --model FILE.gguf` runs it:
/// the base is loaded quantized and stays so, LoRA learns, the adapter runs on the quantized base
/// unmerged, and the run refuses a changed base on resume and a length beyond the context.
@Suite("LoRA training runs on a quantized GGUF base", .serialized)
struct QuantizedTrainingRunTests {
    /// The tiny Qwen2 written as a Q8_0 GGUF in `folder`.
    static func quantizedBase(_ folder: String) throws -> String {
        let path = folder + "/base-q8.gguf"
        try GGUFExport.write(try TrainerTests.model.get(), type: .q8_0, to: path)
        return path
    }

    static func parameters(base: String, data: String, steps: Int = 60) -> TrainingParameters {
        TrainingParameters(
            model: base, lora: .init(rank: 8, alpha: 16, dropout: 0, targets: LoRATarget.allCases), data: data,
            learningRate: 2e-2, schedule: .constant, steps: steps, batchSize: 4, maxLength: 64, seed: 1,
            validateEvery: 0, checkpointEvery: 10, checkpointing: .on)
    }

    @Test("LoRA over the Q8_0 base kept quantized (checkpointed) trains as over its fp32 copy, and its adapter works unmerged")
    func learns() throws {
        let folder = TrainerTests.scratch("quantized-lora")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let base = try Self.quantizedBase(folder)
        let data = try TrainerTests.writeData(folder)
        var losses: [Double] = []
        let result = try SFTTrainer.run(Self.parameters(base: base, data: data), output: folder + "/run") { progress in
            losses.append(progress.loss)
            return .more
        }
        let first = losses.prefix(4).reduce(0, +) / 4, last = losses.suffix(8).reduce(0, +) / 8
        #expect(last < 0.8 * first, "first steps \(first), last steps \(last)")
        // The same run over the base dequantized to fp32, every activation kept: the same losses,
        // step for step, up to float rounding over the first 20 steps (a wrong gradient drifts
        // within a few; later, at this learning rate, rounding differences grow to ~0.5%).
        var reference = Self.parameters(base: base, data: data)
        reference.baseWeights = .float32
        reference.checkpointing = .off
        var referenceLosses: [Double] = []
        _ = try SFTTrainer.run(reference, output: folder + "/run-f32") { progress in
            referenceLosses.append(progress.loss)
            return .more
        }
        #expect(losses.count == referenceLosses.count)
        for (step, (a, b)) in zip(losses, referenceLosses).enumerated().prefix(20) {
            #expect(abs(a - b) <= 1e-3 * abs(b), "step \(step + 1): \(a) vs \(b)")
        }
        let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/run/base.json")))
        #expect((saved as? [String: Any])?["sha256"] is String, "base.json records the base's hash")

        // Inference: the quantized base with the adapter attached, unmerged, scores the answers better.
        let adapter = try LoRAAdapter(folder: try #require(result.adapterPath))
        let plain = try LanguageModel(path: base, precision: .native)
        let tuned = try LanguageModel(path: base, precision: .native, adapter: adapter)
        guard case .quantized = tuned.model.weights.layers[0].query.storage else {
            Issue.record("the base was dequantized")
            return
        }
        func answerLoss(_ model: LanguageModel) throws -> Float {
            let prompt = try model.chatPrompt([.user("word 3?")])
            let answer = model.tokenizer.encode("seven")
            let rows = allLogits(model.model, prompt + answer)
            var total: Float = 0
            for (i, token) in answer.enumerated() {
                let row = rows[prompt.count - 1 + i]
                let peak = row.max()!
                let lse = peak + log(row.map { exp($0 - peak) }.reduce(0, +))
                total += lse - row[token]
            }
            return total / Float(answer.count)
        }
        let (before, after) = (try answerLoss(plain), try answerLoss(tuned))
        #expect(after < 0.95 * before, "answer loss \(before) → \(after)")
    }

    @Test("a resume on a base whose bytes changed is refused, naming base.json")
    func changedBase() throws {
        let folder = TrainerTests.scratch("quantized-resume")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let base = try Self.quantizedBase(folder)
        let parameters = Self.parameters(base: base, data: try TrainerTests.writeData(folder), steps: 12)
        _ = try SFTTrainer.run(parameters, output: folder + "/run") { $0.step >= 10 ? .stop : .more }
        try GGUFExport.write(try TrainerTests.model.get(), type: .f32, to: base)  // same path, other bytes
        do {
            _ = try SFTTrainer.run(parameters, output: folder + "/run", resume: true)
            Issue.record("resumed on a different base")
        } catch let error as TrainingError {
            #expect(error.description.contains("base.json") && error.description.contains("not the base"), "\(error)")
        }
    }

    @Test("an example longer than the model's context is refused before training, by file and line")
    func lengthBeyondContext() throws {
        let folder = TrainerTests.scratch("quantized-context")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let long = String(repeating: "word ", count: 300)
        let data = try TrainerTests.write(
            [Dialogue(messages: [.user("short?"), .assistant("yes")]), Dialogue(messages: [.user(long), .assistant("no")])],
            to: folder + "/train.jsonl")
        var parameters = Self.parameters(base: try Self.quantizedBase(folder), data: data)
        parameters.maxLength = 4096
        do {
            _ = try SFTTrainer.run(parameters, output: folder + "/run")
            Issue.record("trained past the context")
        } catch let error as TrainingError {
            #expect(error.description.contains("train.jsonl:2") && error.description.contains("context of 128 positions"), "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/run/training.json"), "nothing half-written")
    }
}
