import Backends
import ClarifyCore
import Execution
import Foundation

/// Asks a chat model whether a first response is a clarifying question, code, or neither — the third
/// reading reported beside the two rule-based detectors when an evaluator model is given.
public struct LLMQuestionClassifier: Sendable {
    public let model: any ChatModel
    public var attempts: Int
    public var maxConcurrent: Int

    public init(model: any ChatModel, attempts: Int = 2, maxConcurrent: Int = 8) {
        self.model = model
        self.attempts = max(1, attempts)
        self.maxConcurrent = max(1, maxConcurrent)
    }

    static func prompt(_ response: String) -> String {
        """
        Below is a coding assistant's reply to a programming request. Classify it:
        QUESTION if it asks the user clarifying questions instead of giving the solution;
        CODE if it gives code that solves the request (with or without explanation);
        NEITHER otherwise (a refusal, an explanation without code, empty or garbled text).
        Reply with the single word QUESTION, CODE or NEITHER.

        ### Reply:
        \(response)
        """
    }

    /// One reading per response, in input order; `nil` where the model failed or never answered
    /// with one of the three words.
    public func classify(_ responses: [String]) async -> [ResponseKind?] {
        var results = [ResponseKind?](repeating: nil, count: responses.count)
        for _ in 0..<attempts {
            let open = responses.indices.filter { results[$0] == nil }
            if open.isEmpty { break }
            let requests = open.map {
                ChatRequest(messages: [.user(Self.prompt(responses[$0]))], temperature: 0, maxTokens: 16)
            }
            let replies = await model.completeBatch(requests, maxConcurrent: maxConcurrent)
            for (index, reply) in zip(open, replies) {
                if case .success(let response) = reply { results[index] = Self.parse(response.text) }
            }
        }
        return results
    }

    /// The first of the three words the reply holds.
    static func parse(_ reply: String) -> ResponseKind? {
        let upper = reply.uppercased()
        let found: [(String.Index, ResponseKind)] = [("QUESTION", .question), ("CODE", .code), ("NEITHER", .neither)]
            .compactMap { word, kind in upper.range(of: word).map { ($0.lowerBound, kind) } }
        return found.min { $0.0 < $1.0 }?.1
    }
}
