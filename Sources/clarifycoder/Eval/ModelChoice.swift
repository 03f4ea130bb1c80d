import Backends
import ClarifyCore
import Eval
import Foundation
import LLM

/// The model and evaluator an `eval` invocation names, built from its flags, and what must be shut
/// down afterwards (HTTP clients).
struct ModelChoice {
    var model: any ChatModel
    var evaluator: EvaluatorChoice
    var clients: [OpenAICompatibleModel]

    func shutdown() async {
        for client in clients { try? await client.shutdown() }
    }

    static func load(_ command: EvalCommand, problems: [Problem]) async throws -> ModelChoice {
        var clients: [OpenAICompatibleModel] = []
        func endpoint(_ name: String, baseURL: String) throws -> OpenAICompatibleModel {
            let client = try OpenAICompatibleModel(
                configuration: OpenAIConfiguration(
                    baseURL: baseURL, model: name, apiKeyEnvironmentVariable: command.apiKeyEnv,
                    maxConcurrentRequests: command.concurrency))
            clients.append(client)
            return client
        }
        do {
            let model: any ChatModel
            switch command.model {
            case "reference":
                model = ReferenceChatModel(problems: problems)
            case let name where name.hasPrefix("openai:"):
                model = try endpoint(String(name.dropFirst(7)), baseURL: command.baseURL)
            default:
                model = try localModel(command)
            }
            let evaluator: EvaluatorChoice
            if command.evaluator.hasPrefix("openai:") {
                evaluator = .model(
                    try endpoint(
                        String(command.evaluator.dropFirst(7)), baseURL: command.evaluatorBaseURL ?? command.baseURL))
            } else {
                evaluator = .heuristic
            }
            return ModelChoice(model: model, evaluator: evaluator, clients: clients)
        } catch {
            for client in clients { try? await client.shutdown() }
            throw CommandFailure(error)
        }
    }

    /// `smollm2` (the cached embedded model), a .gguf file or a Hugging Face folder, on the local engine.
    static func localModel(_ command: EvalCommand) throws -> LocalChatModel {
        let path = command.model == "smollm2" ? try AssetStore().path(for: .model) : command.model
        var template: ChatTemplate?
        if let name = command.template {
            guard let named = ChatTemplate(named: name) else {
                throw CommandFailure(message: "unknown --template \(name); known: \(ChatTemplate.names.joined(separator: ", "))")
            }
            template = named
        }
        // The adapter is part of the model's identity: runs and their replayed calls must not mix
        // a tuned model with its base.
        let adapter = try command.adapter.map { try LoRAAdapter(folder: $0) }
        let engine = try LanguageModel(path: path, adapter: adapter)
        let base = command.model == "smollm2" ? "smollm2-135m-instruct-q4_1" : "local:" + path
        // Named by content (PEFT's weights file), so a resume from another directory still matches.
        let identity = try command.adapter.map { folder in
            let digest = try FileHash.sha256(path: folder + "/adapter_model.safetensors")
            return base + "+adapter:" + (folder as NSString).lastPathComponent + "@" + digest.prefix(12)
        } ?? base
        return LocalChatModel(
            engine: engine, identity: identity, template: template, maxBatch: command.concurrency,
            threads: command.threads)
    }
}

/// The headline metrics of a finished run, as printed by `eval`.
enum EvalSummary {
    static func percent(_ value: Double?) -> String {
        value.map { String(format: "%.1f%%", $0 * 100) } ?? "—"
    }

    static func render(_ result: EvaluationResult) -> String {
        let run = result.run
        let breakdown = result.breakdown
        let approximate = run.evaluatorKind.isApproximate ? " (approximate: heuristic evaluator)" : ""
        var lines: [String] = []
        let prompts = result.statusCounts.values.reduce(0, +)
        let failures = result.statusCounts.filter { $0.key == .modelFailed || $0.key == .evaluatorFailed }
            .sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.rawValue)" }
        lines.append(
            "run \(run.id): \(run.mode.rawValue) on \(run.benchmark), model \(run.model), evaluator "
                + "\(run.evaluatorName ?? "none") — \(prompts) prompt samples"
                + (failures.isEmpty ? "" : " (\(failures.joined(separator: ", ")))"))
        func block(_ title: String, _ summary: MetricSummary, original: Bool) {
            guard summary.items > 0 else { return }
            lines.append("\(title) (\(summary.items)):")
            let label = original ? "Over-asking rate" : "Communication Rate"
            lines.append(
                "  \(label.padding(toLength: 20, withPad: " ", startingAt: 0)) strict \(percent(summary.communicationRate))"
                    + "   paper rule \(percent(summary.communicationRatePaper))"
                    + (summary.communicationRateLLM == nil ? "" : "   LLM classifier \(percent(summary.communicationRateLLM))"))
            if !original, run.evaluatorKind != .none {
                lines.append("  Good Question Rate   \(percent(summary.goodQuestionRate))\(approximate)")
            }
            for (k, value) in summary.passAtK.sorted(by: { $0.key < $1.key }) {
                lines.append("  \("Pass@\(k)".padding(toLength: 20, withPad: " ", startingAt: 0)) \(percent(value))")
            }
            if summary.passAtK.isEmpty { lines.append("  Pass@1               \(percent(summary.passAt1))") }
            lines.append("  Test Pass Rate       \(percent(summary.testPassRate))")
            if summary.sandboxErrors > 0 { lines.append("  sandbox errors       \(summary.sandboxErrors) items") }
        }
        block("Modified prompts", breakdown.modified, original: false)
        block("Original prompts", breakdown.original, original: true)
        lines.append("recorded in \(result.storePath)")
        return lines.joined(separator: "\n")
    }
}
