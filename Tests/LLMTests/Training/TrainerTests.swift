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
        try write((0..<count).map { i in
            Dialogue(messages: [.user("word \(i)?"), .assistant(answers[i % answers.count])])
        }, to: folder + "/train.jsonl")
    }

    /// `dialogues` as a chat JSONL file at `path`; returns the path.
    static func write(_ dialogues: [Dialogue], to path: String) throws -> String {
        let lines = try dialogues.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
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

    @Test("full fine-tuning from a GGUF base: model/ loads with the base's tokenizer, step-N checkpoints export")
    func fullFromGGUF() throws {
        let folder = Self.scratch("full-gguf")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let gguf = folder + "/base.gguf"
        try GGUFExport.write(try Self.model.get(), type: .f32, to: gguf)
        let parameters = TrainingParameters(
            model: gguf, fullFineTune: true, data: try Self.writeData(folder), learningRate: 1e-2,
            schedule: .constant, steps: 4, batchSize: 4, maxLength: 64, seed: 1, validateEvery: 0,
            checkpointEvery: 2)
        let base = try LanguageModel(path: gguf, precision: .float32)
        let ids = try base.chatPrompt([.user("word 3?")])
        let baseLogits = allLogits(base.model, ids).last!
        let result = try SFTTrainer.run(parameters, model: base, output: folder + "/run")
        // The folder holds the tokenizer and chat format written from the GGUF, so it runs by itself.
        let tuned = try LanguageModel(path: try #require(result.modelPath), precision: .float32)
        #expect(try tuned.chatPrompt([.user("word 3?")]) == ids)
        let tunedLogits = allLogits(tuned.model, ids).last!

        // The last checkpoint holds the same weights as model/; the first, earlier ones.
        let run = folder + "/run"
        let last = try RunExport.run(.init(source: run, format: .hf, out: folder + "/step-4", checkpoint: "step-4"))
        expectRelativelyClose(allLogits(try LanguageModel(path: last.path).model, ids).last!, tunedLogits, relative: 1e-5)
        let first = try RunExport.run(.init(source: run, format: .hf, out: folder + "/step-2", checkpoint: "step-2"))
        let firstLogits = allLogits(try LanguageModel(path: first.path).model, ids).last!
        #expect(firstLogits != tunedLogits && firstLogits != baseLogits)
        // The temporary folders that paired each checkpoint with the base's config are gone.
        let temporary = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())
        #expect(!temporary.contains { $0.hasPrefix("clarifycoder-export-") })

        do {
            _ = try RunExport.run(.init(source: run, format: .hf, out: folder + "/step-3", checkpoint: "step-3"))
            Issue.record("exported a checkpoint that does not exist")
        } catch {
            #expect(String(describing: error).contains("step-2, step-4"), "\(error)")
        }
        // A model/ written before it carried the tokenizer is read with the base's.
        for file in ["tokenizer.json", "tokenizer_config.json"] { try FileManager.default.removeItem(atPath: run + "/model/" + file) }
        let old = try RunExport.run(.init(source: run, format: .hf, out: folder + "/old"))
        expectRelativelyClose(allLogits(try LanguageModel(path: old.path).model, ids).last!, tunedLogits, relative: 1e-5)

        try FileManager.default.removeItem(atPath: run + "/model")
        do {
            _ = try RunExport.run(.init(source: run, format: .gguf, out: folder + "/best.gguf"))
            Issue.record("exported a full fine-tune without its model/")
        } catch {
            #expect(String(describing: error).contains("--checkpoint step-N (here: step-2, step-4)"), "\(error)")
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

/// Resume: a run stopped, its newest checkpoint lost (as after kill -9 between two checkpoints),
/// and resumed, logs the same losses as a run never interrupted.
@Suite("Resuming a run", .serialized)
struct TrainerResumeTests {
    static func parameters(data: String, validation: String) -> TrainingParameters {
        TrainingParameters(
            model: TrainerTests.modelPath, lora: .init(rank: 4, alpha: 8, dropout: 0.1, targets: [.q, .v, .down]),
            data: data, validation: validation, learningRate: 5e-3, schedule: .cosine, warmupSteps: 2, steps: 8,
            batchSize: 2, gradientAccumulation: 2, maxLength: 64, seed: 5, validateEvery: 3, checkpointEvery: 2)
    }

    static func lines(_ path: String) throws -> [[String: Any]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
            // tokens/s differs run to run; everything else must not.
            var object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            object["tokens_per_s"] = nil
            return object
        }
    }

    /// Two metrics logs agree: the same lines and keys, equal strings and integers, and floats
    /// within 1e-5 relative. Bit-for-bit holds when the run has the process to itself; OpenBLAS's
    /// thread count is process-wide, and suites running beside this one change it, which reorders
    /// float32 sums by a few ulps (1 ulp = 1.2e-7; 1.4e-7 seen in CI, from the first step on).
    /// A real resume fault — a wrong data position, a lost optimizer moment — moves the loss by
    /// far more.
    static func sameMetrics(_ a: [[String: Any]], _ b: [[String: Any]]) -> String? {
        guard a.count == b.count else { return "\(a.count) lines vs \(b.count)" }
        for (index, (x, y)) in zip(a, b).enumerated() {
            guard Set(x.keys) == Set(y.keys) else { return "line \(index + 1): keys \(x.keys.sorted()) vs \(y.keys.sorted())" }
            for (key, left) in x {
                let right = y[key]!
                if let l = left as? NSNumber, let r = right as? NSNumber {
                    let (u, v) = (l.doubleValue, r.doubleValue)
                    if abs(u - v) > 1e-5 * max(abs(u), abs(v), 1e-12) { return "line \(index + 1): \(key) \(u) vs \(v)" }
                } else if "\(left)" != "\(right)" {
                    return "line \(index + 1): \(key) \(left) vs \(right)"
                }
            }
        }
        return nil
    }

    /// Two adapters hold the same modules with weights within 1e-5 of the largest magnitude.
    static func sameAdapter(_ a: String, _ b: String) throws -> String? {
        let (x, y) = (try LoRAAdapter(folder: a), try LoRAAdapter(folder: b))
        guard x.config == y.config, Set(x.modules.keys) == Set(y.modules.keys) else { return "different modules" }
        for (path, left) in x.modules {
            let right = y.modules[path]!
            for (u, v) in [(left.a, right.a), (left.b, right.b)] {
                guard u.count == v.count else { return "\(path): sizes differ" }
                let scale = max(u.map(abs).max() ?? 0, 1e-12)
                if let worst = zip(u, v).map({ abs($0 - $1) }).max(), worst > 1e-5 * scale {
                    return "\(path): differs by \(worst)"
                }
            }
        }
        return nil
    }

    @Test("stop at step 5, lose checkpoint 5, resume from step 4: the same losses and adapter as one straight run")
    func resumeIsExact() throws {
        let model = try TrainerTests.model.get()
        let folder = TrainerTests.scratch("resume")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let data = try TrainerTests.writeData(folder, count: 12)
        let validation = folder + "/val.jsonl"
        try FileManager.default.copyItem(atPath: data, toPath: validation)
        let parameters = Self.parameters(data: data, validation: validation)

        let straight = try SFTTrainer.run(parameters, model: model, output: folder + "/a")
        #expect(straight.steps == 8)

        let stopped = try SFTTrainer.run(parameters, model: model, output: folder + "/b") { progress in
            progress.step == 5 ? .stop : .more
        }
        #expect(stopped.stopped && stopped.steps == 5)
        #expect(TrainingCheckpoint.steps(in: folder + "/b/checkpoints") == [2, 4, 5])
        try FileManager.default.removeItem(atPath: folder + "/b/checkpoints/step-5")

        do {
            _ = try SFTTrainer.run(parameters, model: model, output: folder + "/b")
            Issue.record("a second run into the same folder without resume was accepted")
        } catch let error as TrainingError {
            #expect(error.description.contains("pass --resume"))
        }
        var changed = parameters
        changed.learningRate = 1e-3
        #expect(throws: TrainingError.self) { try SFTTrainer.run(changed, model: model, output: folder + "/b", resume: true) }

        var resumedSteps: [Int] = []
        let resumed = try SFTTrainer.run(parameters, model: model, output: folder + "/b", resume: true) { progress in
            if progress.event == .step { resumedSteps.append(progress.step) }
            return .more
        }
        #expect(resumedSteps == [5, 6, 7, 8])
        #expect(resumed.steps == 8 && !resumed.stopped)
        let a = try Self.lines(folder + "/a/metrics.jsonl"), b = try Self.lines(folder + "/b/metrics.jsonl")
        #expect(a.count == 8 + 3, "8 steps and validations at 3, 6 and 8")
        let difference = Self.sameMetrics(a, b)
        #expect(difference == nil, "\(difference ?? "")")
        #expect(resumed.bestStep == straight.bestStep)
        #expect(abs((resumed.bestValidationLoss ?? 0) - (straight.bestValidationLoss ?? 0)) <= 1e-4)
        for adapter in ["adapter-last", "adapter"] {
            let mismatch = try Self.sameAdapter(folder + "/a/" + adapter, folder + "/b/" + adapter)
            #expect(mismatch == nil, "\(adapter): \(mismatch ?? "")")
        }
    }

    @Test("the run folder holds training.json, both adapters, checkpoints, typed metrics and summary.json; no chart")
    func runFolder() throws {
        let model = try TrainerTests.model.get()
        let folder = TrainerTests.scratch("folder")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let data = try TrainerTests.writeData(folder, count: 6)
        var parameters = Self.parameters(data: data, validation: data)
        parameters.steps = 3
        parameters.baseModelID = "test/qwen2-tiny"
        let result = try SFTTrainer.run(parameters, model: model, output: folder + "/run")
        let run = folder + "/run"
        let json = try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: run + "/training.json")))
            as! [String: Any]
        #expect(json["model"] as? String == TrainerTests.modelPath)
        #expect(json["base_model_id"] as? String == "test/qwen2-tiny")
        #expect(json["full_fine_tune"] as? Bool == false)
        let lora = json["lora"] as? [String: Any]
        #expect(lora?["rank"] as? Int == 4 && lora?["targets"] as? [String] == ["q", "v", "down"])
        #expect(lora?["use_rslora"] as? Bool == false)
        for key in ["data", "val", "lr", "schedule", "steps", "batch", "grad_accum", "max_length", "seed"] {
            #expect(json[key] != nil, "training.json lacks \(key)")
        }
        let saved = try Data(contentsOf: URL(fileURLWithPath: run + "/training.json"))
        #expect(try JSONDecoder().decode(TrainingParameters.self, from: saved) == parameters)
        let adapter = try LoRAAdapter(folder: run + "/adapter")
        #expect(adapter.config.baseModel == "test/qwen2-tiny" && adapter.config.rank == 4)
        _ = try LoRAAdapter(folder: run + "/adapter-last")
        #expect(TrainingCheckpoint.steps(in: run + "/checkpoints") == [2, 3])
        // One metric per step and one for the validation at step 3 (the last); the trainer draws
        // nothing (the reports draw loss.svg from these lines).
        let metrics = try String(contentsOfFile: run + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
            .map { try JSONDecoder().decode(TrainingMetric.self, from: Data($0.utf8)) }
        #expect(metrics.filter { !$0.isValidation }.map(\.step) == [1, 2, 3])
        #expect(metrics.filter { !$0.isValidation }.allSatisfy { ($0.loss ?? .nan).isFinite && $0.tokens ?? 0 > 0 })
        #expect(metrics.filter(\.isValidation).map(\.step) == [3])
        #expect(!FileManager.default.fileExists(atPath: run + "/loss.svg"))
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: run + "/summary.json")))
            as! [String: Any]
        #expect(summary["steps"] as? Int == 3 && summary["examples"] as? Int == 6)
        #expect((summary["best_val_loss"] as? Double).map { $0.isFinite } == true)
        #expect(result.tokens > 0 && result.tokensPerSecond > 0)
    }
}
