import Backends
import ClarifyCore
import Foundation

/// A ``ChatModel`` that writes every call of a run to its ``RunStore`` and answers a request the
/// run already got an answer to from the store, without asking the model again.
///
/// This is what makes a resumed run equal to an uninterrupted one: whatever the model said before
/// the interruption — sampled answers included — is replayed verbatim. Only successes are
/// replayed; a recorded failure is retried on resume. Requests are keyed by the SHA-256 of their
/// canonical JSON, so two samples of one prompt must differ in their request (the runner gives
/// each sample its own seed) to get answers of their own.
struct RecordedChatModel: ChatModel {
    let base: any ChatModel
    let store: RunStore
    let runID: Int64
    /// `model`, `evaluator` or `classifier`.
    let role: String

    var identity: String { base.identity }

    static func canonicalJSON(_ request: ChatRequest) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(request), as: UTF8.self)) ?? "\(request)"
    }

    func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let json = Self.canonicalJSON(request)
        let hash = FileHash.sha256Hex(Data(json.utf8))
        if let recorded = try? store.recordedResponse(run: runID, role: role, requestHash: hash) {
            return recorded
        }
        let start = ContinuousClock.now
        do {
            let response = try await base.complete(request)
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let responseJSON = String(decoding: try encoder.encode(response), as: UTF8.self)
            try store.recordCall(
                run: runID,
                ModelCallRecord(
                    requestHash: hash, role: role, requestJSON: json, responseJSON: responseJSON,
                    latencySeconds: Self.seconds(since: start), error: nil))
            return response
        } catch {
            // A cancelled call is not a failure of the model: leave no trace, so a resume retries it.
            if !Task.isCancelled {
                try? store.recordCall(
                    run: runID,
                    ModelCallRecord(
                        requestHash: hash, role: role, requestJSON: json, responseJSON: nil,
                        latencySeconds: Self.seconds(since: start), error: String(describing: error)))
            }
            throw error
        }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return elapsed.seconds
    }
}
