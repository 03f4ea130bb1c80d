/// Parses the Python literals that appear as doctest outputs and in `assert` lines — ints,
/// floats, strings, booleans, None, lists, tuples, dicts — back into ``PyValue``.
///
/// The rule-based synthesizer needs this to contradict an example (flip its output to a
/// different value of the same shape) and the HumanEvalComm export needs it to turn
/// `assert candidate(x) == y` into a printed-output test case. Anything else (expressions,
/// sets, calls) is rejected with `nil`, and the caller falls back or skips.
struct PyLiteralParser {
    private let scalars: [Character]
    private var index = 0

    private init(_ text: String) { scalars = Array(text) }

    static func parse(_ text: String) -> PyValue? {
        var parser = PyLiteralParser(text.trimmingCharacters(in: .whitespacesAndNewlines))
        guard let value = parser.value() else { return nil }
        parser.skipSpace()
        return parser.index == parser.scalars.count ? value : nil
    }

    private mutating func skipSpace() {
        while index < scalars.count, scalars[index].isWhitespace { index += 1 }
    }

    private mutating func value() -> PyValue? {
        skipSpace()
        guard index < scalars.count else { return nil }
        let c = scalars[index]
        switch c {
        case "[": return sequence(close: "]").map(PyValue.list)
        case "(":
            guard let items = sequence(close: ")") else { return nil }
            return items.count == 1 && !lastSequenceHadTrailingComma ? items[0] : .tuple(items)
        case "{": return dictionary()
        case "'", "\"": return string(quote: c)
        default:
            if c == "-" || c == "+" || c.isNumber || c == "." { return number() }
            if c.isLetter { return word() }
            return nil
        }
    }

    private var lastSequenceHadTrailingComma = false

    private mutating func sequence(close: Character) -> [PyValue]? {
        index += 1
        var items: [PyValue] = []
        var trailingComma = false
        while true {
            skipSpace()
            guard index < scalars.count else { return nil }
            if scalars[index] == close { index += 1; break }
            guard let item = value() else { return nil }
            items.append(item)
            trailingComma = false
            skipSpace()
            guard index < scalars.count else { return nil }
            if scalars[index] == "," { index += 1; trailingComma = true } else if scalars[index] != close { return nil }
        }
        lastSequenceHadTrailingComma = trailingComma
        return items
    }

    private mutating func dictionary() -> PyValue? {
        index += 1
        var pairs: [PyPair] = []
        while true {
            skipSpace()
            guard index < scalars.count else { return nil }
            if scalars[index] == "}" { index += 1; break }
            guard let key = value() else { return nil }
            skipSpace()
            guard index < scalars.count, scalars[index] == ":" else { return nil }
            index += 1
            guard let item = value() else { return nil }
            pairs.append(PyPair(key, item))
            skipSpace()
            guard index < scalars.count else { return nil }
            if scalars[index] == "," { index += 1 } else if scalars[index] != "}" { return nil }
        }
        return .dict(pairs)
    }

    private mutating func string(quote: Character) -> PyValue? {
        index += 1
        var text = ""
        while index < scalars.count {
            let c = scalars[index]
            index += 1
            if c == quote { return .str(text) }
            if c == "\\" {
                guard index < scalars.count else { return nil }
                let escaped = scalars[index]
                index += 1
                switch escaped {
                case "n": text.append("\n")
                case "t": text.append("\t")
                case "r": text.append("\r")
                case "\\", "'", "\"": text.append(escaped)
                default: return nil
                }
            } else {
                text.append(c)
            }
        }
        return nil
    }

    private mutating func number() -> PyValue? {
        let start = index
        if scalars[index] == "-" || scalars[index] == "+" { index += 1 }
        while index < scalars.count, scalars[index].isNumber || ".eE_".contains(scalars[index])
            || ((scalars[index] == "-" || scalars[index] == "+") && "eE".contains(scalars[index - 1]))
        {
            index += 1
        }
        let text = String(scalars[start..<index]).replacingOccurrences(of: "_", with: "")
        if let int = Int(text) { return .int(int) }
        if let double = Double(text), text.contains(where: { $0.isNumber }) { return .float(double) }
        return nil
    }

    private mutating func word() -> PyValue? {
        let start = index
        while index < scalars.count, scalars[index].isLetter { index += 1 }
        switch String(scalars[start..<index]) {
        case "True": return .bool(true)
        case "False": return .bool(false)
        case "None": return PyValue.none
        default: return nil
        }
    }
}

extension PyValue {
    /// What `print(value)` writes: `repr`, except that a top-level string prints bare.
    var printed: String {
        if case .str(let text) = self { return text }
        return repr
    }

    /// A different value of the same shape, for an example that contradicts its problem's
    /// text: booleans negate, numbers move by one, strings and lists reverse (or grow when
    /// reversing would not change them), dicts change their first value. `nil` when no
    /// plausible contradiction exists.
    func contradicted(using generator: inout SeededGenerator) -> PyValue? {
        switch self {
        case .none: return .int(0)
        case .bool(let flag): return .bool(!flag)
        case .int(let number): return .int(number + (Bool.random(using: &generator) ? 1 : -1))
        case .float(let number): return .float(number + 1)
        case .str(let text):
            let reversed = String(text.reversed())
            if reversed != text { return .str(reversed) }
            return .str(text.isEmpty ? "a" : text + String(text.last!))
        case .list(let items), .tuple(let items):
            let wrap: ([PyValue]) -> PyValue = { if case .list = self { return .list($0) } else { return .tuple($0) } }
            if items.isEmpty { return wrap([.int(0)]) }
            if items.reversed() != items { return wrap(items.reversed()) }
            if items.count > 1 { return wrap(Array(items.dropLast())) }
            guard let changed = items[0].contradicted(using: &generator) else { return nil }
            return wrap([changed])
        case .dict(let pairs):
            guard let first = pairs.first, let changed = first.value.contradicted(using: &generator) else {
                return .dict([PyPair(.str("x"), .int(0))])
            }
            return .dict([PyPair(first.key, changed)] + pairs.dropFirst())
        }
    }
}
