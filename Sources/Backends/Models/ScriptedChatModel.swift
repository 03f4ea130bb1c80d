import Synchronization

/// A ``ChatModel`` whose answers are written by the test: from a closure that sees each request,
/// or from a queue of canned replies. It can fail on cue and take time, so tests of the batch
/// helper, the cache and the evaluation protocol need no server and no weights.
///
/// Every request is recorded, in arrival order, in ``requests``.
public final class ScriptedChatModel: ChatModel {
    /// One scripted answer.
    public indirect enum Reply: Sendable {
        /// `n` choices, all with this text, finished by `stop`.
        case text(String)
        /// Exactly this response.
        case response(ChatResponse)
        /// Throw this error.
        case failure(BackendError)
        /// Wait, then give the inner reply (cancellable like a real request).
        case delayed(Duration, Reply)
    }

    public let identity: String
    private let answer: @Sendable (ChatRequest, Int) async throws -> Reply
    private let log = Mutex<[ChatRequest]>([])

    /// Answers with `answer(request, callIndex)`; `callIndex` counts calls from 0.
    public init(
        identity: String = "scripted",
        answer: @escaping @Sendable (_ request: ChatRequest, _ callIndex: Int) async throws -> Reply
    ) {
        self.identity = identity
        self.answer = answer
    }

    /// Answers the k-th call with `replies[k]`; a call past the end fails with a message saying
    /// how many replies were scripted.
    public convenience init(identity: String = "scripted", replies: [Reply]) {
        self.init(identity: identity) { _, index in
            guard index < replies.count else {
                return .failure(
                    BackendError(
                        .other, "scripted model has no reply for call \(index + 1) (\(replies.count) scripted)"))
            }
            return replies[index]
        }
    }

    /// The requests received so far, in arrival order.
    public var requests: [ChatRequest] { log.withLock { $0 } }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let index = log.withLock { log in
            log.append(request)
            return log.count - 1
        }
        var reply = try await answer(request, index)
        while true {
            switch reply {
            case .text(let text):
                let choices = (0..<max(1, request.n)).map { ChatChoice(index: $0, content: text, finishReason: .stop) }
                return ChatResponse(choices: choices, usage: nil, model: identity)
            case .response(let response):
                return response
            case .failure(let error):
                throw error
            case .delayed(let duration, let inner):
                do {
                    try await Task.sleep(for: duration)
                } catch {
                    throw BackendError(.cancelled, "the scripted request was cancelled")
                }
                reply = inner
            }
        }
    }
}
