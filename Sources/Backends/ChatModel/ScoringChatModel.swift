import ClarifyCore
import Foundation

/// A chat model that can be steered and read below the text: its reply can be made to begin with a
/// given prefix (a forced prefix, so a grade always sits where a parser looks), and the probability
/// of each candidate next token after such a prefix can be read instead of sampled — what a judge
/// needs to decide from evidence rather than from free text.
///
/// The local engine implements it (``LocalChatModel``); OpenAI-compatible endpoints do not expose
/// the logits of a forced continuation uniformly, so they are not scoring models.
public protocol ScoringChatModel: ChatModel {
    /// Answers `request` with the assistant's reply already begun with `assistantPrefix`; the
    /// returned text is what follows the prefix.
    func complete(_ request: ChatRequest, assistantPrefix: String) async throws -> ChatResponse

    /// The log-probability of each candidate as the next token after `messages` and the assistant's
    /// `assistantPrefix`. A candidate is a set of spellings (`[" Yes", " yes"]`) whose first tokens'
    /// probabilities are summed; spellings of different candidates must not share a first token.
    func nextTokenLogProbabilities(
        _ messages: [Message], assistantPrefix: String, candidates: [[String]]
    ) async throws -> [Double]
}

extension ScoringChatModel {
    /// The candidates' probabilities renormalised among themselves (they sum to 1): the judge's
    /// "which of these" distribution, whatever mass the model put elsewhere.
    public func candidateProbabilities(
        _ messages: [Message], assistantPrefix: String, candidates: [[String]]
    ) async throws -> [Double] {
        let logs = try await nextTokenLogProbabilities(messages, assistantPrefix: assistantPrefix, candidates: candidates)
        let top = logs.max() ?? 0
        guard top.isFinite else { return logs.map { _ in 1 / Double(max(1, logs.count)) } }
        let weights = logs.map { $0.isFinite ? exp($0 - top) : 0 }
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }
}
