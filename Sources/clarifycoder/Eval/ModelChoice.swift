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
                    maxConcurrentRequests: command.posing.concurrency))
            clients.append(client)
            return client
        }
        do {
            let model = try chatModel(
                command.modelSpec(), command: command, problems: problems, adapter: command.adapter
            ) { try endpoint($0, baseURL: command.baseURL) }
            let evaluator: EvaluatorChoice
            switch try command.evaluatorSpec() {
            case .heuristic:
                evaluator = .heuristic
            case .model(let spec):
                evaluator = .model(
                    try chatModel(spec, command: command, problems: problems, adapter: nil) {
                        try endpoint($0, baseURL: command.evaluatorBaseURL ?? command.baseURL)
                    })
            case .localJudge(let spec, let variant):
                evaluator = .evaluator(
                    try EvaluatorArgument.localJudge(
                        spec, variant: variant, concurrency: command.posing.concurrency, threads: command.threads))
            }
            return ModelChoice(model: model, evaluator: evaluator, clients: clients)
        } catch {
            for client in clients { try? await client.shutdown() }
            throw CommandFailure(error)
        }
    }

    /// The chat model a spec names: the reference solutions, an endpoint, or the local engine (a
    /// known name from the cache, a .gguf file or a Hugging Face folder, with an optional adapter).
    static func chatModel(
        _ spec: ModelSpec, command: EvalCommand, problems: [Problem], adapter: String?,
        endpoint: (String) throws -> OpenAICompatibleModel
    ) throws -> any ChatModel {
        switch spec {
        case .reference: return ReferenceChatModel(problems: problems)
        case .openAI(let name): return try endpoint(name)
        case .known, .gguf, .huggingFaceFolder:
            var template: ChatTemplate?
            if let name = command.template {
                guard let named = ChatTemplate(named: name) else {
                    throw CommandFailure(
                        message: "unknown --template \(name); known: \(ChatTemplate.names.joined(separator: ", "))")
                }
                template = named
            }
            return try LocalChatModel(
                spec: spec, adapter: adapter, template: template, maxBatch: command.posing.concurrency,
                threads: command.threads)
        }
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
