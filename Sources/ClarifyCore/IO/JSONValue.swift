import Foundation

/// Any JSON value, for fields whose type varies between records (HumanEvalComm's `test_case`
/// inputs are strings except in HumanEval/32, where they are lists) and for format detection.
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Parses JSON text keeping each number's form (`0.0` is a float, `0` an integer), as
    /// Python's `json` reads it; `JSONDecoder` alone would read `0.0` as the integer 0.
    public static func parse(_ data: Data) throws -> JSONValue {
        try JSONScanner.parse(data).jsonValue
    }

    /// The string, when this is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The elements, when this is a list.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The member, when this is an object holding it.
    public subscript(key: String) -> JSONValue? {
        if case .object(let value) = self { return value[key] }
        return nil
    }

    /// The keys, when this is an object.
    public var objectKeys: Set<String>? {
        if case .object(let value) = self { return Set(value.keys) }
        return nil
    }

    /// The JSON type's name, for error messages ("a list", "a number").
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }

    /// The value as Python's `json.dumps` writes it (`", "` and `": "` separators, floats in
    /// shortest round-trip form, which is also Python's `repr`). HumanEvalComm's executor
    /// substitutes `str(input)` into its templates; for lists of numbers that text is the same,
    /// so keeping this form keeps the test faithful.
    public var pythonJSONText: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return String(value)
        case .double(let value): return Self.pythonFloat(value)
        case .string(let value):
            let data = (try? JSONEncoder().encode(value)) ?? Data("\"\"".utf8)
            return String(decoding: data, as: UTF8.self)
        case .array(let values): return "[" + values.map(\.pythonJSONText).joined(separator: ", ") + "]"
        case .object(let members):
            let body = members.keys.sorted().map { key in
                JSONValue.string(key).pythonJSONText + ": " + members[key]!.pythonJSONText
            }
            return "{" + body.joined(separator: ", ") + "}"
        }
    }

    /// Python's float repr: shortest round-trip digits (Swift's `description` uses the same
    /// rule), integral values with `.0`, and a signed exponent of at least two digits (`1e-06`).
    /// Python switches to exponent form at 1e16 and Swift at 2^53; values in between (never
    /// seen in the benchmark files) would differ in form, not in value.
    static func pythonFloat(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        var text = "\(value)"
        if let exponent = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            let mantissa = text[..<exponent]
            var power = String(text[text.index(after: exponent)...])
            let sign = power.hasPrefix("-") ? "-" : "+"
            power = power.trimmingCharacters(in: CharacterSet(charactersIn: "+-"))
            if power.count < 2 { power = "0" + power }
            text = mantissa + "e" + sign + power
        }
        return text
    }
}
