import Foundation
import LLM
import Testing

@testable import Pipeline

@Suite("Pipeline config")
struct ConfigTests {
    @Test("the pipeline's LoRA keys default to the library's LoRA settings, written as a person would")
    func loraDefaults() {
        let train = PipelineConfig.standard.train
        let settings = LoRASettings(
            rank: train.loraRank, alpha: Float(train.loraAlpha), dropout: Float(train.loraDropout),
            targets: train.loraTargets.compactMap(LoRATarget.init(rawValue:)))
        #expect(settings == LoRASettings.defaults)
        #expect(train.loraDropout == 0.05 && PipelineConfig.standard.yaml.contains("lora_dropout: 0.05 "))
    }

    @Test("a YAML file sets nested keys on top of the preset")
    func fileOverridesPreset() throws {
        let yaml = """
            seed: 7
            mix:
              ratio: "60:40"
              confirmation: false
            train:
              lr: 1e-4
              steps: null
              epochs: 2
              lora_targets: [q, v]
            """
        let config = try ConfigFile.parse(yaml, file: "p.yaml", over: .quick)
        #expect(config.seed == 7)
        #expect(config.mix.ratio == "60:40")
        #expect(config.mix.confirmation == false)
        #expect(config.train.learningRate == 1e-4)
        #expect(config.train.steps == nil)
        #expect(config.train.epochs == 2)
        #expect(config.train.loraTargets == ["q", "v"])
        // Untouched keys keep the preset's value.
        #expect(config.synthesis.problemLimit == PipelineConfig.quick.synthesis.problemLimit)
    }

    @Test("an unknown key is an error naming the file, the line and the key")
    func unknownKey() {
        let yaml = "seed: 1\ntrain:\n  lr: 1e-4\n  lora_rank: 8\n"
        #expect {
            _ = try ConfigFile.parse(yaml, file: "conf.yaml", over: .standard)
        } throws: { error in
            let text = String(describing: error)
            return text.hasPrefix("conf.yaml:4:") && text.contains("train.lora_rank") && text.contains("lora_r")
        }
    }

    @Test("an unknown section and a value of the wrong type are located errors")
    func unknownSectionAndWrongType() {
        #expect {
            _ = try ConfigFile.parse("seed: 1\ntraining:\n  lr: 1\n", file: "a.yaml", over: .standard)
        } throws: { String(describing: $0).hasPrefix("a.yaml:2:") && String(describing: $0).contains("'training'") }
        #expect {
            _ = try ConfigFile.parse("train:\n  steps: many\n", file: "b.yaml", over: .standard)
        } throws: { String(describing: $0).hasPrefix("b.yaml:2:") && String(describing: $0).contains("whole number") }
        #expect {
            _ = try ConfigFile.parse("train:\n  lr: null\n", file: "c.yaml", over: .standard)
        } throws: { String(describing: $0).hasPrefix("c.yaml:2:") && String(describing: $0).contains("cannot be null") }
        #expect {
            _ = try ConfigFile.parse("- a\n- b\n", file: "d.yaml", over: .standard)
        } throws: { String(describing: $0).hasPrefix("d.yaml:1:") }
    }

    @Test("flags override the file, which overrides the preset")
    func precedence() throws {
        let fromFile = try ConfigFile.parse("train:\n  lr: 0.001\n  batch_size: 8\n", file: "f.yaml", over: .quick)
        let resolved = try ConfigFile.override(fromFile, with: ["train.lr=5e-5", "eval.humaneval_limit=null", "synthesis.kinds=ambiguous,2ap"])
        #expect(resolved.train.learningRate == 5e-5)
        #expect(resolved.train.batchSize == 8)
        #expect(resolved.train.steps == PipelineConfig.quick.train.steps)
        #expect(resolved.eval.humanevalLimit == nil)
        #expect(resolved.synthesis.kinds == ["ambiguous", "2ap"])
        #expect(try ConfigFile.override(resolved, with: ["eval.repetition_penalty=1.1"]).eval.repetitionPenalty == 1.1)
        #expect(try ConfigFile.override(resolved, with: ["eval.repetition_penalty=null"]).eval.repetitionPenalty == nil)
        let penalised = try ConfigFile.override(resolved, with: ["eval.presence_penalty=0.5", "eval.frequency_penalty=-1"])
        #expect(penalised.eval.presencePenalty == 0.5 && penalised.eval.frequencyPenalty == -1)
        #expect(throws: PipelineError.self) { try ConfigFile.override(resolved, with: ["train.nope=1"]) }
        #expect(throws: PipelineError.self) { try ConfigFile.override(resolved, with: ["train.steps=ten"]) }
        #expect(throws: PipelineError.self) { try ConfigFile.override(resolved, with: ["train.steps"]) }
    }

    @Test("the resolved config.yaml reads back to the same config")
    func roundTrip() throws {
        var config = PipelineConfig.quick
        config.synthesis.model = "openai:some \"quoted\" name"
        config.synthesis.synthesizer = "llm"
        config.eval.humanevalcommLimit = nil
        config.train.learningRate = 3e-5
        config.eval.repetitionPenalty = 1.2
        config.eval.presencePenalty = 0.4
        config.eval.frequencyPenalty = 0.1
        let back = try ConfigFile.parse(config.yaml, file: "config.yaml", over: .standard)
        #expect(back == config)
        for field in ConfigField.all { #expect(config.yaml.contains(field.name + ":")) }
    }

    @Test("a run's config.yaml saved before a key existed reads it as it behaved then, not as today's default")
    func savedBeforeKeysExisted() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("saved-config-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let current = PipelineConfig.standard
        let old = current.yaml.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { line in
                !["decision_weight:", "decision_tokens:", "decision_skip_prefix:", "group_by:", "repetition_penalty:", "presence_penalty:",
                  "frequency_penalty:", "docstrings:"]
                    .contains { line.contains($0) }
            }
            .joined(separator: "\n")
        try old.write(toFile: RunLayout(root: folder).config, atomically: true, encoding: .utf8)
        let saved = try #require(try Pipeline.savedConfig(runDirectory: folder))
        #expect(saved.train.groupBy == nil && saved.train.decisionWeight == 0 && !saved.train.decisionSkipPrefix)
        #expect(saved.eval.repetitionPenalty == nil && saved.eval.presencePenalty == nil && saved.eval.frequencyPenalty == nil)
        #expect(saved.mix.docstrings)
        #expect(PipelineConfig.savedBase.train == saved.train && PipelineConfig.savedBase.mix == saved.mix)
        try current.yaml.write(toFile: RunLayout(root: folder).config, atomically: true, encoding: .utf8)
        #expect(try Pipeline.savedConfig(runDirectory: folder) == current, "a complete config.yaml reads back unchanged")
    }

    @Test("inconsistent settings are refused with the key at fault")
    func validation() throws {
        var config = PipelineConfig.standard
        try config.validate()
        config.mix.ratio = "40-60"
        #expect { try config.validate() } throws: { String(describing: $0).hasPrefix("mix.ratio:") }
        config = .standard
        config.synthesis.synthesizer = "llm"
        #expect { try config.validate() } throws: { String(describing: $0).hasPrefix("synthesis.model:") }
        config = .standard
        config.train.loraTargets = ["q", "qkv"]
        #expect { try config.validate() } throws: { String(describing: $0).contains("qkv") }
        config = .standard
        config.eval.samples = 5
        #expect { try config.validate() } throws: { String(describing: $0).hasPrefix("eval.samples:") }
        config = .standard
        config.train.decisionWeight = -1
        #expect { try config.validate() } throws: { String(describing: $0).hasPrefix("train.decision_weight:") }
        config = .standard
        config.train.decisionTokens = 0
        #expect { try config.validate() } throws: { String(describing: $0).hasPrefix("train.decision_tokens:") }
        config = .standard
        config.synthesis.bankStyle = "fancy"
        #expect { try config.validate() } throws: { String(describing: $0).hasPrefix("synthesis.bank_style:") }
        config.synthesis.bankStyle = "varied"
        #expect(throws: Never.self) { try config.validate() }
        config.synthesis.problems = "problems.jsonl"
        #expect { try config.validate() } throws: { String(describing: $0).hasPrefix("synthesis.bank_style:") }
        config.synthesis.bankStyle = "doctest"
        var expected = PipelineConfig.standard
        expected.synthesis.problems = "problems.jsonl"
        #expect(config == expected)  // doctest is stored as nil, as before the option
        config = .standard
        config.train.decisionWeight = 0
        config.train.decisionBalance = true
        #expect { try config.validate() } throws: { String(describing: $0).hasPrefix("train.decision_balance:") }
        config.train.decisionWeight = 0.2
        #expect(throws: Never.self) { try config.validate() }
        config = .standard
        config.train.groupBy = " "
        #expect { try config.validate() } throws: { String(describing: $0).hasPrefix("train.group_by:") }
        config = .standard
        config.train.baseWeights = "int4"
        #expect { try config.validate() } throws: { String(describing: $0).hasPrefix("train.base_weights:") }
        config = .standard
        config.train.checkpointing = "sometimes"
        #expect { try config.validate() } throws: { String(describing: $0).hasPrefix("train.checkpointing:") }
        config.train.checkpointing = "off"
        config.train.baseWeights = "float32"
        #expect(throws: Never.self) { try config.validate() }
        config = .standard
        config.eval.repetitionPenalty = 0
        #expect { try config.validate() } throws: { String(describing: $0).hasPrefix("eval.repetition_penalty:") }
        config = .standard
        config.eval.presencePenalty = 2.5
        #expect { try config.validate() } throws: { String(describing: $0).hasPrefix("eval.presence_penalty:") }
        config = .standard
        config.eval.frequencyPenalty = -.infinity
        #expect { try config.validate() } throws: { String(describing: $0).hasPrefix("eval.frequency_penalty:") }
        config = .standard
        config.eval.humanevalcomm = "/nonexistent/hec.jsonl"
        #expect { try config.validate() } throws: { String(describing: $0).hasPrefix("eval.humanevalcomm:") }
    }
}
