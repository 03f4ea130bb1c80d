import ClarifyCore

/// How clarification scenarios and clear problems become chat training examples.
///
/// Two targets, as the issue asks: **confirm, then code** — a clarify example is
/// user(rewrite) → assistant(what is unclear + numbered questions) → user(answers) →
/// assistant(code), so the model also learns to *use* an answer; a clear example is
/// user(problem) → assistant(code), optionally prefaced by a short confirmation — and
/// **questions only**, the ClarifyCoder paper's target (user(rewrite) → assistant(questions)).
/// Every user turn that poses a problem starts with the HumanEvalComm round-1 instruction,
/// so training sees exactly what evaluation asks.
public struct DialogueFormat: Sendable, Hashable, Codable {
    public enum Target: String, Sendable, Hashable, Codable, CaseIterable {
        case confirmThenCode = "dialogue"
        case questionsOnly = "questions"
    }

    /// The HumanEvalComm round-1 instruction ("either generate Python3 code … or ask
    /// clarifying questions"), placed before the problem in every example.
    /// Defined in ClarifyCore so that Eval's protocol runner uses the very same text.
    public static let instruction = ClarificationInstructions.codeOrAsk

    public var target: Target
    /// Whether every first answer opens with the decision sentence: ``confirmation`` before a clear
    /// example's code, ``unclear`` before a clarify example's questions.
    public var confirmClear: Bool
    /// Whether code answers keep the function's docstring. Without it (``Docstrings/removed(from:)``)
    /// an answer is the signature and the body: the prompt already holds the docstring, and
    /// repeating it was a fifth of the training tokens of the default mixture.
    public var docstrings: Bool

    public init(target: Target = .confirmThenCode, confirmClear: Bool = false, docstrings: Bool = true) {
        self.target = target
        self.confirmClear = confirmClear
        self.docstrings = docstrings
    }

    enum CodingKeys: String, CodingKey { case target, confirmClear, docstrings }

    // `docstrings` is written only when off, so the settings files of runs that predate it read
    // back (and compare) as they were.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        target = try container.decode(Target.self, forKey: .target)
        confirmClear = try container.decode(Bool.self, forKey: .confirmClear)
        docstrings = try container.decodeIfPresent(Bool.self, forKey: .docstrings) ?? true
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(target, forKey: .target)
        try container.encode(confirmClear, forKey: .confirmClear)
        if !docstrings { try container.encode(docstrings, forKey: .docstrings) }
    }

    /// The confirmation before the code of a clear example: one fixed sentence, so the first
    /// tokens of every answer carry the ask-or-code decision in a single form the model can learn
    /// (docs/design.md: telling unclear from clear is the whole problem), rather than a paraphrase.
    public static let confirmation = "The requirements are clear."

    /// The counterpart that opens a clarify example's questions when ``confirmClear`` is on. With
    /// both sentences the decision is one token after the shared "The requirements are": the
    /// model's probability of asking is that token's, not spread over the several ways the
    /// synthesizer phrases its summary — spread that way, greedy decoding always picked the
    /// single most frequent opening, the confirmation (measured: 0 questions in 106 prompts).
    public static let unclear = "The requirements are unclear."

    public static func userTurn(_ prompt: String) -> String { instruction + "\n\n" + prompt }

    public static func fenced(_ code: String) -> String {
        "```python\n" + code.trimmingCharacters(in: .newlines) + "\n```"
    }

    /// A code answer: the code, fenced, without its docstrings unless ``docstrings`` is on.
    func answer(_ code: String) -> String {
        Self.fenced(docstrings ? code : Docstrings.removed(from: code))
    }

    /// The assistant turn that asks: one line of what is unclear, then numbered questions.
    public static func questionsTurn(summary: String, questions: [String]) -> String {
        ([summary] + questions.enumerated().map { "\($0.offset + 1). \($0.element)" }).joined(separator: "\n")
    }

    /// The user turn that answers, numbered like the questions when there are several.
    public static func answersTurn(_ answers: [String]) -> String {
        answers.count == 1 ? answers[0] : answers.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n")
    }

    /// A clarify example from a draft and the code that solves the original problem.
    public func clarify(_ draft: ClarificationDraft, code: String, metadata: [String: String] = [:]) -> Dialogue {
        let questions = Self.questionsTurn(summary: draft.summary, questions: draft.questions)
        var messages: [Message] = [
            .user(Self.userTurn(draft.variant.prompt)),
            .assistant(confirmClear ? Self.unclear + "\n" + questions : questions),
        ]
        if target == .confirmThenCode {
            messages.append(.user(ClarificationInstructions.answersTurn(Self.answersTurn(draft.answers))))
            messages.append(.assistant(answer(code)))
        }
        return Dialogue(messages: messages, metadata: metadata)
    }

    /// A clear example: the problem and its code, with the confirmation line if asked for.
    public func original(prompt: String, code: String, metadata: [String: String] = [:]) -> Dialogue {
        let code = answer(code)
        return Dialogue(
            messages: [.user(Self.userTurn(prompt)), .assistant(confirmClear ? Self.confirmation + "\n\n" + code : code)],
            metadata: metadata)
    }
}
