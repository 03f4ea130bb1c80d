/// One precise phrase of a problem's specification, with the ways the rule-based synthesizer
/// may blur, drop or contradict it and the sentence a user says to restore it.
///
/// Facts ground a variant: a change made from a fact records the exact text removed or
/// replaced and the clarification, so the question, the user's answer and the heuristic
/// evaluator all refer to the same requirement. Bank problems carry hand-written facts;
/// arbitrary HumanEval prompts get facts from ``PreciseTermLexicon``.
public struct SpecFact: Codable, Sendable, Hashable {
    /// The exact text in the prompt's docstring.
    public var phrase: String
    /// A vaguer wording with several valid readings (ambiguous), or `nil` when the phrase has none.
    public var vague: String?
    /// What replaces the phrase when the fact is dropped (incomplete); `nil` removes the
    /// whole sentence that holds it.
    public var omission: String?
    /// A wording that contradicts the examples (inconsistent), or `nil`.
    public var opposite: String?
    /// What the fact decides, as a noun phrase: "the sort order", "whether k itself counts".
    public var topic: String
    /// The readings a user could mean, the precise one first ("ascending", "descending").
    public var options: [String]
    /// The user's statement of the fact ("Sort the result in ascending order.").
    public var clarification: String

    public init(
        phrase: String,
        vague: String? = nil,
        omission: String? = nil,
        opposite: String? = nil,
        topic: String,
        options: [String] = [],
        clarification: String
    ) {
        self.phrase = phrase
        self.vague = vague
        self.omission = omission
        self.opposite = opposite
        self.topic = topic
        self.options = options
        self.clarification = clarification
    }
}

extension SpecFact {
    /// A sort-order fact for results sorted ascending or descending.
    static func order(ascending: Bool, phrase: String? = nil, what: String = "the result") -> SpecFact {
        let word = ascending ? "ascending" : "descending"
        let other = ascending ? "descending" : "ascending"
        let text = phrase ?? "in \(word) order"
        return SpecFact(
            phrase: text, vague: text.replacingOccurrences(of: "in \(word) order", with: "in order"),
            omission: "", opposite: text.replacingOccurrences(of: word, with: other),
            topic: "the order of \(what)", options: [word, other],
            clarification: "Sort \(what) in \(word) order.")
    }

    /// A fact about what an empty input returns.
    static func empty(sentence: String, answer: String) -> SpecFact {
        SpecFact(phrase: sentence, topic: "what to return for an empty input", clarification: answer)
    }
}
