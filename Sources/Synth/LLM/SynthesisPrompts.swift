import ClarifyCore

/// Every prompt the LLM synthesizer sends, in one place so they can be read and tuned together.
///
/// The three steps follow the ClarifyCoder paper (arXiv 2504.16331, §3.1): (1) rewrite a clear
/// problem into the requested kind and say exactly what changed; (2) ask the clarifying
/// questions a careful programmer would ask, seeing *only* the rewrite; (3) answer them as the
/// user who knows the original. The final code is the problem's reference solution, never
/// generated. Kinds are defined as in the paper and HumanEvalComm (docs/design.md): ambiguous = a
/// precise term made vague so several readings fit; incomplete = a condition, the examples or
/// the return specification removed; inconsistent = the text and the examples made to disagree.
///
/// Each reply is one JSON object; ``LLMReplyParser`` reads it leniently, and a reply it cannot
/// read is answered with ``retry(error:)`` so the model sees what was wrong.
public enum SynthesisPrompts {
    public static let system = """
        You help build a dataset that teaches code models to ask clarifying questions. \
        Follow the instructions exactly and reply with one JSON object only, no prose around it.
        """

    /// What each kind means, said to the model in the rewrite prompt.
    static func definition(of kind: AmbiguityKind) -> String {
        switch kind {
        case .ambiguous:
            return "ambiguous: replace one precise term with a vague one so that several different programs "
                + "would fit the description (e.g. \"sorted in ascending order\" -> \"sorted\")."
        case .incomplete:
            return "incomplete: remove one condition, the examples, or the return specification, so that a key "
                + "requirement can no longer be known from the text."
        case .inconsistent:
            return "inconsistent: make the text and the examples disagree (change an example's output, or state "
                + "the opposite of a requirement), so that the reader cannot tell which one is right."
        }
    }

    /// Step 1: rewrite `problem` into `category` and record the changes.
    public static func rewrite(problem: Problem, category: ClarificationCategory) -> [Message] {
        let kinds = category.kinds
        let plan = kinds.map { "- " + definition(of: $0) }.joined(separator: "\n")
        let user = """
            Rewrite the programming problem below so that it becomes \(kinds.map(\.rawValue).joined(separator: " and ")). \
            Make exactly one edit of each of these kinds, on different parts of the problem:
            \(plan)

            Keep everything else verbatim: the function signature, the other sentences and examples. \
            Do not mention that anything was changed.

            Reply with one JSON object with these fields:
            {"prompt": "<the whole rewritten problem, signature and docstring included>",
             "changes": [{"kind": "ambiguous|incomplete|inconsistent",
                          "description": "<one sentence: what you changed>",
                          "original": "<the exact original text you replaced or removed>",
                          "replacement": "<the text that replaced it, empty when removed>",
                          "clarification": "<the sentence a user would say to resolve it>"}]}
            "changes" has one entry per edit.

            Problem:
            \(problem.prompt)
            """
        return [.system(system), .user(user)]
    }

    /// Step 2: the clarifying questions, from the rewrite alone (the original is not shown, so
    /// the questions cannot quote what only the original says).
    public static func questions(rewrite: String) -> [Message] {
        let user = """
            A user asked for the function below. Before writing any code, decide what is unclear, \
            missing or contradictory in the request, and ask the clarifying questions you need answered \
            to write correct code: at most 3, each one sentence ending with "?".

            Reply with one JSON object:
            {"summary": "<one sentence naming what is unclear>", "questions": ["<question>", ...]}

            Request:
            \(rewrite)
            """
        return [.system(system), .user(user)]
    }

    /// Step 3: the user's answers, from the original problem.
    public static func answers(original: String, rewrite: String, questions: [String]) -> [Message] {
        let numbered = questions.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n")
        let user = """
            You are the user who wrote the ORIGINAL problem below, but sent the REWRITTEN version. \
            Answer each clarifying question truthfully from the original problem, briefly, as the user would.

            Reply with one JSON object with exactly one answer per question, in order:
            {"answers": ["<answer to question 1>", ...]}

            ORIGINAL:
            \(original)

            REWRITTEN:
            \(rewrite)

            QUESTIONS:
            \(numbered)
            """
        return [.system(system), .user(user)]
    }

    /// Verified ambiguity: ask for a solution of a prompt (the rewrite or the original),
    /// sampled several times.
    public static func solve(prompt: String) -> [Message] {
        let user = """
            Complete the following Python function. Reply with the whole function in one ```python code block, \
            and do not ask questions.

            \(prompt)
            """
        return [.user(user)]
    }

    /// Sent after a reply that could not be read, with the reader's error.
    public static func retry(error: String) -> String {
        """
        Your reply could not be read: \(error). Reply again with only the JSON object described above, \
        with every field present and double-quoted strings.
        """
    }
}
