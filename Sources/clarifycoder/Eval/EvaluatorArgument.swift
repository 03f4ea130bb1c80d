import ArgumentParser
import Backends
import ClarifyCore
import Eval

/// Every `--evaluator` goes through here (`eval`, `grade`), so they accept the same forms and fail alike.
enum EvaluatorArgument {
    /// `text` as an ``EvaluatorSpec``; a ``ValidationError`` naming `option` when it names none.
    static func parse(_ text: String, option: String = "--evaluator") throws -> EvaluatorSpec {
        do {
            return try EvaluatorSpec(parsing: text)
        } catch {
            throw ValidationError("\(option): \(error)")
        }
    }

    /// The local judge on its model, loaded from the cache or a path.
    static func localJudge(
        _ spec: ModelSpec, variant: LocalJudge.Variant, concurrency: Int, threads: Int?, writesAnswers: Bool = true
    ) throws -> LocalJudge {
        let model: LocalChatModel
        do {
            model = try LocalChatModel(spec: spec, maxBatch: concurrency, threads: threads)
        } catch {
            throw CommandFailure(error)
        }
        return LocalJudge(model: model, variant: variant, writesAnswers: writesAnswers, maxConcurrent: concurrency)
    }
}
