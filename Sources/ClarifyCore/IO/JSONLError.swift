import Foundation

/// A problem with one line of a JSONL file (or with the file as a whole), located precisely
/// enough that a user can open the file and fix it: file, 1-based line number, and the field
/// at fault as a path (`test_case[3].relation`).
///
/// Rendered by ``description`` as `path:line: field 'x': reason`, the form compilers use, so
/// editors and terminals can jump to it.
public struct JSONLError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file being read or written.
    public var file: String
    /// The 1-based line number, or `nil` when the problem concerns the whole file.
    public var line: Int?
    /// The field path inside the record (`messages[2].role`), when one field is at fault.
    public var field: String?
    /// What is wrong.
    public var reason: Reason

    public init(file: String, line: Int? = nil, field: String? = nil, reason: Reason) {
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
    }

    /// The kinds of problem. Cases carry what a user needs to fix the input.
    public enum Reason: Sendable, Hashable, Codable {
        /// The file does not exist or cannot be opened.
        case cannotOpen(String)
        /// A read or write failed at the operating-system level.
        case io(String)
        /// The file's name says gzip (`.gz`) but its bytes are not gzip.
        case notGzip(firstBytes: String)
        /// The gzip stream is damaged or ends early.
        case corruptGzip(String)
        /// The file starts with a UTF-16 or UTF-32 byte-order mark: JSONL must be UTF-8.
        case notUTF8Encoding(String)
        /// A UTF-8 byte-order mark at the start of a line other than the first (files concatenated?).
        case byteOrderMarkInsideFile
        /// The line holds bytes that are not valid UTF-8; `byteOffset` counts from the line start.
        case invalidUTF8(byteOffset: Int)
        /// The line is not valid JSON.
        case invalidJSON(String)
        /// The line is longer than the reader's limit.
        case lineTooLong(limitBytes: Int)
        /// A required field is absent.
        case missingField
        /// A field has the wrong JSON type.
        case wrongType(expected: String)
        /// A field is present but its value is not acceptable.
        case invalidValue(String)
        /// The file has no records at all.
        case empty
    }

    private enum CodingKeys: String, CodingKey {
        case file, line, field, reason, message
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        file = try container.decode(String.self, forKey: .file)
        line = try container.decodeIfPresent(Int.self, forKey: .line)
        field = try container.decodeIfPresent(String.self, forKey: .field)
        reason = try container.decode(Reason.self, forKey: .reason)
    }

    /// Encodes the rendered ``description`` as `message` too, for `--json` readers.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encodeIfPresent(line, forKey: .line)
        try container.encodeIfPresent(field, forKey: .field)
        try container.encode(reason, forKey: .reason)
        try container.encode(description, forKey: .message)
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let field, !field.isEmpty { location += ": field '\(field)'" }
        return "\(location): \(reason.message)"
    }
}

extension JSONLError.Reason {
    /// A sentence saying what is wrong and, where it helps, what to do.
    public var message: String {
        switch self {
        case .cannotOpen(let why): return "cannot open the file (\(why))"
        case .io(let why): return "input/output error (\(why))"
        case .notGzip(let bytes):
            return "the name ends in .gz but the file is not gzip (it starts with bytes \(bytes)); "
                + "rename it without .gz or compress it with gzip"
        case .corruptGzip(let why): return "the gzip data is damaged or cut short (\(why))"
        case .notUTF8Encoding(let encoding):
            return "the file is \(encoding); JSONL must be UTF-8 (convert it with iconv)"
        case .byteOrderMarkInsideFile:
            return "the line starts with a UTF-8 byte-order mark (were files concatenated?); remove the bytes EF BB BF"
        case .invalidUTF8(let offset): return "invalid UTF-8 sequence at byte \(offset + 1) of the line"
        case .invalidJSON(let why): return "not valid JSON (\(why))"
        case .lineTooLong(let limit): return "the line is longer than the limit of \(limit) bytes"
        case .missingField: return "required field is missing"
        case .wrongType(let expected): return "expected \(expected)"
        case .invalidValue(let why): return why
        case .empty: return "the file holds no records"
        }
    }
}

extension JSONLError {
    /// Maps a `DecodingError` to a located error, naming the field from the coding path.
    static func from(_ error: DecodingError, file: String, line: Int?) -> JSONLError {
        switch error {
        case .keyNotFound(let key, let context):
            return JSONLError(
                file: file, line: line, field: fieldPath(context.codingPath + [key]), reason: .missingField)
        case .typeMismatch(let type, let context):
            return JSONLError(
                file: file, line: line, field: fieldPath(context.codingPath),
                reason: .wrongType(expected: jsonTypeName(type)))
        case .valueNotFound(let type, let context):
            return JSONLError(
                file: file, line: line, field: fieldPath(context.codingPath),
                reason: .wrongType(expected: jsonTypeName(type) + ", found null"))
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                let underlying = (context.underlyingError as NSError?)?.userInfo["NSDebugDescription"] as? String
                return JSONLError(file: file, line: line, reason: .invalidJSON(underlying ?? context.debugDescription))
            }
            return JSONLError(
                file: file, line: line, field: fieldPath(context.codingPath),
                reason: .invalidValue(readable(context.debugDescription)))
        @unknown default:
            return JSONLError(file: file, line: line, reason: .invalidJSON(String(describing: error)))
        }
    }

    /// The decoder's message for an enum value it does not know ("Cannot initialize Role from
    /// invalid String value bot") names a Swift type; users get the value instead. Types whose
    /// values users write (``Role``) refuse unknown ones themselves, listing the allowed values.
    static func readable(_ description: String) -> String {
        guard description.hasPrefix("Cannot initialize "), let value = description.range(of: " value ") else {
            return description
        }
        return "'\(description[value.upperBound...])' is not an accepted value"
    }

    /// `[messages, Index 2, role]` → `messages[2].role`.
    static func fieldPath(_ path: [any CodingKey]) -> String {
        var result = ""
        for key in path {
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == "\(index)" {
                result += "[\(index)]"
            } else {
                if !result.isEmpty { result += "." }
                result += key.stringValue
            }
        }
        return result
    }

    private static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") || name.hasPrefix("[") { return "a list" }
            if name.hasPrefix("Dictionary") || name.hasPrefix("[String") { return "an object" }
            return "a value of type \(name)"
        }
    }
}
