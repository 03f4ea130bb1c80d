import Backends
import ClarifyCore

/// The synthesizer of the ClarifyCoder paper (arXiv 2504.16331, §3.1) over any ``ChatModel``:
/// (1) the model rewrites a clear problem into the requested category and states each change;
/// (2) it asks clarifying questions seeing only the rewrite; (3) it answers them as the user,
/// from the original; (4) the final code is the problem's reference solution. Prompts are in
/// ``SynthesisPrompts``.
///
/// Every request is greedy, so a run through a ``CachedChatModel`` is deterministic and a
/// resumed run redoes the in-flight problem from the cache with the same records. A reply the
/// parser cannot read is sent back with the error (``SynthesisPrompts/retry(error:)``), at most
/// `maxTries` times per step; then the attempt fails with ``AttemptFailure`` and the run records
/// it. Backend errors that no retry can fix (authentication, configuration, a missing model)
/// stop the run instead of failing every problem the same way.
public struct LLMSynthesizer: Synthesizer {
    public let model: any ChatModel
    /// Tries per step, the first included.
    public var maxTries: Int
    /// Token limit per reply (`nil`: the backend's default).
    public var maxTokens: Int?
    /// Verified ambiguity, when on.
    public var verifier: AmbiguityVerifier?

    public init(model: any ChatModel, maxTries: Int = 3, maxTokens: Int? = 2048, verifier: AmbiguityVerifier? = nil) {
        self.model = model
        self.maxTries = max(1, maxTries)
        self.maxTokens = maxTokens
        self.verifier = verifier
    }

    public var name: String {
        "llm:" + model.identity + (verifier.map { "+verify\($0.samples)" } ?? "")
    }

    public func synthesize(
        problem: Problem, categories: [ClarificationCategory], seed: UInt64
    ) async throws -> [ClarificationDraft] {
        var drafts: [ClarificationDraft] = []
        for category in categories where category != .original {
            drafts.append(try await draft(problem: problem, category: category, seed: seed))
        }
        return drafts
    }

    /// One variant of `category`, through the three steps and, when on, verification.
    public func draft(problem: Problem, category: ClarificationCategory, seed: UInt64) async throws -> ClarificationDraft {
        let (prompt, changes) = try await ask(SynthesisPrompts.rewrite(problem: problem, category: category), step: "rewrite") {
            object throws(ReplyParseError) in
            (try LLMReplyParser.string("prompt", in: object, trimming: false), try Self.changes(in: object, category: category))
        }
        let (summary, questions) = try await ask(SynthesisPrompts.questions(rewrite: prompt), step: "questions") {
            object throws(ReplyParseError) in
            (try LLMReplyParser.string("summary", in: object), try LLMReplyParser.strings("questions", in: object))
        }
        let answers = try await ask(
            SynthesisPrompts.answers(original: problem.prompt, rewrite: prompt, questions: questions), step: "answers"
        ) { object throws(ReplyParseError) in
            let answers = try LLMReplyParser.strings("answers", in: object)
            guard answers.count == questions.count else {
                throw ReplyParseError("\(answers.count) answers for \(questions.count) questions; give one answer per question")
            }
            return answers
        }
        if let verifier {
            try await verifier.verify(problem: problem, rewrite: prompt, seed: seed)
        }
        return ClarificationDraft(
            variant: Variant(category: category, prompt: prompt, changes: changes), summary: summary,
            questions: questions, answers: answers)
    }

    /// Sends `messages`, reads the reply with `read`, and on a parse error sends the reply back
    /// with the error, up to `maxTries` times in all.
    func ask<T>(
        _ messages: [Message], step: String, read: ([String: Any]) throws(ReplyParseError) -> T
    ) async throws -> T {
        var conversation = messages
        var lastError = ReplyParseError("no reply")
        for _ in 0..<maxTries {
            let reply: String
            do {
                reply = try await model.complete(ChatRequest(messages: conversation, temperature: 0, maxTokens: maxTokens)).text
            } catch let error as BackendError {
                switch error.kind {
                case .authentication, .configuration, .notFound, .cancelled: throw error
                default: throw AttemptFailure(.backendError, "\(step): \(error.message)")
                }
            }
            do throws(ReplyParseError) {
                return try read(try LLMReplyParser.object(in: reply))
            } catch {
                lastError = error
                conversation += [.assistant(reply), .user(SynthesisPrompts.retry(error: error.description))]
            }
        }
        throw AttemptFailure(.malformedOutput, "\(step): \(lastError.description) (after \(maxTries) tries)")
    }

    /// The `changes` list: one entry per edit, each with a kind of the category; a change
    /// without a kind takes the category's only kind.
    static func changes(in object: [String: Any], category: ClarificationCategory) throws(ReplyParseError) -> [Change] {
        guard let raw = object["changes"] else { throw ReplyParseError("the field \"changes\" is missing") }
        guard let items = raw as? [Any], !items.isEmpty else { throw ReplyParseError("\"changes\" is not a non-empty list") }
        var changes: [Change] = []
        for (index, item) in items.enumerated() {
            guard let entry = item as? [String: Any] else {
                throw ReplyParseError("change \(index + 1) is not an object")
            }
            let kind: AmbiguityKind
            if let word = LLMReplyParser.optionalString("kind", in: entry) {
                guard let parsed = AmbiguityKind(rawValue: word.lowercased()), category.kinds.contains(parsed) else {
                    throw ReplyParseError("change \(index + 1) has kind \"\(word)\"; use one of "
                        + category.kinds.map(\.rawValue).joined(separator: ", "))
                }
                kind = parsed
            } else if category.kinds.count == 1 {
                kind = category.kinds[0]
            } else {
                throw ReplyParseError("change \(index + 1) has no \"kind\"")
            }
            let description: String
            do throws(ReplyParseError) { description = try LLMReplyParser.string("description", in: entry) } catch {
                throw ReplyParseError("change \(index + 1): \(error.description)")
            }
            changes.append(Change(
                kind: kind, description: description, original: LLMReplyParser.optionalString("original", in: entry),
                replacement: LLMReplyParser.optionalString("replacement", in: entry),
                clarification: LLMReplyParser.optionalString("clarification", in: entry)))
        }
        let missing = category.kinds.filter { kind in !changes.contains { $0.kind == kind } }
        guard missing.isEmpty else {
            throw ReplyParseError("no change of kind " + missing.map(\.rawValue).joined(separator: ", "))
        }
        return changes
    }
}
