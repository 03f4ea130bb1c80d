/// The instructions put before a problem, shared by training (Synth's `DialogueFormat`) and
/// evaluation (Eval's protocol runner) so that a tuned model is measured on exactly what it
/// learned from. They live in the domain layer because both of those targets need them and
/// neither may import the other's internals.
public enum ClarificationInstructions {
    /// HumanEvalComm's round-1 instruction ("either generate Python3 code … or ask clarifying
    /// questions"), placed before the problem (`prompt_mapping` in the benchmark's scripts).
    public static let codeOrAsk = """
        You are an expert software developer who writes high quality code. With below information, please \
        either generate Python3 code (Respond directly with code only with markdown), or ask clarifying questions:
        """

    /// The no-clarification baseline's instruction: the same wording with the option to ask taken away,
    /// as HumanEvalComm's prompt for original problems (`generate Python3 code … with markdown`).
    public static let codeOnly = """
        You are an expert software developer who writes high quality code. With below information, please \
        generate Python3 code (Respond directly with code only with markdown):
        """

    /// What follows the user's answers in round 2, as in the training dialogues.
    public static let writeTheCodeNow = "Please write the code now."

    /// The round-2 user turn: the answers, then the request for code.
    public static func answersTurn(_ answers: String) -> String {
        answers + "\n\n" + writeTheCodeNow
    }
}
