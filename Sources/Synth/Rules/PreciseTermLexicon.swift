/// Precise terms that programming problems use and their vague or contradicting
/// counterparts, for prompts that carry no facts of their own (HumanEval, MBPP, user files).
///
/// Each entry yields a ``SpecFact`` anchored on the first occurrence of the term in the
/// prompt's docstring; the clarification quotes the original sentence, since only it says
/// what the term meant there. Entries are ordered from the most to the least specific, and a
/// term inside a longer matched term ("greater than or equal to" vs "greater than") is skipped.
public enum PreciseTermLexicon {
    struct Entry {
        var term: String
        var vague: String?
        var opposite: String?
        var topic: String
        var options: [String]
    }

    static let entries: [Entry] = [
        Entry(term: "strictly greater than", vague: "bigger than", opposite: "strictly less than",
              topic: "whether equal values count", options: ["strictly greater", "greater or equal"]),
        Entry(term: "strictly less than", vague: "smaller than", opposite: "strictly greater than",
              topic: "whether equal values count", options: ["strictly less", "less or equal"]),
        Entry(term: "greater than or equal to", vague: "around or above", opposite: "less than",
              topic: "whether equal values count", options: ["greater or equal", "strictly greater"]),
        Entry(term: "less than or equal to", vague: "around or below", opposite: "greater than",
              topic: "whether equal values count", options: ["less or equal", "strictly less"]),
        Entry(term: "in ascending order", vague: "in order", opposite: "in descending order",
              topic: "the sort order", options: ["ascending", "descending"]),
        Entry(term: "in descending order", vague: "in order", opposite: "in ascending order",
              topic: "the sort order", options: ["descending", "ascending"]),
        Entry(term: "ascending", vague: "sorted", opposite: "descending", topic: "the sort order",
              options: ["ascending", "descending"]),
        Entry(term: "descending", vague: "sorted", opposite: "ascending", topic: "the sort order",
              options: ["descending", "ascending"]),
        Entry(term: "increasing", vague: "monotonic", opposite: "decreasing", topic: "the direction of the order",
              options: ["increasing", "decreasing"]),
        Entry(term: "decreasing", vague: "monotonic", opposite: "increasing", topic: "the direction of the order",
              options: ["decreasing", "increasing"]),
        Entry(term: "incremented by 1", vague: "incremented by a number", opposite: "decremented by 1",
              topic: "the amount of the increment", options: ["1", "another amount"]),
        Entry(term: "case-insensitive", vague: "with some case handling", opposite: "case-sensitive",
              topic: "whether case matters", options: ["ignore case", "respect case"]),
        Entry(term: "case-sensitive", vague: "with some case handling", opposite: "case-insensitive",
              topic: "whether case matters", options: ["respect case", "ignore case"]),
        Entry(term: "the largest", vague: "the extreme one", opposite: "the smallest",
              topic: "whether the largest or the smallest is wanted", options: ["largest", "smallest"]),
        Entry(term: "the smallest", vague: "the extreme one", opposite: "the largest",
              topic: "whether the smallest or the largest is wanted", options: ["smallest", "largest"]),
        Entry(term: "maximum", vague: "extreme", opposite: "minimum", topic: "whether the maximum or minimum is wanted",
              options: ["maximum", "minimum"]),
        Entry(term: "minimum", vague: "extreme", opposite: "maximum", topic: "whether the minimum or maximum is wanted",
              options: ["minimum", "maximum"]),
        Entry(term: "largest", vague: "extreme", opposite: "smallest", topic: "whether the largest or smallest is wanted",
              options: ["largest", "smallest"]),
        Entry(term: "smallest", vague: "extreme", opposite: "largest", topic: "whether the smallest or largest is wanted",
              options: ["smallest", "largest"]),
        Entry(term: "longest", vague: "extreme-length", opposite: "shortest", topic: "whether the longest or shortest is wanted",
              options: ["longest", "shortest"]),
        Entry(term: "shortest", vague: "extreme-length", opposite: "longest", topic: "whether the shortest or longest is wanted",
              options: ["shortest", "longest"]),
        Entry(term: "greater than", vague: "compared with", opposite: "less than",
              topic: "which comparison is meant", options: ["greater than", "less than"]),
        Entry(term: "less than", vague: "compared with", opposite: "greater than",
              topic: "which comparison is meant", options: ["less than", "greater than"]),
        Entry(term: "inclusive", vague: nil, opposite: "exclusive", topic: "whether the bounds are included",
              options: ["inclusive", "exclusive"]),
        Entry(term: "exclusive", vague: nil, opposite: "inclusive", topic: "whether the bounds are included",
              options: ["exclusive", "inclusive"]),
        Entry(term: "first", vague: "one", opposite: "last", topic: "which one to take", options: ["the first", "the last"]),
        Entry(term: "last", vague: "one", opposite: "first", topic: "which one to take", options: ["the last", "the first"]),
        Entry(term: "uppercase", vague: "a different case", opposite: "lowercase", topic: "which letter case",
              options: ["uppercase", "lowercase"]),
        Entry(term: "lowercase", vague: "a different case", opposite: "uppercase", topic: "which letter case",
              options: ["lowercase", "uppercase"]),
        Entry(term: "even", vague: "certain", opposite: "odd", topic: "which parity is meant", options: ["even", "odd"]),
        Entry(term: "odd", vague: "certain", opposite: "even", topic: "which parity is meant", options: ["odd", "even"]),
        Entry(term: "positive", vague: "non-trivial", opposite: "negative", topic: "which sign is meant",
              options: ["positive", "negative"]),
        Entry(term: "negative", vague: "non-trivial", opposite: "positive", topic: "which sign is meant",
              options: ["negative", "positive"]),
        Entry(term: "prime", vague: "special", opposite: "composite", topic: "which numbers are meant", options: ["prime"]),
        Entry(term: "vowels", vague: "certain letters", opposite: "consonants", topic: "which letters are meant",
              options: ["vowels", "consonants"]),
        Entry(term: "the sum", vague: "the combination", opposite: "the product", topic: "how the values are combined",
              options: ["the sum", "the product"]),
        Entry(term: "the product", vague: "the combination", opposite: "the sum", topic: "how the values are combined",
              options: ["the product", "the sum"]),
        Entry(term: "sorted", vague: "arranged", opposite: "reversed", topic: "how the result is ordered",
              options: ["sorted", "as given"]),
        Entry(term: "True", vague: "a truthy value", opposite: "False", topic: "what exactly to return",
              options: ["True", "False"]),
        Entry(term: "integer", vague: "number", opposite: "string", topic: "the type of the value",
              options: ["an integer", "a float"]),
    ]

    /// Facts for a prompt without facts of its own, one per distinct lexicon term found in its
    /// docstring, in order of appearance.
    static func facts(for anatomy: PromptAnatomy) -> [SpecFact] {
        var found: [(Range<String.Index>, SpecFact)] = []
        for entry in entries {
            guard let range = anatomy.find(entry.term),
                !found.contains(where: { $0.0.overlaps(range) }) else { continue }
            let sentence = anatomy.sentence(around: range).map { String(anatomy.prompt[$0]) } ?? entry.term
            let quoted = sentence.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .joined(separator: " ")
            found.append((range, SpecFact(
                phrase: entry.term, vague: entry.vague, omission: nil, opposite: entry.opposite,
                topic: entry.topic, options: entry.options,
                clarification: "It is '\(entry.term)', as in: \"\(quoted)\"")))
        }
        return found.sorted { $0.0.lowerBound < $1.0.lowerBound }.map(\.1)
    }
}
