/// A Python value as it appears in prompts, doctest lines and test programs.
///
/// The bank computes expected outputs in Swift and writes them as Python literals, so the
/// rendering must be exactly Python's `repr` (CPython 3): doctest compares printed text, and
/// the rule-based synthesizer parses the `repr` text of HumanEval examples back into values
/// to contradict them.
public indirect enum PyValue: Sendable, Hashable {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case str(String)
    case list([PyValue])
    case tuple([PyValue])
    /// Insertion-ordered, as Python 3.7+ dicts are.
    case dict([PyPair])

    /// Python's `repr` of the value.
    public var repr: String {
        switch self {
        case .none: return "None"
        case .bool(let flag): return flag ? "True" : "False"
        case .int(let number): return String(number)
        case .float(let number): return Self.floatRepr(number)
        case .str(let text): return Self.stringRepr(text)
        case .list(let items): return "[" + items.map(\.repr).joined(separator: ", ") + "]"
        case .tuple(let items):
            if items.count == 1 { return "(" + items[0].repr + ",)" }
            return "(" + items.map(\.repr).joined(separator: ", ") + ")"
        case .dict(let pairs):
            return "{" + pairs.map { $0.key.repr + ": " + $0.value.repr }.joined(separator: ", ") + "}"
        }
    }

    /// CPython's shortest round-trip float repr for the values the bank uses (no exponent
    /// forms: the bank keeps floats in a human range).
    static func floatRepr(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e16 { return String(Int(number)) + ".0" }
        return "\(number)"
    }

    /// CPython's `repr(str)`: single quotes unless the text holds a single quote and no double one.
    static func stringRepr(_ text: String) -> String {
        let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if Character(scalar) == quote {
                    out += "\\" + String(quote)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append(quote)
        return out
    }
}

/// One key/value entry of a ``PyValue/dict(_:)``.
public struct PyPair: Sendable, Hashable {
    public var key: PyValue
    public var value: PyValue

    public init(_ key: PyValue, _ value: PyValue) {
        self.key = key
        self.value = value
    }
}

extension PyValue: ExpressibleByIntegerLiteral, ExpressibleByStringInterpolation, ExpressibleByBooleanLiteral {
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(stringLiteral value: String) { self = .str(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension PyValue {
    /// A list of ints, the commonest argument in the bank.
    static func ints(_ values: [Int]) -> PyValue { .list(values.map(PyValue.int)) }
    /// A list of strings.
    static func strs(_ values: [String]) -> PyValue { .list(values.map(PyValue.str)) }
    /// An optional int: `None` when absent.
    static func optional(_ value: Int?) -> PyValue { value.map(PyValue.int) ?? .none }
    /// A dict with string keys, in the given order.
    static func dict(_ pairs: [(String, PyValue)]) -> PyValue { .dict(pairs.map { PyPair(.str($0.0), $0.1) }) }
}
