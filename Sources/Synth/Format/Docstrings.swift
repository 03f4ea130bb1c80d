/// Removes the docstring that opens a Python function's body, so a code answer need not repeat
/// what the prompt already says (`mix.docstrings: false`).
///
/// Line-based and conservative: a docstring is removed only when it is the first statement after
/// a `def` header (one line or several), is triple-quoted (with an optional `r`/`u` prefix), and
/// nothing but a comment follows its closing quotes; and only when the body still holds a
/// statement without it. Anything else — a one-quote string, an unterminated docstring, a body that
/// is only a docstring — is left as it was.
public enum Docstrings {
    public static func removed(from code: String) -> String {
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var kept: [String] = []
        var index = 0
        while index < lines.count {
            guard let headerEnd = headerEnd(lines, from: index) else {
                kept.append(lines[index])
                index += 1
                continue
            }
            let indent = indentation(of: lines[index])
            kept.append(contentsOf: lines[index...headerEnd])
            index = headerEnd + 1
            if let docstring = docstring(lines, at: index), bodyContinues(lines, after: docstring.upperBound, beyond: indent) {
                index = docstring.upperBound + 1
            }
        }
        return kept.joined(separator: "\n")
    }

    /// The last line of a `def` header starting at `start` (the line whose code ends with `:` at
    /// bracket depth 0), or nil when `start` does not open a function.
    static func headerEnd(_ lines: [String], from start: Int) -> Int? {
        let first = dedented(lines[start])
        guard first.hasPrefix("def ") || first.hasPrefix("async def ") else { return nil }
        var depth = 0
        for index in start..<lines.count {
            var quote: Character?
            var last: Character?
            scan: for character in lines[index] {
                if let open = quote {
                    if character == open { quote = nil }
                    continue
                }
                switch character {
                case "#": break scan
                case "'", "\"": quote = character
                case "(", "[", "{": depth += 1
                case ")", "]", "}": depth -= 1
                default: break
                }
                if !character.isWhitespace { last = character }
            }
            if depth <= 0 { return last == ":" ? index : nil }
        }
        return nil
    }

    /// The lines of the docstring that opens the body at `start` (blank lines before it included).
    static func docstring(_ lines: [String], at start: Int) -> ClosedRange<Int>? {
        var first = start
        while first < lines.count, lines[first].allSatisfy(\.isWhitespace) { first += 1 }
        guard first < lines.count else { return nil }
        var text = dedented(lines[first])
        if let prefix = text.first, "rRuU".contains(prefix) { text = text.dropFirst() }
        guard let quote = ["\"\"\"", "'''"].first(where: { text.hasPrefix($0) }) else { return nil }
        var rest = text.dropFirst(3)
        var line = first
        while true {
            if let close = rest.range(of: quote) {
                let after = dedented(rest[close.upperBound...])
                guard after.isEmpty || after.hasPrefix("#") else { return nil }
                return start...line
            }
            line += 1
            guard line < lines.count else { return nil }
            rest = Substring(lines[line])
        }
    }

    /// Whether a statement more indented than the header follows `end`: the body without its docstring.
    static func bodyContinues(_ lines: [String], after end: Int, beyond headerIndent: Int) -> Bool {
        for line in lines[(end + 1)...] where !line.allSatisfy(\.isWhitespace) {
            if dedented(line).hasPrefix("#") { continue }
            return indentation(of: line) > headerIndent
        }
        return false
    }

    static func indentation(of line: String) -> Int {
        line.count - dedented(line).count
    }

    /// The line without its leading spaces and tabs.
    static func dedented(_ line: some StringProtocol) -> Substring {
        Substring(line).drop { $0 == " " || $0 == "\t" }
    }
}
