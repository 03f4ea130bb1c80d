/// Anything that answers chat requests: the local engine, an OpenAI-compatible endpoint, the
/// reference model, a scripted test double, or a cache in front of any of them.
///
/// The evaluation protocol and the synthesizer talk to this protocol only, so a run can swap a
/// backend with one flag. Implementations must be safe to call from many tasks at once; a
/// backend with a concurrency limit enforces it itself (the OpenAI client does), and
/// ``ChatModel/completeBatch(_:maxConcurrent:onProgress:)`` adds a per-batch limit on top.
///
/// Errors thrown by ``complete(_:)`` should be ``BackendError``s; anything else is wrapped as
/// ``BackendError/Kind-swift.struct/other`` by the batch helper so no failure is lost.
public protocol ChatModel: Sendable {
    /// A stable identity of the model *and* its weights or endpoint (`openai:gpt-4o@https://…/v1`,
    /// `smollm2-135m-q4_1+adapter:…`), used in response-cache keys and run records. Two models
    /// with the same identity must answer a deterministic request the same way.
    var identity: String { get }

    /// Answers one request with `request.n` choices.
    func complete(_ request: ChatRequest) async throws -> ChatResponse
}
