import ClarifyCore

/// One rule-based edit of a prompt, and how to apply it while recording a ``Change``.
///
/// Edits are applied one after another to the evolving prompt (a 3acp variant is three
/// edits); each re-parses the prompt, so ranges never go stale.
enum PromptEdit: Hashable {
    /// Replace a fact's phrase by its vague wording (ambiguous).
    case blur(SpecFact)
    /// Remove a fact: replace it by its omission text, or drop its whole sentence (incomplete).
    case omit(SpecFact)
    /// Remove every example and example header, and the return annotation (incomplete).
    case dropExamples
    /// Replace a fact's phrase by its opposite, so the text contradicts the examples (inconsistent).
    case contradict(SpecFact)
    /// Change one example's expected output so it contradicts the text (inconsistent).
    case flipExample(Int)

    var kind: AmbiguityKind {
        switch self {
        case .blur: return .ambiguous
        case .omit, .dropExamples: return .incomplete
        case .contradict, .flipExample: return .inconsistent
        }
    }

    var fact: SpecFact? {
        switch self {
        case .blur(let fact), .omit(let fact), .contradict(let fact): return fact
        case .dropExamples, .flipExample: return nil
        }
    }

    /// Applies the edit; `nil` when it does not apply to this prompt (phrase gone, no examples…).
    func apply(to prompt: String, entryPoint: String, generator: inout SeededGenerator) -> (String, Change)? {
        let anatomy = PromptAnatomy(prompt: prompt, entryPoint: entryPoint)
        var text = prompt
        switch self {
        case .blur(let fact):
            guard let vague = fact.vague, let range = anatomy.find(fact.phrase) else { return nil }
            text.replaceSubrange(range, with: vague)
            return (Self.tidy(text), Change(
                kind: .ambiguous, description: "'\(fact.phrase)' made vague as '\(vague)'",
                original: fact.phrase, replacement: vague, clarification: fact.clarification))
        case .omit(let fact):
            guard let range = anatomy.find(fact.phrase) else { return nil }
            if let omission = fact.omission {
                text.replaceSubrange(range, with: omission)
                return (Self.tidy(text), Change(
                    kind: .incomplete, description: "removed '\(fact.phrase)'", original: fact.phrase,
                    replacement: omission.isEmpty ? nil : omission, clarification: fact.clarification))
            }
            guard let sentence = anatomy.sentence(around: range) else { return nil }
            let removed = String(prompt[sentence])
            text.replaceSubrange(sentence, with: "")
            return (Self.tidy(text), Change(
                kind: .incomplete, description: "removed the sentence '\(Self.oneLine(removed))'",
                original: removed, clarification: fact.clarification))
        case .dropExamples:
            guard !anatomy.examples.isEmpty else { return nil }
            let shown = anatomy.examples.prefix(2).map { "\($0.call) returns \(Self.oneLine(String(prompt[$0.output])))" }
            let removed = anatomy.examples.map { String(prompt[$0.block]) }.joined(separator: "\n")
            let ranges = (anatomy.examples.map(\.block) + anatomy.exampleHeaders).sorted { $0.lowerBound > $1.lowerBound }
            for range in ranges { text.replaceSubrange(range, with: "") }
            let untyped = Self.dropReturnAnnotation(text, entryPoint: entryPoint)
            let what = untyped == text ? "the examples" : "the examples and the return type"
            text = untyped
            return (Self.tidy(text), Change(
                kind: .incomplete, description: "removed " + what, original: removed,
                clarification: "For example, " + shown.joined(separator: ", and ") + "."))
        case .contradict(let fact):
            guard let opposite = fact.opposite, let range = anatomy.find(fact.phrase) else { return nil }
            text.replaceSubrange(range, with: opposite)
            return (Self.tidy(text), Change(
                kind: .inconsistent, description: "'\(fact.phrase)' replaced by the contradicting '\(opposite)'",
                original: fact.phrase, replacement: opposite, clarification: fact.clarification))
        case .flipExample(let index):
            guard index < anatomy.examples.count else { return nil }
            let example = anatomy.examples[index]
            let outputText = String(prompt[example.output])
            guard let value = PyLiteralParser.parse(outputText), let flipped = value.contradicted(using: &generator) else {
                return nil
            }
            let indent = String(repeating: " ", count: outputText.contains("\n") ? 4 : 0)
            text.replaceSubrange(example.output, with: flipped.repr + (indent.isEmpty ? "" : ""))
            return (text, Change(
                kind: .inconsistent,
                description: "the example \(example.call) now shows \(flipped.repr) instead of \(Self.oneLine(outputText))",
                original: Self.oneLine(outputText), replacement: flipped.repr,
                clarification: "The description is right and the example is wrong: \(example.call) returns \(Self.oneLine(outputText))."))
        }
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    static func dropReturnAnnotation(_ prompt: String, entryPoint: String) -> String {
        guard let def = prompt.range(of: "def \(entryPoint)(", options: .backwards),
            let lineEnd = prompt[def.upperBound...].firstIndex(of: "\n"),
            let arrow = prompt.range(of: "->", range: def.upperBound..<lineEnd),
            let colon = prompt[arrow.upperBound..<lineEnd].lastIndex(of: ":")
        else { return prompt }
        var start = arrow.lowerBound
        while start > def.upperBound, prompt[prompt.index(before: start)] == " " { start = prompt.index(before: start) }
        var text = prompt
        text.replaceSubrange(start..<colon, with: "")
        return text
    }

    /// Removes what an edit leaves behind: doubled spaces, space before punctuation, lines
    /// emptied inside the docstring, ", ." and sentence starts lost in lowercase.
    static func tidy(_ text: String) -> String {
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var value = String(line)
            let indent = value.prefix { $0 == " " }
            var body = String(value.dropFirst(indent.count))
            while body.contains("  ") { body = body.replacingOccurrences(of: "  ", with: " ") }
            for (bad, good) in [(" ,", ","), (" .", "."), (",.", "."), (", .", "."), (" :", ":"), ("( ", "("), (" )", ")")] {
                body = body.replacingOccurrences(of: bad, with: good)
            }
            value = indent + body
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty, !line.isEmpty { continue }
            lines.append(trimmed.isEmpty ? "" : value.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
        }
        var result = lines.joined(separator: "\n")
        while result.contains("\n\n\n") { result = result.replacingOccurrences(of: "\n\n\n", with: "\n\n") }
        return result
    }
}
