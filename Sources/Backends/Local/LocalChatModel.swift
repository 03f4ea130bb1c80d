import ClarifyCore
import Foundation
import LLM
import Tensor

/// The local engine as a ``ChatModel``: a ``LanguageModel`` (GGUF or Hugging Face folder, with its
/// chat template) answering requests in-process.
///
/// Requests run with continuous batching (``LocalBatchScheduler`` over ``ContinuousBatch``): up to
/// `maxBatch` sequences decode together, each weight matrix read once per step for all of them, and a
/// waiting request takes the first slot that frees up. Every sequence samples with its own seed — the
/// i-th of a request's `n` choices with `seed + i` — so its answer does not depend on what shared its
/// batch.
///
/// Honoured request fields: `temperature` (0 greedy), `topP`, `maxTokens` (default 512), `n`,
/// `seed` (default 0), `stop`. The end-of-turn and EOS tokens of the checkpoint always stop.
public final class LocalChatModel: ChatModel {
    public let identity: String
    public let engine: LanguageModel
    let template: ChatTemplate?
    let scheduler: LocalBatchScheduler

    /// - Parameters:
    ///   - identity: what runs record as the model; default the file name (`+adapter:` name when given).
    ///   - template: the chat format when the checkpoint's own is not recognised.
    ///   - maxBatch: sequences decoded together at most.
    ///   - context: positions per sequence, prompt and answer (default 8,192, or the model's own if
    ///     smaller); the cache's memory is taken only as sequences fill it.
    ///   - threads: the engine's thread budget (default: all cores); this model's work runs under it
    ///     whatever other models in the process use.
    public init(
        engine: LanguageModel, identity: String? = nil, template: ChatTemplate? = nil, maxBatch: Int = 8,
        context: Int = 8192, threads: Int? = nil
    ) {
        self.engine = engine
        self.identity = identity ?? "local:" + (engine.path as NSString).lastPathComponent
        self.template = template
        self.scheduler = LocalBatchScheduler(
            maxBatch: max(1, maxBatch), capacity: context, budget: ThreadBudget.threads(threads))
    }

    /// The generation settings of a request; requests with equal settings may share a batch.
    public static func parameters(_ request: ChatRequest) throws -> GenerationParameters {
        var decoding = request.decoding
        decoding.stop = decoding.stop.filter { !$0.isEmpty }
        if let (key, message) = decoding.problem {
            throw BackendError(.requestRejected, "the local engine cannot take this request: \(key) \(message)")
        }
        return GenerationParameters(decoding)
    }

    /// Positions one sequence may fill, prompt and answer: the context a prompt must fit in.
    public var context: Int { min(scheduler.capacity, engine.config.maxPositions) }

    /// Sequences waiting for a slot and running now (for a server's metrics).
    public var load: (waiting: Int, running: Int) {
        let load = scheduler.load
        return (load.waiting, load.running)
    }

    /// The prompt ids of `messages` in the model's chat format (or the template given at init).
    public func prompt(for messages: [Message]) throws -> [Int] {
        do {
            return try engine.chatPrompt(messages, template: template)
        } catch {
            throw BackendError(.configuration, "\(error)")
        }
    }

    /// One sequence continuing `prompt`, in the shared batch, as it is generated: text pieces (safe
    /// to show: whole UTF-8 characters, never part of a stop string), then the result. Ending the
    /// iteration early — or cancelling the task that iterates — drops the sequence from the queue or
    /// frees its slot before the next forward step. A refused prompt (too long, bad ids) ends the
    /// stream with a ``BackendError``.
    public func stream(prompt: [Int], parameters: GenerationParameters) -> AsyncThrowingStream<
        LocalGenerationEvent, any Error
    > {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: LocalGenerationEvent.self)
        let ticket = LocalBatchScheduler.Ticket(
            prompt: prompt, parameters: parameters, seed: parameters.seed,
            onText: { continuation.yield(.text($0)) },
            onFinish: { result in
                switch result {
                case .success(let value):
                    continuation.yield(.finished(value))
                    continuation.finish()
                case .failure(let error):
                    continuation.finish(throwing: error)
                }
            })
        continuation.onTermination = { _ in ticket.cancel() }
        scheduler.enqueue([ticket], engine: engine)
        return stream
    }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let parameters = try Self.parameters(request)
        let prompt: [Int]
        do {
            prompt = try engine.chatPrompt(request.messages, template: template)
        } catch {
            throw BackendError(.configuration, "\(error)")
        }
        let choices = max(1, request.n)
        let job = LocalBatchScheduler.Job(prompts: Array(repeating: prompt, count: choices), parameters: parameters)
        let results = try await scheduler.submit(job, engine: engine)
        let finish: [FinishReason] = results.map {
            switch $0.finishReason {
            case .maxTokens, .contextFull: .length
            default: .stop
            }
        }
        return ChatResponse(
            choices: results.enumerated().map { ChatChoice(index: $0.offset, content: $0.element.text, finishReason: finish[$0.offset]) },
            usage: TokenUsage(
                promptTokens: prompt.count, completionTokens: results.map(\.tokens.count).reduce(0, +)),
            model: identity)
    }
}

/// What ``LocalChatModel/stream(prompt:parameters:)`` yields: text as it becomes safe to show, then
/// the whole result once.
public enum LocalGenerationEvent: Sendable {
    case text(String)
    case finished(GenerationResult)
}

extension LocalChatModel {
    /// Loads a local ``ModelSpec`` (a known name from the cache, a .gguf file or a Hugging Face folder),
    /// with an optional LoRA adapter folder, and names it by ``ModelSpec/identity(adapter:)`` — the one
    /// definition of a local model's identity that runs and caches record.
    public convenience init(
        spec: ModelSpec, adapter: String? = nil, precision: WeightPrecision = .native, template: ChatTemplate? = nil,
        maxBatch: Int = 8, threads: Int? = nil
    ) throws {
        let path = try spec.localPath()
        let lora = try adapter.map { try LoRAAdapter(folder: $0) }
        let engine = try ThreadBudget.threads(threads).run {
            try LanguageModel(path: path, precision: precision, adapter: lora)
        }
        self.init(
            engine: engine, identity: try spec.identity(adapter: adapter), template: template, maxBatch: maxBatch,
            threads: threads)
    }
}
