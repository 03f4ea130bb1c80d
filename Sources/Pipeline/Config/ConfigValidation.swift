import ClarifyCore
import Foundation
import Eval
import LLM
import Synth

extension PipelineConfig {
    /// The resolved config as YAML, with each key's meaning as a comment: what `RUN_DIR/config.yaml`
    /// holds, and a valid `--config` file (reading it back gives the same config).
    public var yaml: String {
        var lines = [
            "# ClarifyCoder pipeline config, resolved (defaults, then --config, then flags).",
            "# Every key is described in docs/pipeline.md; unknown keys are errors.",
        ]
        for field in ConfigField.all where field.section == nil {
            lines.append("\(field.name): \(Self.yamlValue(field.value(in: self)))  # \(field.help)")
        }
        for section in ConfigField.sections {
            lines.append("\(section):")
            for field in ConfigField.all where field.section == section {
                lines.append("  \(field.name): \(Self.yamlValue(field.value(in: self)))  # \(field.help)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func yamlValue(_ value: ConfigValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        case .string(let text): return quoted(text)
        case .list(let items): return "[" + items.map(quoted).joined(separator: ", ") + "]"
        }
    }

    /// A YAML double-quoted scalar (JSON's escapes are a subset of YAML's).
    static func quoted(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\\/", with: "/")
    }

    /// The (original, clarify) parts of `mix.ratio`.
    public var ratioParts: (original: Int, clarify: Int)? {
        let parts = mix.ratio.split(separator: ":").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let original = parts[0], let clarify = parts[1], original >= 0, clarify >= 0,
            original + clarify > 0 else { return nil }
        return (original, clarify)
    }

    /// Checks that the settings make sense together; errors name the key at fault.
    public func validate() throws(PipelineError) {
        func fail(_ key: String, _ message: String) -> PipelineError { PipelineError.config(key, message) }
        func spec(_ key: String, _ text: String) throws(PipelineError) -> ModelSpec {
            do { return try ModelSpec(parsing: text) } catch { throw fail(key, error.description) }
        }
        switch synthesis.synthesizer {
        case "rules":
            if synthesis.model != nil { throw fail("synthesis.model", "set only with synthesis.synthesizer: llm") }
        case "llm":
            guard let model = synthesis.model else {
                throw fail("synthesis.model", "synthesis.synthesizer llm needs a model (openai:NAME or a local model)")
            }
            guard try spec("synthesis.model", model) != .reference else {
                throw fail("synthesis.model", "must be openai:NAME or a local model, not reference")
            }
        default: throw fail("synthesis.synthesizer", "'\(synthesis.synthesizer)' is not rules or llm")
        }
        if let limit = synthesis.problemLimit, limit < 1 { throw fail("synthesis.problem_limit", "must be at least 1") }
        if synthesis.kinds.isEmpty { throw fail("synthesis.kinds", "name at least one kind") }
        guard synthesis.perProblem >= 1 else { throw fail("synthesis.per_problem", "must be at least 1") }
        guard synthesis.concurrency >= 1 else { throw fail("synthesis.concurrency", "must be at least 1") }
        guard BankPromptStyle(rawValue: synthesis.bankStyle) != nil else {
            throw fail("synthesis.bank_style", "'\(synthesis.bankStyle)' is not doctest or varied")
        }
        if synthesis.bankStyle != BankPromptStyle.doctest.rawValue, synthesis.problems != "bank" {
            throw fail("synthesis.bank_style", "lays out the problem bank's prompts; synthesis.problems is a dataset file")
        }
        guard ratioParts != nil else { throw fail("mix.ratio", "'\(mix.ratio)' is not two non-negative parts like 50:50") }
        guard ["dialogue", "questions"].contains(mix.target) else {
            throw fail("mix.target", "'\(mix.target)' is not dialogue or questions")
        }
        guard (0..<1).contains(mix.validationFraction) else { throw fail("mix.validation_fraction", "must be in [0, 1)") }
        guard (1...2).contains(mix.stages) else { throw fail("mix.stages", "must be 1 or 2") }
        guard try spec("train.model", train.model).isLocal else {
            throw fail(
                "train.model",
                "must be a local model (\(KnownModel.names.joined(separator: ", ")), a .gguf file or a Hugging Face "
                    + "folder), not \(train.model)")
        }
        guard train.loraRank >= 1 else { throw fail("train.lora_r", "must be at least 1") }
        guard train.loraAlpha >= 1 else { throw fail("train.lora_alpha", "must be at least 1") }
        guard (0..<1).contains(train.loraDropout) else { throw fail("train.lora_dropout", "must be in [0, 1)") }
        let targets = Set(["q", "k", "v", "o", "gate", "up", "down"])
        if train.loraTargets.isEmpty { throw fail("train.lora_targets", "name at least one projection") }
        for target in train.loraTargets where !targets.contains(target) {
            throw fail("train.lora_targets", "'\(target)' is not one of q, k, v, o, gate, up, down")
        }
        guard train.learningRate > 0 else { throw fail("train.lr", "must be above 0") }
        switch (train.steps, train.epochs) {
        case (nil, nil): throw fail("train.steps", "set train.steps or train.epochs")
        case (let steps?, _) where steps < 1: throw fail("train.steps", "must be at least 1")
        case (nil, let epochs?) where epochs < 1: throw fail("train.epochs", "must be at least 1")
        default: break
        }
        guard train.batchSize >= 1 else { throw fail("train.batch_size", "must be at least 1") }
        guard train.gradAccum >= 1 else { throw fail("train.grad_accum", "must be at least 1") }
        guard train.maxLength >= 32 else { throw fail("train.max_length", "must be at least 32") }
        guard train.warmup >= 0 else { throw fail("train.warmup", "must be 0 or more") }
        guard ["cosine", "linear"].contains(train.schedule) else {
            throw fail("train.schedule", "'\(train.schedule)' is not cosine or linear")
        }
        guard train.validationEvery >= 0 else { throw fail("train.validation_every", "must be 0 or more") }
        guard train.decisionWeight >= 0, train.decisionWeight.isFinite else {
            throw fail("train.decision_weight", "must be 0 or more")
        }
        guard train.decisionTokens >= 1 else { throw fail("train.decision_tokens", "must be at least 1") }
        if train.decisionBalance, train.decisionWeight == 0 {
            throw fail("train.decision_balance", "weighs the decision loss, which train.decision_weight 0 turns off; set a weight or drop it")
        }
        if let key = train.groupBy, key.trimmingCharacters(in: .whitespaces).isEmpty {
            throw fail("train.group_by", "must name a metadata key such as problem_id, or be null")
        }
        if let value = train.baseWeights, TrainingParameters.BaseWeights(rawValue: value) == nil {
            throw fail("train.base_weights", "'\(value)' is not quantized or float32")
        }
        if let value = train.checkpointing, TrainingParameters.Checkpointing(rawValue: value) == nil {
            throw fail("train.checkpointing", "'\(value)' is not auto, on or off")
        }
        if let threads = train.threads, threads < 1 { throw fail("train.threads", "must be at least 1") }
        guard let backend = TrainBackend(rawValue: train.backend) else {
            throw fail("train.backend", "'\(train.backend)' is not local or trl")
        }
        if backend == .trl {
            do { _ = try TRLJob.huggingFaceModel(for: train.model, hfModel: train.hfModel, option: "train.hf_model") } catch {
                throw fail("train.hf_model", "\(error)")
            }
        } else if train.hfModel != nil {
            throw fail("train.hf_model", "set only with train.backend: trl")
        }
        do { _ = try EvaluatorSpec(parsing: eval.evaluator) } catch { throw fail("eval.evaluator", error.description) }
        if eval.humanevalcomm != "offline", !FileManager.default.fileExists(atPath: eval.humanevalcomm) {
            throw fail("eval.humanevalcomm", "\(eval.humanevalcomm) does not exist; give a HumanEvalComm JSONL file or offline")
        }
        if let limit = eval.humanevalLimit, limit < 0 { throw fail("eval.humaneval_limit", "must be 0 or more") }
        if let limit = eval.humanevalcommLimit, limit < 0 { throw fail("eval.humanevalcomm_limit", "must be 0 or more") }
        // The evaluation and decoding rules are ``EvaluationOptions``' own; their keys are the pipeline's
        // under `eval.`.
        if let (key, message) = eval.options(seed: seed, concurrency: EvaluationOptions.defaults.concurrency).problem {
            throw fail("eval." + key, message)
        }
        guard eval.maxTokens >= 16 else { throw fail("eval.max_tokens", "must be at least 16") }
        if let threads = eval.threads, threads < 1 { throw fail("eval.threads", "must be at least 1") }
        for format in report.formats where !["html", "md", "json"].contains(format) {
            throw fail("report.formats", "'\(format)' is not html, md or json")
        }
        guard report.examples >= 0 else { throw fail("report.examples", "must be 0 or more") }
    }
}
