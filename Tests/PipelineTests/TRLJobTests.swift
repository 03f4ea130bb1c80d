import ClarifyCore
import Foundation
import LLM
import Testing

@testable import Pipeline

@Suite("TRL job emitter (train --backend trl)")
struct TRLJobTests {
    /// A clear dialogue and an unclear one per problem, with the `problem_id` metadata `mix` writes.
    static func dialogues(_ ids: Range<Int>) -> String {
        ids.map { i in
            """
            {"messages": [{"role": "user", "content": "Write f\(i)(x) returning x + \(i)."}, \
            {"role": "assistant", "content": "The requirements are clear.\\n```python\\ndef f\(i)(x):\\n    return x + \(i)\\n```"}], \
            "metadata": {"problem_id": "p\(i)"}}
            {"messages": [{"role": "user", "content": "Write f\(i)(x) returning x plus a number."}, \
            {"role": "assistant", "content": "The requirements are unclear. Which number?"}, \
            {"role": "user", "content": "\(i)."}, {"role": "assistant", "content": "def f\(i)(x): return x + \(i)"}], \
            "metadata": {"problem_id": "p\(i)"}}
            """
        }.joined(separator: "\n") + "\n"
    }

    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// A two-stage mixture folder as `clarifycoder mix --stages 2` writes it (code first, then mixed).
    static func mixture(in folder: String) throws -> String {
        let mix = folder + "/mix"
        try write(dialogues(0..<3), to: mix + "/stage1-code.jsonl")
        try write(dialogues(3..<8), to: mix + "/stage2-mixed.jsonl")
        try write(dialogues(8..<9), to: mix + "/validation.jsonl")
        try write(
            """
            {"format": "chat", "splits": {"train": {"file": "stage2-mixed.jsonl", "examples": 10},
             "validation": {"file": "validation.jsonl", "examples": 2}},
             "stages": [{"name": "code", "file": "stage1-code.jsonl"}, {"name": "mixed", "file": "stage2-mixed.jsonl"}]}
            """, to: mix + "/manifest.json")
        return mix
    }

    static func json(_ path: String) throws -> [String: Any] {
        let data = try #require(FileManager.default.contents(atPath: path), "\(path) missing")
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func text(_ path: String) throws -> String {
        String(decoding: try #require(FileManager.default.contents(atPath: path), "\(path) missing"), as: UTF8.self)
    }

    @Test("the job holds the dataset, job.json, train.py, launch.sh, five accelerate configs and the READMEs")
    func files() throws {
        let folder = temporaryDirectory()
        try Self.write(Self.dialogues(0..<4), to: folder + "/train.jsonl")
        let parameters = TrainingParameters(model: "qwen2.5-coder-0.5b", data: folder + "/train.jsonl", steps: 10)
        let emitted = try TRLJob.emit(parameters, model: "Qwen/Qwen2.5-Coder-0.5B-Instruct", to: folder + "/job")
        #expect(emitted.files == [
            "README.md", "accelerate/cpu.yaml", "accelerate/deepspeed_zero3.yaml", "accelerate/fsdp.yaml",
            "accelerate/multi_gpu.yaml", "accelerate/single_gpu.yaml", "dataset/README.md", "dataset/data/train.jsonl",
            "job.json", "launch.sh", "requirements.txt", "train.py",
        ])
        for file in emitted.files { #expect(FileManager.default.fileExists(atPath: folder + "/job/" + file), "\(file)") }
        let launch = try FileManager.default.attributesOfItem(atPath: folder + "/job/launch.sh")
        #expect((launch[.posixPermissions] as? Int).map { $0 & 0o100 != 0 } == true, "launch.sh is executable")
        #expect(emitted.adapter == folder + "/job/output/adapter" && emitted.examples == ["train": 8])
        // Each config runs the way its name says.
        let distributed = try TRLJobFiles.AccelerateConfig.allCases.map { config in
            try Self.text(folder + "/job/accelerate/\(config.rawValue).yaml").split(separator: "\n")
                .first { $0.hasPrefix("distributed_type:") }.map(String.init) ?? "none"
        }
        #expect(distributed == [
            "distributed_type: 'NO'", "distributed_type: MULTI_GPU", "distributed_type: FSDP",
            "distributed_type: DEEPSPEED", "distributed_type: 'NO'",
        ])
        #expect(try Self.text(folder + "/job/accelerate/deepspeed_zero3.yaml").contains("zero_stage: 3"))
        #expect(try Self.text(folder + "/job/accelerate/fsdp.yaml").contains("fsdp_auto_wrap_policy: TRANSFORMER_BASED_WRAP"))
        // train.py takes its settings from job.json, under PEFT's and TRL's own names.
        let script = try Self.text(folder + "/job/train.py")
        #expect(script.contains("LoraConfig(**peft_settings)") && script.contains("SFTConfig(**sft)"))
        #expect(script.contains("SFTTrainer") && script.contains("\"labels\""))
    }

    @Test("every training setting reaches job.json exactly, under PEFT's and TRL's argument names")
    func settingsCarriedOver() throws {
        let folder = temporaryDirectory()
        try Self.write(Self.dialogues(0..<4), to: folder + "/train.jsonl")
        try Self.write(Self.dialogues(4..<5), to: folder + "/val.jsonl")
        let parameters = TrainingParameters(
            model: "smollm2", lora: .init(rank: 8, alpha: 32, dropout: 0.1, targets: [.q, .v, .gate], useRSLoRA: true),
            data: folder + "/train.jsonl", validation: folder + "/val.jsonl", learningRate: 2e-5, schedule: .linear,
            warmupSteps: 7, steps: 33, batchSize: 3, gradientAccumulation: 5, maxLength: 777, overflow: .truncatePrompt,
            lastAssistantOnly: true, seed: 42, weightDecay: 0.02, maxGradNorm: 0.5, validateEvery: 11, checkpointEvery: 22)
        try TRLJob.emit(parameters, model: "HuggingFaceTB/SmolLM2-135M-Instruct", to: folder + "/job")
        let job = try Self.json(folder + "/job/job.json")
        #expect(job["model"] as? String == "HuggingFaceTB/SmolLM2-135M-Instruct" && job["local_model"] as? String == "smollm2")
        let peft = try #require(job["peft"] as? [String: Any])
        #expect(peft["r"] as? Int == 8 && peft["lora_alpha"] as? Double == 32 && peft["lora_dropout"] as? Double == 0.1)
        #expect(peft["target_modules"] as? [String] == ["q_proj", "v_proj", "gate_proj"] && peft["use_rslora"] as? Bool == true)
        #expect(peft["bias"] as? String == "none" && peft["task_type"] as? String == "CAUSAL_LM")
        let sft = try #require(job["sft"] as? [String: Any])
        #expect(sft["learning_rate"] as? Double == 2e-5 && sft["lr_scheduler_type"] as? String == "linear")
        #expect(sft["warmup_steps"] as? Int == 7 && sft["per_device_train_batch_size"] as? Int == 3)
        #expect(sft["gradient_accumulation_steps"] as? Int == 5 && sft["max_length"] as? Int == 777)
        #expect(sft["seed"] as? Int == 42 && sft["data_seed"] as? Int == 42 && sft["weight_decay"] as? Double == 0.02)
        #expect(sft["max_grad_norm"] as? Double == 0.5 && sft["eval_steps"] as? Int == 11 && sft["save_steps"] as? Int == 11)
        #expect(sft["eval_strategy"] as? String == "steps" && sft["load_best_model_at_end"] as? Bool == true)
        #expect(sft["metric_for_best_model"] as? String == "eval_loss" && sft["packing"] as? Bool == false)
        let data = try #require(job["data"] as? [String: Any])
        #expect(data["steps"] as? Int == 33 && data["epochs"] as? Int == 1)
        let loss = try #require(job["loss"] as? [String: Any])
        #expect(loss["assistant_turns"] as? String == "last" && loss["too_long"] as? String == "truncate-prompt")
        #expect(loss["max_length"] as? Int == 777)
        // Our own form of the same settings, read back as the trainer reads training.json.
        let ours = try JSONSerialization.data(withJSONObject: try #require(job["clarifycoder"]))
        #expect(try JSONDecoder().decode(TrainingParameters.self, from: ours) == parameters)
        // Checkpoints follow validations so the best adapter can be kept: said, not silently changed.
        let notes = try #require(job["not_carried_over"] as? [String])
        #expect(notes.contains { $0.hasPrefix("checkpoint_every 22") })
        #expect(try Self.text(folder + "/job/README.md").contains("checkpoint_every 22"))
        // The constant schedule keeps its warm-up in transformers' name for it.
        #expect(TRLJobSettings.schedulerType(.constant) == "constant_with_warmup")
    }

    @Test("a mixture's stages become splits in training order, loadable through the dataset card")
    func mixtureStages() throws {
        let folder = temporaryDirectory()
        let parameters = TrainingParameters(
            model: "qwen2.5-coder-0.5b", data: try Self.mixture(in: folder), epochs: 2, groupBy: "problem_id")
        let emitted = try TRLJob.emit(parameters, model: "Qwen/Qwen2.5-Coder-0.5B-Instruct", to: folder + "/job")
        #expect(emitted.examples == ["stage1_code": 6, "stage2_mixed": 10, "validation": 2])
        let data = try #require(try Self.json(folder + "/job/job.json")["data"] as? [String: Any])
        let stages = try #require(data["stages"] as? [[String: Any]])
        #expect(stages.map { $0["split"] as? String } == ["stage1_code", "stage2_mixed"])
        #expect(stages.map { $0["name"] as? String } == ["code", "mixed"] && data["epochs"] as? Int == 2)
        #expect(data["group_by"] as? String == "problem_id" && data["steps"] is NSNull, "every key written, null too")
        // Each line is TRL's conversational format, with the group key the data order keeps together.
        let lines = try Self.text(folder + "/job/dataset/data/stage1_code.jsonl").split(separator: "\n")
        #expect(lines.count == 6)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        let messages = try #require(first["messages"] as? [[String: String]])
        #expect(messages.map { $0["role"] } == ["user", "assistant"] && first["group"] as? String == "p0")
        #expect(messages[1]["content"]?.hasPrefix("The requirements are clear.") == true)
        let card = try Self.text(folder + "/job/dataset/README.md")
        #expect(card.hasPrefix("---\nconfigs:\n- config_name: default\n  data_files:\n"))
        for split in ["stage1_code", "stage2_mixed", "validation"] {
            #expect(card.contains("  - split: \(split)\n    path: data/\(split).jsonl"))
        }
    }

    @Test("the decision term and grouping, which TRL lacks, are listed in the warnings, job.json and README")
    func notCarriedOver() throws {
        let folder = temporaryDirectory()
        try Self.write(Self.dialogues(0..<2), to: folder + "/train.jsonl")
        let parameters = TrainingParameters(
            model: "smollm2", data: folder + "/train.jsonl", steps: 4,
            decision: .init(weight: 0.2, tokens: 1, skipCommonPrefix: true, balanced: true), groupBy: "problem_id")
        let emitted = try TRLJob.emit(parameters, model: "HuggingFaceTB/SmolLM2-135M-Instruct", to: folder + "/job")
        #expect(emitted.warnings.contains { $0.hasPrefix("decision loss term (weight 0.2") && $0.contains("balanced") })
        #expect(emitted.warnings.contains { $0.hasPrefix("group_by problem_id") })
        let readme = try Self.text(folder + "/job/README.md")
        for warning in emitted.warnings { #expect(readme.contains(warning)) }
        #expect(try Self.json(folder + "/job/job.json")["not_carried_over"] as? [String] == emitted.warnings)
    }

    @Test("known models map to their Hugging Face ids; a GGUF path needs --hf-model")
    func modelIDs() throws {
        #expect(try TRLJob.huggingFaceModel(for: "qwen2.5-coder-0.5b", hfModel: nil) == "Qwen/Qwen2.5-Coder-0.5B-Instruct")
        #expect(try TRLJob.huggingFaceModel(for: "qwen2.5-coder-1.5b", hfModel: nil) == "Qwen/Qwen2.5-Coder-1.5B-Instruct")
        #expect(try TRLJob.huggingFaceModel(for: "smollm2", hfModel: nil) == "HuggingFaceTB/SmolLM2-135M-Instruct")
        #expect(try TRLJob.huggingFaceModel(for: "smollm2", hfModel: "org/bigger") == "org/bigger")
        let folder = temporaryDirectory()
        try Self.write("{}", to: folder + "/hf/config.json")
        #expect(try TRLJob.huggingFaceModel(for: folder + "/hf", hfModel: nil) == folder + "/hf")
        try Self.write("GGUF", to: folder + "/model.gguf")
        #expect {
            try TRLJob.huggingFaceModel(for: folder + "/model.gguf", hfModel: nil)
        } throws: { "\($0)".contains("--hf-model") && "\($0)".contains("Qwen/Qwen2.5-Coder-0.5B-Instruct") }
    }

    @Test("bad input is refused with the file, line or option named, and leaves no folder behind")
    func badInput() throws {
        let folder = temporaryDirectory()
        try Self.write(Self.dialogues(0..<1) + "{\"messages\": [{\"role\": \"robot\", \"content\": \"x\"}]}\n", to: folder + "/bad.jsonl")
        let bad = TrainingParameters(model: "smollm2", data: folder + "/bad.jsonl", steps: 2)
        #expect {
            try TRLJob.emit(bad, model: "m", to: folder + "/job")
        } throws: { "\($0)".contains("bad.jsonl:3: field 'messages[0].role'") }
        #expect(!FileManager.default.fileExists(atPath: folder + "/job"))
        try Self.write(Self.dialogues(0..<1), to: folder + "/good.jsonl")
        let full = TrainingParameters(model: "smollm2", fullFineTune: true, data: folder + "/good.jsonl", steps: 2)
        #expect { try TRLJob.emit(full, model: "m", to: folder + "/job") } throws: { "\($0)".contains("LoRA") }
        var zeroRank = TrainingParameters(model: "smollm2", data: folder + "/good.jsonl", steps: 2)
        zeroRank.lora.rank = 0
        #expect { try TRLJob.emit(zeroRank, model: "m", to: folder + "/job") } throws: { "\($0)".contains("rank") }
        try Self.write("keep me", to: folder + "/busy/notes.txt")
        let good = TrainingParameters(model: "smollm2", data: folder + "/good.jsonl", steps: 2)
        #expect { try TRLJob.emit(good, model: "m", to: folder + "/busy") } throws: { "\($0)".contains("not empty") }
        #expect(try Self.text(folder + "/busy/notes.txt") == "keep me")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains("partial") }
        #expect(leftovers.isEmpty)
    }

    @Test("train.backend trl: the stage writes the job to RUN_DIR/train/job, stops until its adapter is there, then finishes")
    func pipelineHandOff() throws {
        let run = temporaryDirectory()
        _ = try Self.mixture(in: run)
        try Self.write("{}", to: run + "/base/config.json")
        var config = PipelineConfig.quick
        config.train.model = run + "/base"
        config.train.backend = "trl"
        config.train.hfModel = "Qwen/Qwen2.5-Coder-0.5B-Instruct"
        try config.validate()
        let layout = RunLayout(root: run)
        func context(resume: Bool) -> StageContext {
            StageContext(runDirectory: run, directory: layout.training, resume: resume) { _, _ in }
        }
        #expect {
            try TrainStage.handOff(config, layout: layout, context: context(resume: false))
        } throws: { "\($0)".contains("launch.sh") && "\($0)".contains(layout.adapter) && "\($0)".contains("--resume") }
        let job = try Self.json(layout.training + "/job/job.json")
        #expect(job["output_dir"] as? String == ".." && job["model"] as? String == "Qwen/Qwen2.5-Coder-0.5B-Instruct")
        try Self.write("kept", to: layout.training + "/job/marker")
        let pair = LoRAAdapter.Pair(
            a: [Float](repeating: 0.1, count: 8), b: [Float](repeating: 0.2, count: 8), inFeatures: 4, outFeatures: 4)
        try LoRAAdapter(config: LoRAConfig(rank: 2, targets: [.q]), modules: ["model.layers.0.self_attn.q_proj": pair])
            .write(to: layout.adapter)
        try TrainStage.handOff(config, layout: layout, context: context(resume: true))
        #expect(try Self.text(layout.training + "/job/marker") == "kept", "a resumed stage keeps the job it wrote")
    }

    @Test("train.backend and train.hf_model are checked with the key named")
    func pipelineKeys() {
        var config = PipelineConfig.quick
        config.train.backend = "gpu"
        #expect { try config.validate() } throws: { "\($0)".contains("train.backend") }
        config.train.backend = "local"
        config.train.hfModel = "org/model"
        #expect { try config.validate() } throws: { "\($0)".contains("train.hf_model") && "\($0)".contains("trl") }
        #expect(PipelineConfig.standard.train.backend == "local" && ConfigField.named("train.backend") != nil)
    }
}
