import Foundation

/// A JSON value as ``JSONScanner`` reads it: objects keep their members in file order, numbers
/// keep their text (so `0.0` stays a float and big integers lose nothing until a type asks).
///
/// This is the light tree ``JSONLineDecoder`` decodes from; it exists because Foundation's
/// `JSONDecoder` spent ~80% of a JSONL read (bench/jsonl-stream.sh).
enum JSONNode {
    case null
    case bool(Bool)
    /// The literal as written, already checked against JSON's number grammar.
    case number(String)
    case string(String)
    case array([JSONNode])
    case object([JSONMember])

    /// "a string", "a list": what an error says was found.
    var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }

    /// The value with each number's form kept: integer text is `.int`, anything with a fraction
    /// or an exponent (or too big for `Int`) is `.double` — what Python's `json` does.
    var jsonValue: JSONValue {
        switch self {
        case .null: return .null
        case .bool(let value): return .bool(value)
        case .number(let text):
            if let integer = Int(text) { return .int(integer) }
            return .double(Double(text) ?? .nan)
        case .string(let value): return .string(value)
        case .array(let values): return .array(values.map(\.jsonValue))
        case .object(let members):
            var object: [String: JSONValue] = [:]
            object.reserveCapacity(members.count)
            // The first of duplicate keys, as the decoder reads them.
            for member in members where object[member.key] == nil { object[member.key] = member.value.jsonValue }
            return .object(object)
        }
    }
}

/// One `"key": value` pair of an object.
struct JSONMember {
    var key: String
    var value: JSONNode
}

/// A strict RFC 8259 parser over one line's bytes (already checked to be UTF-8 by the reader).
///
/// Errors are ``JSONLError`` values with reason ``JSONLError/Reason/invalidJSON(_:)`` naming the
/// 1-based byte where the problem is; the reader fills in the file and line.
struct JSONScanner {
    /// Deeper nesting than this is an error rather than a stack overflow.
    static let maxDepth = 512

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Parses one whole JSON text; anything but whitespace after the value is an error.
    static func parse(_ data: Data) throws(JSONLError) -> JSONNode {
        let result: Result<JSONNode, JSONLError> = data.withUnsafeBytes { raw in
            var scanner = JSONScanner(raw.bindMemory(to: UInt8.self))
            do throws(JSONLError) {
                let value = try scanner.value()
                scanner.skipWhitespace()
                if scanner.index < scanner.bytes.count { throw scanner.failure("unexpected text after the value") }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private func failure(_ what: String) -> JSONLError {
        JSONLError(file: "", reason: .invalidJSON("\(what) at byte \(index + 1)"))
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func value() throws(JSONLError) -> JSONNode {
        skipWhitespace()
        guard index < bytes.count else { throw failure("unexpected end of the line") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw failure("unexpected character '\(Self.describe(bytes[index]))'")
        }
    }

    private mutating func literal(_ word: StaticString, _ node: JSONNode) throws(JSONLError) -> JSONNode {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count,
            memcmp(bytes.baseAddress! + index, word.utf8Start, count) == 0
        else { throw failure("unexpected character '\(Self.describe(bytes[index]))'") }
        index += count
        return node
    }

    private mutating func enter() throws(JSONLError) {
        depth += 1
        if depth > Self.maxDepth { throw failure("nesting deeper than \(Self.maxDepth) levels") }
    }

    private mutating func object() throws(JSONLError) -> JSONNode {
        try enter()
        index += 1
        var members: [JSONMember] = []
        members.reserveCapacity(4)
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw failure(index < bytes.count ? "expected a quoted key" : "unexpected end of the line")
            }
            let key = try string()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':'") }
            index += 1
            members.append(JSONMember(key: key, value: try value()))
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end of the line") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return .object(members)
            } else {
                throw failure("expected ',' or '}'")
            }
        }
    }

    private mutating func array() throws(JSONLError) -> JSONNode {
        try enter()
        index += 1
        var elements: [JSONNode] = []
        elements.reserveCapacity(8)
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            elements.append(try value())
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end of the line") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return .array(elements)
            } else {
                throw failure("expected ',' or ']'")
            }
        }
    }

    /// A string starting at the opening quote. The common case (no escapes) is one scan and one
    /// copy; escapes go through a byte buffer.
    private mutating func string() throws(JSONLError) -> String {
        index += 1
        let start = index
        skipPlainStringBytes()
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { return try escapedString(from: start) }
            if byte < 0x20 { throw failure("control character \(Self.describe(byte)) inside a string (escape it)") }
            index += 1
        }
        throw failure("unterminated string")
    }

    /// Skips eight bytes at a time while none is a quote, a backslash or a control character
    /// (the classic "has a zero byte" bit trick, applied to `x ^ '"'`, `x ^ '\\'` and `x < 0x20`);
    /// the byte loop then finds which byte stopped it. Strings are most of a record's bytes.
    private mutating func skipPlainStringBytes() {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let raw = UnsafeRawPointer(bytes.baseAddress!)
        while index + 8 <= bytes.count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            let stops =
                ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
            if stops & highs != 0 { return }
            index += 8
        }
    }

    private mutating func escapedString(from start: Int) throws(JSONLError) -> String {
        var buffer = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        buffer.reserveCapacity(buffer.count + 64)
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escape)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"): appendUTF8(try unicodeEscape(), to: &buffer)
                default:
                    index -= 1
                    throw failure("invalid escape '\\\(Self.describe(escape))'")
                }
            default:
                if byte < 0x20 { throw failure("control character \(Self.describe(byte)) inside a string (escape it)") }
                buffer.append(byte)
                index += 1
            }
        }
        throw failure("unterminated string")
    }

    /// The scalar of `\uXXXX` (the `\u` already read), joining a surrogate pair.
    private mutating func unicodeEscape() throws(JSONLError) -> Unicode.Scalar {
        let first = try hex4()
        if (0xDC00...0xDFFF).contains(first) { throw failure("a lone low surrogate \\u\(Self.hex(first))") }
        guard (0xD800...0xDBFF).contains(first) else { return Unicode.Scalar(first)! }
        guard index + 2 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
        else { throw failure("a high surrogate \\u\(Self.hex(first)) without its low half") }
        index += 2
        let second = try hex4()
        guard (0xDC00...0xDFFF).contains(second) else {
            throw failure("a high surrogate \\u\(Self.hex(first)) followed by \\u\(Self.hex(second))")
        }
        return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))!
    }

    private mutating func hex4() throws(JSONLError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("a \\u escape needs four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("a \\u escape needs four hex digits")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private func appendUTF8(_ scalar: Unicode.Scalar, to buffer: inout [UInt8]) {
        UTF8.encode(scalar) { buffer.append($0) }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, kept as text.
    private mutating func number() throws(JSONLError) -> JSONNode {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw failure("a number needs digits") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count && isDigit(bytes[index]) { throw failure("a number cannot start with 0") }
        } else {
            skipDigits()
        }
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw failure("a digit must follow '.'") }
            skipDigits()
        }
        if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            index += 1
            if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) {
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else { throw failure("an exponent needs digits") }
            skipDigits()
        }
        return .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func skipDigits() {
        while index < bytes.count && isDigit(bytes[index]) { index += 1 }
    }

    private static func describe(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "0x" + hex(UInt32(byte), width: 2)
    }

    private static func hex(_ value: UInt32, width: Int = 4) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
