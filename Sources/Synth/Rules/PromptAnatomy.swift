/// The parts of a HumanEval-style prompt that the rule-based synthesizer edits: the
/// docstring of the entry-point function, the examples inside it, and the signature.
///
/// HumanEval writes examples in several styles — doctest (`>>> f(x)` then the output line),
/// `f(x) ==> y`, `f(x) == y`, `f(x) ➞ y` — so an example is any docstring line that starts
/// with a call of the entry point, with its output either after an arrow on the same line or
/// on the following line(s) for doctest. Prompts with helper functions before the entry point
/// (HumanEval/10, /38, …) keep those helpers untouched: only the entry point's docstring counts.
struct PromptAnatomy {
    struct Example {
        /// The whole example, from the start of its first line to the end of its last line.
        var block: Range<String.Index>
        /// The call text, e.g. `f([1, 2], 3)`.
        var call: String
        /// The expected output text.
        var output: Range<String.Index>
    }

    let prompt: String
    let entryPoint: String
    /// The docstring's content (between the quotes), or `nil` when the entry point has none.
    let docstring: Range<String.Index>?
    let examples: [Example]
    /// Lines that only introduce examples ("Example:", "For example:").
    let exampleHeaders: [Range<String.Index>]

    init(prompt: String, entryPoint: String) {
        self.prompt = prompt
        self.entryPoint = entryPoint
        docstring = Self.findDocstring(prompt, entryPoint: entryPoint)
        var examples: [Example] = []
        var headers: [Range<String.Index>] = []
        if let doc = docstring {
            let lines = Self.lines(of: prompt, in: doc)
            var i = 0
            while i < lines.count {
                let text = prompt[lines[i]].trimmingCharacters(in: .whitespaces)
                let lower = text.lowercased()
                if text.hasSuffix(":"), lower.contains("example"), text.count < 40 {
                    headers.append(lines[i])
                } else if text.hasPrefix(">>>"), text.dropFirst(3).trimmingCharacters(in: .whitespaces).hasPrefix(entryPoint + "(") {
                    var j = i + 1
                    while j < lines.count, !prompt[lines[j]].trimmingCharacters(in: .whitespaces).isEmpty,
                        !prompt[lines[j]].trimmingCharacters(in: .whitespaces).hasPrefix(">>>")
                    { j += 1 }
                    if j > i + 1 {
                        let call = String(text.dropFirst(3).trimmingCharacters(in: .whitespaces))
                        let outputStart = prompt[lines[i + 1]].firstIndex { !$0.isWhitespace } ?? lines[i + 1].lowerBound
                        examples.append(Example(
                            block: lines[i].lowerBound..<lines[j - 1].upperBound, call: call,
                            output: outputStart..<lines[j - 1].upperBound))
                    }
                    i = j
                    continue
                } else if let example = Self.arrowExample(prompt, line: lines[i], entryPoint: entryPoint) {
                    examples.append(example)
                }
                i += 1
            }
        }
        self.examples = examples
        exampleHeaders = headers
    }

    /// The docstring text outside examples and example headers, where phrases may be edited.
    func isEditable(_ range: Range<String.Index>) -> Bool {
        guard let doc = docstring, doc.contains(range.lowerBound), range.upperBound <= doc.upperBound else { return false }
        return !examples.contains { $0.block.overlaps(range) } && !exampleHeaders.contains { $0.overlaps(range) }
    }

    /// The first editable occurrence of `phrase` that is not part of a longer word.
    func find(_ phrase: String) -> Range<String.Index>? {
        guard !phrase.isEmpty, let doc = docstring else { return nil }
        var start = doc.lowerBound
        while let range = prompt.range(of: phrase, range: start..<doc.upperBound) {
            let before = range.lowerBound > prompt.startIndex ? prompt[prompt.index(before: range.lowerBound)] : " "
            let after = range.upperBound < prompt.endIndex ? prompt[range.upperBound] : " "
            let boundary = !(phrase.first!.isLetter && (before.isLetter || before == "_"))
                && !(phrase.last!.isLetter && (after.isLetter || after == "_"))
            if boundary, isEditable(range) { return range }
            start = range.upperBound
        }
        return nil
    }

    /// The sentence holding `range`: from after the previous sentence end (or blank line, or the
    /// docstring start) to the next sentence end, including its full stop.
    func sentence(around range: Range<String.Index>) -> Range<String.Index>? {
        guard let doc = docstring else { return nil }
        var lower = range.lowerBound
        while lower > doc.lowerBound {
            let previous = prompt.index(before: lower)
            let c = prompt[previous]
            if c == "\n", previous > doc.lowerBound, prompt[prompt.index(before: previous)...previous]
                .allSatisfy({ $0 == "\n" || $0 == " " }) { break }
            if ".!?".contains(c), lower < prompt.endIndex, prompt[lower].isWhitespace { break }
            if c == ":" && prompt[lower] == "\n" { break }
            lower = previous
        }
        while lower < range.lowerBound, prompt[lower].isWhitespace { lower = prompt.index(after: lower) }
        var upper = range.upperBound
        let ended = range.upperBound > range.lowerBound && ".!?".contains(prompt[prompt.index(before: range.upperBound)])
        while !ended, upper < doc.upperBound {
            let c = prompt[upper]
            let next = prompt.index(after: upper)
            if ".!?".contains(c), next == doc.upperBound || prompt[next].isWhitespace { upper = next; break }
            if c == "\n", next < doc.upperBound {
                let following = prompt[next..<doc.upperBound].drop { $0 == " " }
                if following.hasPrefix("\n") || following.hasPrefix(">>>") { break }
            }
            upper = next
        }
        let candidate = lower..<upper
        return examples.contains { $0.block.overlaps(candidate) } ? nil : candidate
    }

    static func findDocstring(_ prompt: String, entryPoint: String) -> Range<String.Index>? {
        guard let def = prompt.range(of: "def \(entryPoint)(", options: .backwards) else { return nil }
        for quote in ["\"\"\"", "'''"] {
            if let open = prompt.range(of: quote, range: def.upperBound..<prompt.endIndex),
                let close = prompt.range(of: quote, range: open.upperBound..<prompt.endIndex)
            {
                let between = prompt[def.upperBound..<open.lowerBound]
                if !between.contains("def ") { return open.upperBound..<close.lowerBound }
            }
        }
        return nil
    }

    static func lines(of text: String, in range: Range<String.Index>) -> [Range<String.Index>] {
        var result: [Range<String.Index>] = []
        var start = range.lowerBound
        while start < range.upperBound {
            let end = text[start..<range.upperBound].firstIndex(of: "\n") ?? range.upperBound
            result.append(start..<end)
            start = end < range.upperBound ? text.index(after: end) : range.upperBound
        }
        return result
    }

    /// `f(x) ==> y`, `f(x) == y`, `f(x) ➞ y`, `f(x) -> y` on one line.
    static func arrowExample(_ prompt: String, line: Range<String.Index>, entryPoint: String) -> Example? {
        let text = prompt[line]
        guard let callStart = text.range(of: entryPoint + "(") else { return nil }
        let leading = text[text.startIndex..<callStart.lowerBound].trimmingCharacters(in: .whitespaces)
        guard leading.isEmpty || leading.hasSuffix(":") else { return nil }
        var depth = 0
        var callEnd: String.Index?
        var i = callStart.upperBound
        depth = 1
        while i < text.endIndex {
            if "([{".contains(text[i]) { depth += 1 }
            if ")]}".contains(text[i]) { depth -= 1; if depth == 0 { callEnd = text.index(after: i); break } }
            i = text.index(after: i)
        }
        guard let end = callEnd else { return nil }
        let rest = text[end...]
        for arrow in ["==>", "➞", "=>", "->", "=="] {
            if let arrowRange = rest.range(of: arrow), rest[rest.startIndex..<arrowRange.lowerBound].allSatisfy(\.isWhitespace) {
                let output = text[arrowRange.upperBound...].trimmingCharacters(in: .whitespaces)
                guard !output.isEmpty, let outStart = text[arrowRange.upperBound...].firstIndex(where: { !$0.isWhitespace }) else {
                    return nil
                }
                var outEnd = text.endIndex
                while outEnd > outStart, text[text.index(before: outEnd)].isWhitespace { outEnd = text.index(before: outEnd) }
                return Example(block: line, call: String(text[callStart.lowerBound..<end]), output: outStart..<outEnd)
            }
        }
        return nil
    }
}
