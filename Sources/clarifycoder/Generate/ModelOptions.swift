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

struct SamplingOptions: ParsableArguments {
    @Option(help: "0 for greedy decoding; above 0 samples.")
    var temperature: Float = 0

    @Option(name: .customLong("max-tokens"), help: "New tokens at most.")
    var maxTokens: Int = 256

    @Option(help: "Seed of the sampler.")
    var seed: UInt64 = 0

    @Option(name: .customLong("top-k"), help: "Sample among the k most likely tokens (0: all).")
    var topK: Int = 0

    @Option(name: .customLong("top-p"), help: "Sample among the most likely tokens holding this much probability.")
    var topP: Float = 1

    @Option(name: .customLong("repetition-penalty"), help: "Penalise tokens already seen (1: off).")
    var repetitionPenalty: Float = 1

    @Option(name: .customLong("presence-penalty"), parsing: .unconditional, help: "Lower tokens the output already holds, once (OpenAI's; 0: off).")
    var presencePenalty: Float = 0

    @Option(name: .customLong("frequency-penalty"), parsing: .unconditional, help: "Lower tokens once per time the output holds them (OpenAI's; 0: off).")
    var frequencyPenalty: Float = 0

    @Option(name: .customLong("stop"), help: "Stop before this text (repeatable).")
    var stopStrings: [String] = []

    var parameters: GenerationParameters {
        GenerationParameters(
            maxTokens: maxTokens, temperature: temperature, topK: topK, topP: topP,
            repetitionPenalty: repetitionPenalty, presencePenalty: presencePenalty, frequencyPenalty: frequencyPenalty,
            seed: seed, stopStrings: stopStrings)
    }

    func validate() throws {
        do {
            try parameters.validate()
        } catch {
            throw ValidationError(String(describing: error))
        }
    }
}

/// Writes generated text as it arrives (stdout is line-buffered otherwise).
func writeStreamed(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}
