import Backends
import ClarifyCore
import Foundation
import Sandbox
import Testing

@testable import Eval

/// Shared pieces of the run tests: data, a sandbox pool, scratch stores and a run helper.
enum EvalRunSupport {
    static let pool: SandboxPool = {
        // A failure to build the sandbox shows up in every run test as a thrown error from `Sandbox()`.
        SandboxPool(sandbox: try! Sandbox(), workers: 2)
    }()

    static func humanEval() throws -> [Problem] {
        let path = try AssetStore().path(for: .humaneval)
        return try DatasetReader.loadProblems(path: path).problems
    }

    /// The four real HumanEvalComm records of the ClarifyCore fixture (HumanEval/32's templates included).
    static func humanEvalCommSample() throws -> [Problem] {
        try DatasetReader.loadProblems(path: fixturePath("humanevalcomm-v1-sample.jsonl"), format: .humanevalcomm)
            .problems
    }

    static func fixturePath(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ClarifyCoreTests/Fixtures/\(name)").path
    }

    static func scratchStore(_ name: String) -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("clarifycoder-eval-\(name)-\(UUID().uuidString)")
        return directory.appendingPathComponent("run.sqlite").path
    }

    static func run(
        _ problems: [Problem], mode: EvaluationMode, model: any ChatModel, evaluator: EvaluatorChoice = .heuristic,
        store: String, samples: Int = 1, temperature: Double = 0, chunkSize: Int = 32, resume: Bool = false,
        limit: Int? = nil, repetitionPenalty: Double? = nil, presencePenalty: Double? = nil,
        frequencyPenalty: Double? = nil
    ) async throws -> EvaluationResult {
        let parameters = EvaluationParameters(
            benchmark: "test", problems: problems, mode: mode, limit: limit,
            options: EvaluationOptions(
                samples: samples,
                decoding: DecodingSettings(
                    temperature: temperature, repetitionPenalty: repetitionPenalty, presencePenalty: presencePenalty,
                    frequencyPenalty: frequencyPenalty)),
            storePath: store, resume: resume, chunkSize: chunkSize)
        return try await EvaluationRun(parameters: parameters, model: model, evaluator: evaluator, pool: pool).run()
    }

    /// The reference solution of the problem whose (original or modified) prompt the message holds.
    static func solution(for message: String, in problems: [Problem]) -> String? {
        ReferenceChatModel(problems: problems).solution(for: message)
    }

    static func fenced(_ code: String) -> String { "```python\n" + code + "\n```" }

    /// A model that answers every request with the fenced reference solution, recording the requests.
    static func solver(_ problems: [Problem]) -> ScriptedChatModel {
        ScriptedChatModel { request, _ in .text(fenced(solution(for: request.messages[0].content, in: problems)!)) }
    }
}
