import Backends
import ClarifyCore
import Foundation

/// Any ``ChatModel`` as the HumanEvalComm evaluator.
///
/// The prompt is modelled on HumanEvalComm's (`PROMPT_EVALUATE_QUESTIONS` in its
/// `scripts/script_pipeline.py`): the evaluator sees the questions, the modified and the original
/// description, and replies `QUALITY=[1-3]` and `ANSWERS=```…```` . Replies are parsed leniently
/// (``EvaluatorReplyParser``); an unparsable reply is answered with a reminder of the format and
/// the request is tried again, up to `attempts` times in all, after which the item's failure is
/// recorded rather than guessed.
public struct LLMEvaluator: QuestionEvaluator {
    public let model: any ChatModel
    public var attempts: Int
    public var maxConcurrent: Int
    public var maxTokens: Int

    public var kind: EvaluatorKind { .llm }
    public var name: String { model.identity }

    public init(model: any ChatModel, attempts: Int = 3, maxConcurrent: Int = 8, maxTokens: Int = 1024) {
        self.model = model
        self.attempts = max(1, attempts)
        self.maxConcurrent = max(1, maxConcurrent)
        self.maxTokens = maxTokens
    }

    static func prompt(_ query: EvaluationQuery) -> String {
        """
        The original description of a coding problem was modified so that its requirements became inconsistent, \
        incomplete or ambiguous. Seeing only the modified description, a developer asked the clarifying questions \
        below. Compare the original and the modified description and evaluate the questions:
        3 = Good: the questions recover the requirements that were modified;
        2 = Fair: there are questions, but they cannot recover the modified requirements;
        1 = No questions.
        Then answer the questions as the user would, so that the answers recover the original requirements that \
        the modification removed or changed. If there are no questions, leave the answers empty.
        Reply in exactly this format:
        QUALITY=[the integer]
        ANSWERS=```[the answers]```

        ### Questions:
        \(query.questions)

        ### Modified description:
        \(query.modified)

        ### Original description:
        \(query.original)
        """
    }

    static let reminder = """
        Your reply did not follow the required format. Reply again with exactly two parts:
        QUALITY=[1, 2 or 3]
        ANSWERS=```[your answers]```
        """

    static func excerpt(_ text: String, limit: Int = 160) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count <= limit ? flat : String(flat.prefix(limit)) + "…"
    }

    public func evaluate(_ queries: [EvaluationQuery]) async -> [Result<EvaluatorVerdict, EvaluatorFailure>] {
        var conversations = queries.map { [Message.user(Self.prompt($0))] }
        var results = [Result<EvaluatorVerdict, EvaluatorFailure>?](repeating: nil, count: queries.count)
        var lastProblem = [String](repeating: "", count: queries.count)
        for _ in 0..<attempts {
            let open = queries.indices.filter { results[$0] == nil }
            if open.isEmpty { break }
            let requests = open.map { ChatRequest(messages: conversations[$0], temperature: 0, maxTokens: maxTokens) }
            let replies = await model.completeBatch(requests, maxConcurrent: maxConcurrent)
            for (index, reply) in zip(open, replies) {
                switch reply {
                case .failure(let error):
                    lastProblem[index] = "the evaluator model failed: \(error)"
                    if !error.kind.isRetryable { results[index] = .failure(EvaluatorFailure(lastProblem[index])) }
                case .success(let response):
                    if var verdict = EvaluatorReplyParser.parse(response.text) {
                        verdict.raw = response.text
                        results[index] = .success(verdict)
                    } else {
                        lastProblem[index] =
                            "the evaluator's reply has no QUALITY=1-3: \"\(Self.excerpt(response.text))\""
                        conversations[index] += [.assistant(response.text), .user(Self.reminder)]
                    }
                }
            }
        }
        return queries.indices.map { index in
            results[index]
                ?? .failure(EvaluatorFailure("\(lastProblem[index]) (after \(attempts) attempts)"))
        }
    }
}

/// Reads an evaluator's reply: `QUALITY=3` (also `Quality: [3]`, `quality = 3`, `**QUALITY**=3`) and
/// `ANSWERS=```…```` (also an unfenced `ANSWERS:` section running to the end). A reply without a
/// grade of 1–3 is unparsable; one without answers has empty answers.
public enum EvaluatorReplyParser {
    public static func parse(_ reply: String) -> EvaluatorVerdict? {
        let text = reply.replacingOccurrences(of: "*", with: "")
        guard let grade = grade(in: text) else { return nil }
        return EvaluatorVerdict(answers: answers(in: text), grade: grade)
    }

    static func grade(in text: String) -> Int? {
        guard let range = text.range(of: "quality", options: .caseInsensitive) else { return nil }
        var rest = text[range.upperBound...].drop { $0 == " " || $0 == "\t" }
        guard let separator = rest.first, separator == "=" || separator == ":" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "[" || $0 == "\t" }
        guard let digit = rest.first, let value = digit.wholeNumberValue, (1...3).contains(value) else { return nil }
        if let next = rest.dropFirst().first, next.isNumber { return nil }
        return value
    }

    static func answers(in text: String) -> String {
        guard let range = text.range(of: "answers", options: .caseInsensitive) else { return "" }
        var rest = text[range.upperBound...].drop { $0 == " " || $0 == "\t" }
        if let separator = rest.first, separator == "=" || separator == ":" { rest = rest.dropFirst() }
        rest = rest.drop { $0 == " " || $0 == "\t" }
        if rest.hasPrefix("```") {
            let body = rest.dropFirst(3)
            let content = body.range(of: "```").map { body[..<$0.lowerBound] } ?? body
            return content.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var answer = String(rest)
        if let quality = answer.range(of: "quality", options: .caseInsensitive) {
            answer = String(answer[..<quality.lowerBound])
        }
        return answer.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
    }
}
