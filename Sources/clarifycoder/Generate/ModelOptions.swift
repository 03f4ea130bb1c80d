import ArgumentParser
import ClarifyCore
import Foundation
import LLM
import Tensor

/// Options shared by `generate` and `chat`: which model, how to hold it, how to sample.
struct ModelOptions: ParsableArguments {
    @Option(help: "A model known by name (\(KnownModel.names.joined(separator: ", ")); see `clarifycoder models`), a .gguf file or a Hugging Face folder.")
    var model: String = "smollm2"

    @Option(help: "Chat format when the model's own is not recognised: \(ChatTemplate.names.joined(separator: ", ")).")
    var template: String?

    @Option(
        help: "Weights in memory: native (keep GGUF quantizations; fastest), nativeExact (quantized weights, fp32 activations) or float32.")
    var precision: String = "native"

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Option(help: "A LoRA adapter folder (PEFT format) to run on top of the model, unmerged.")
    var adapter: String?

    func validate() throws {
        _ = try modelSpec()
        guard WeightPrecision(rawValue: precision) != nil else {
            throw ValidationError(
                "--precision must be \(WeightPrecision.allCases.map(\.rawValue).joined(separator: ", ")), got \(precision)")
        }
        if let template, ChatTemplate(named: template) == nil {
            throw ValidationError("unknown --template \(template); known: \(ChatTemplate.names.joined(separator: ", "))")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    var chatTemplate: ChatTemplate? { template.flatMap { ChatTemplate(named: $0) } }

    /// `--model` as a local model (a known name, a .gguf file or a Hugging Face folder).
    func modelSpec() throws -> ModelSpec {
        try ModelArgument.parse(model, option: "--model", localOnly: true)
    }

    /// `--threads` as the budget the command runs its model under.
    var budget: ThreadBudget { .threads(threads) }

    /// Resolves a known name through the asset cache and loads the model.
    func load() throws -> LanguageModel {
        do {
            let path = try modelSpec().localPath(role: "--model")
            let lora = try adapter.map { try LoRAAdapter(folder: $0) }
            return try LanguageModel(path: path, precision: WeightPrecision(rawValue: precision)!, adapter: lora)
        } catch {
            throw CommandFailure(error)
        }
    }
}

/// The decoding flags of `generate`, `chat` and `eval`, parsed into the library's one
/// ``DecodingSettings`` (whose defaults they show and whose rules check them).
struct DecodingOptions: ParsableArguments {
    @Option(help: "Sampling temperature, 0 to 2 (0: greedy decoding).")
    var temperature: Double = DecodingSettings.defaults.temperature

    @Option(name: .customLong("max-tokens"), help: "New tokens at most per answer (default: \(DecodingSettings.defaults.maxTokens)).")
    var maxTokens: Int?

    @Option(help: "Seed of the sampler; sample i of a prompt uses seed + i (default: \(DecodingSettings.defaults.seed)).")
    var seed: Int?

    @Option(name: .customLong("top-k"), help: "Sample among the k most likely tokens (default: all).")
    var topK: Int?

    @Option(name: .customLong("top-p"), help: "Nucleus sampling: sample among the most likely tokens holding this much probability, in (0, 1] (default: all).")
    var topP: Double?

    @Option(name: .customLong("repetition-penalty"), help: "Penalise tokens already in the conversation, prompt included, as transformers does (default: off).")
    var repetitionPenalty: Double?

    @Option(name: .customLong("presence-penalty"), parsing: .unconditional, help: "OpenAI's presence penalty, -2 to 2: lower every token the answer already holds, once; the prompt's are left alone (default: off).")
    var presencePenalty: Double?

    @Option(name: .customLong("frequency-penalty"), parsing: .unconditional, help: "OpenAI's frequency penalty, -2 to 2: lower a token once per time the answer already holds it (default: off).")
    var frequencyPenalty: Double?

    @Option(name: .customLong("stop"), help: "Stop before this text (repeatable).")
    var stop: [String] = []

    /// The settings these flags give (what is not given takes ``DecodingSettings``' defaults).
    var settings: DecodingSettings {
        let defaults = DecodingSettings.defaults
        return DecodingSettings(
            maxTokens: maxTokens ?? defaults.maxTokens, temperature: temperature, topP: topP, topK: topK,
            repetitionPenalty: repetitionPenalty, presencePenalty: presencePenalty, frequencyPenalty: frequencyPenalty,
            seed: seed ?? defaults.seed, stop: stop)
    }

    /// The engine's parameters for these flags (`generate`, `chat`).
    var parameters: GenerationParameters { GenerationParameters(settings) }

    func validate() throws {
        if let (key, message) = settings.problem {
            throw ValidationError("--\(key.replacingOccurrences(of: "_", with: "-")) \(message)")
        }
    }
}

/// Writes generated text as it arrives (stdout is line-buffered otherwise).
func writeStreamed(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}
