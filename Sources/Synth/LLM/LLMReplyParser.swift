import Foundation

/// Why a model's reply could not be read; the text is fed back to the model on retry and
/// recorded in the run when the retries run out.
public struct ReplyParseError: Error, CustomStringConvertible, Sendable, Hashable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Reads the one JSON object a synthesis prompt asks for, forgiving what models commonly do:
/// a ```json fence, prose before or after the object, Python-style single quotes and
/// `True/False/None`, trailing commas. What cannot be forgiven — no object, an object cut off,
/// a missing or mistyped field — is a ``ReplyParseError`` naming the problem.
public enum LLMReplyParser {
    /// The first balanced `{…}` of `reply`, decoded to a dictionary.
    public static func object(in reply: String) throws(ReplyParseError) -> [String: Any] {
        guard let text = balancedObject(in: reply) else {
            if reply.contains("{") { throw ReplyParseError("the JSON object is not closed (the reply looks truncated)") }
            throw ReplyParseError("the reply contains no JSON object")
        }
        for candidate in [text, pythonToJSON(text)] {
            let cleaned = removingTrailingCommas(candidate)
            if let value = try? JSONSerialization.jsonObject(with: Data(cleaned.utf8)),
                let dictionary = value as? [String: Any]
            {
                return dictionary
            }
        }
        throw ReplyParseError("the JSON object is not valid JSON")
    }

    /// A required non-empty string field, trimmed unless `trimming` is off (a rewritten prompt
    /// keeps its trailing newline: completions are appended to it).
    public static func string(
        _ key: String, in object: [String: Any], trimming: Bool = true
    ) throws(ReplyParseError) -> String {
        guard let value = object[key] else { throw ReplyParseError("the field \"\(key)\" is missing") }
        guard let text = value as? String else { throw ReplyParseError("the field \"\(key)\" is not a string") }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ReplyParseError("the field \"\(key)\" is empty") }
        return trimming ? trimmed : text
    }

    /// An optional string field; absent, `null` or blank reads as `nil`.
    public static func optionalString(_ key: String, in object: [String: Any]) -> String? {
        guard let text = object[key] as? String else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A required non-empty list of non-empty strings.
    public static func strings(_ key: String, in object: [String: Any]) throws(ReplyParseError) -> [String] {
        guard let value = object[key] else { throw ReplyParseError("the field \"\(key)\" is missing") }
        guard let items = value as? [Any] else { throw ReplyParseError("the field \"\(key)\" is not a list") }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            guard let text = item as? String, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw ReplyParseError("item \(index + 1) of \"\(key)\" is not a non-empty string")
            }
            result.append(text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        guard !result.isEmpty else { throw ReplyParseError("the list \"\(key)\" is empty") }
        return result
    }

    /// The first `{` and its matching `}`, skipping braces inside single- or double-quoted
    /// strings; `nil` when the object never closes.
    static func balancedObject(in text: String) -> String? {
        let chars = Array(text)
        guard let start = chars.firstIndex(of: "{") else { return nil }
        var depth = 0
        var quote: Character?
        var escaped = false
        for index in start..<chars.count {
            let c = chars[index]
            if let open = quote {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == open { quote = nil }
                continue
            }
            switch c {
            case "\"", "'": quote = c
            case "{": depth += 1
            case "}":
                depth -= 1
                if depth == 0 { return String(chars[start...index]) }
            default: break
            }
        }
        return nil
    }

    /// A Python-literal dictionary rewritten as JSON: single-quoted strings double-quoted (inner
    /// double quotes escaped, `\'` unescaped), and `True`/`False`/`None` outside strings lowered.
    static func pythonToJSON(_ text: String) -> String {
        var out = ""
        var quote: Character?
        var escaped = false
        var word = ""
        func flushWord() {
            switch word {
            case "True": out += "true"
            case "False": out += "false"
            case "None": out += "null"
            default: out += word
            }
            word = ""
        }
        for c in text {
            if let open = quote {
                if escaped {
                    escaped = false
                    out += open == "'" && c == "'" ? "'" : "\\" + String(c)
                } else if c == "\\" {
                    escaped = true
                } else if c == open {
                    quote = nil
                    out += "\""
                } else if c == "\"" {
                    out += "\\\""
                } else if c == "\n" {
                    out += "\\n"
                } else {
                    out.append(c)
                }
                continue
            }
            if c.isLetter {
                word.append(c)
                continue
            }
            flushWord()
            if c == "'" || c == "\"" {
                quote = c
                out += "\""
            } else {
                out.append(c)
            }
        }
        flushWord()
        return out
    }

    /// `,` directly before `}` or `]` (ignoring whitespace) removed, outside strings.
    static func removingTrailingCommas(_ text: String) -> String {
        var out: [Character] = []
        var inString = false
        var escaped = false
        for c in text {
            if inString {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
                out.append(c)
                continue
            }
            if c == "\"" { inString = true }
            if c == "}" || c == "]", let last = out.lastIndex(where: { !$0.isWhitespace }), out[last] == "," {
                out.remove(at: last)
            }
            out.append(c)
        }
        return String(out)
    }
}
