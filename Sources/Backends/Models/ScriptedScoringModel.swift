import ClarifyCore
import Foundation
import Synchronization

/// A ``ScoringChatModel`` written by the test: replies come from a ``ScriptedChatModel`` (the forced
/// prefix is recorded beside each request), next-token scores from a closure — so a judge's logic
/// can be tested without weights.
public final class ScriptedScoringModel: ScoringChatModel {
    /// One scoring call as the judge made it.
    public struct ScoreCall: Sendable, Hashable {
        public var messages: [Message]
        public var assistantPrefix: String
        public var candidates: [[String]]
    }

    public let replies: ScriptedChatModel
    private let score: @Sendable (ScoreCall) throws -> [Double]
    private let log = Mutex<(prefixes: [String], scores: [ScoreCall])>(([], []))

    public var identity: String { replies.identity }

    /// - Parameters:
    ///   - replies: answers text requests, with or without a forced prefix.
    ///   - probabilities: the candidates' probabilities for a scoring call (their logarithms are returned).
    public init(
        replies: ScriptedChatModel,
        probabilities: @escaping @Sendable (ScoreCall) throws -> [Double]
    ) {
        self.replies = replies
        self.score = probabilities
    }

    /// The forced prefixes of the text requests, in arrival order ("" for a plain request).
    public var prefixes: [String] { log.withLock { $0.prefixes } }
    /// The scoring calls, in arrival order.
    public var scoreCalls: [ScoreCall] { log.withLock { $0.scores } }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        try await complete(request, assistantPrefix: "")
    }

    public func complete(_ request: ChatRequest, assistantPrefix: String) async throws -> ChatResponse {
        log.withLock { $0.prefixes.append(assistantPrefix) }
        return try await replies.complete(request)
    }

    public func nextTokenLogProbabilities(
        _ messages: [Message], assistantPrefix: String, candidates: [[String]]
    ) async throws -> [Double] {
        let call = ScoreCall(messages: messages, assistantPrefix: assistantPrefix, candidates: candidates)
        log.withLock { $0.scores.append(call) }
        return try score(call).map { $0 > 0 ? Foundation.log($0) : -.infinity }
    }
}
