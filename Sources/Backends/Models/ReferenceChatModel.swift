import ClarifyCore
import Foundation

/// The `reference` model of the evaluation harness: it answers every prompt with the known
/// reference solution of the problem the prompt belongs to, in one fenced Python block.
///
/// It validates the harness end to end — a correct harness scores it Pass@1 = 100%, Test Pass
/// Rate = 100% and Communication Rate = 0% — so a lower score is a harness bug, not a model's.
///
/// The harness wraps a problem's prompt in its own instructions, so a request is matched by
/// *containment*: the answer is the solution whose prompt occurs in the last user message,
/// the longest such prompt when several do (a variant that extends another is more specific),
/// the first given on a tie. A prompt that matches none fails with
/// ``BackendError/Kind-swift.struct/noReference``; guessing would hide a harness bug.
public struct ReferenceChatModel: ChatModel {
    /// A prompt and the solution to answer it with.
    public struct Entry: Sendable, Hashable {
        public var prompt: String
        public var solution: String

        public init(prompt: String, solution: String) {
            self.prompt = prompt
            self.solution = solution
        }
    }

    public let identity: String
    /// Longest prompt first, so the first containment match is the most specific.
    private let entries: [Entry]

    public init(entries: [Entry], identity: String = "reference") {
        self.identity = identity
        self.entries = entries.enumerated()
            .map {
                (offset: $0.offset, entry: Entry(prompt: trimmed($0.element.prompt), solution: $0.element.solution))
            }
            .filter { !$0.entry.prompt.isEmpty }
            .sorted { ($0.entry.prompt.count, -$0.offset) > ($1.entry.prompt.count, -$1.offset) }
            .map(\.entry)
    }

    /// Answers each problem's original prompt and every variant's prompt with the problem's
    /// ``Problem/referenceSolution``; problems without one are skipped.
    public init(problems: [Problem], identity: String = "reference") {
        var entries: [Entry] = []
        for problem in problems {
            guard let solution = problem.referenceSolution else { continue }
            entries.append(Entry(prompt: problem.prompt, solution: solution))
            for variant in problem.variants { entries.append(Entry(prompt: variant.prompt, solution: solution)) }
        }
        self.init(entries: entries, identity: identity)
    }

    /// The solution for a message, or `nil`.
    public func solution(for message: String) -> String? {
        entries.first { message.contains($0.prompt) }?.solution
    }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        guard let message = request.lastUserMessage else {
            throw BackendError(.noReference, "the request has no user message to answer")
        }
        guard let solution = solution(for: message) else {
            let start = BackendError.excerpt(message, limit: 120)
            throw BackendError(
                .noReference,
                "no reference solution matches the prompt starting \"\(start)\"; the reference model answers only "
                    + "prompts of the problems it was given (\(entries.count) prompts)")
        }
        var code = solution
        while code.hasSuffix("\n") { code.removeLast() }
        let text = "```python\n\(code)\n```"
        let choices = (0..<max(1, request.n)).map { ChatChoice(index: $0, content: text, finishReason: .stop) }
        return ChatResponse(choices: choices, usage: nil, model: identity)
    }
}

private func trimmed(_ text: String) -> String {
    text.trimmingCharacters(in: .whitespacesAndNewlines)
}
