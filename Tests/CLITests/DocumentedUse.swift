import Foundation

/// A command as the docs show it, with the flags shown on it: `clarifycoder eval --json` in a code
/// block or an inline code span (or a span that starts with the command's name, `mix --format
/// alpaca`), up to the end of the span or line, the next `clarifycoder`, or the `)` of a `$(…)`.
struct DocumentedUse: Equatable {
    var command: String
    var line: Int
    var flags: [String]

    /// One stretch of Markdown that is code: a line of a fenced block (continuation lines joined)
    /// or an inline span, with the line it starts on.
    struct Code {
        var text: String
        var line: Int
        var inline: Bool
    }

    static func codeParts(of markdown: String) -> (code: [Code], prose: [(line: Int, text: String)]) {
        var code: [Code] = []
        var prose: [(Int, String)] = []
        var fenced = false
        var pending: (text: String, line: Int)?
        var open: (text: String, line: Int)?
        for (index, raw) in markdown.components(separatedBy: "\n").enumerated() {
            let number = index + 1
            // A fence is a run of backticks with no backtick after it (CommonMark); "```` ``` ````" is a span.
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```"), !trimmed.drop(while: { $0 == "`" }).contains("`") {
                fenced.toggle()
                continue
            }
            if fenced {
                // A synopsis goes on over indented lines that start with a flag or an option in brackets.
                if pending == nil, raw.hasPrefix(" "), trimmed.hasPrefix("--") || trimmed.hasPrefix("["),
                    let last = code.last, !last.inline
                {
                    code[code.count - 1].text += " " + trimmed
                    continue
                }
                let joined = (pending?.text ?? "") + raw
                if raw.hasSuffix("\\") {
                    pending = (String(joined.dropLast()), pending?.line ?? number)
                } else {
                    code.append(Code(text: joined, line: pending?.line ?? number, inline: false))
                    pending = nil
                }
                continue
            }
            // Inline spans: the text between pairs of backticks; what lies outside them is prose. A
            // span left open goes on over the next lines of its paragraph.
            let (text, line) = open.map { ($0.text + " " + raw, $0.line) } ?? (raw, number)
            open = nil
            let pieces = text.components(separatedBy: "`")
            if pieces.count % 2 == 0, !trimmed.isEmpty {
                open = (text, line)
                continue
            }
            for (position, piece) in pieces.enumerated() {
                if position % 2 == 1, position < pieces.count - 1 {
                    code.append(Code(text: piece, line: line, inline: true))
                } else {
                    prose.append((line, piece))
                }
            }
        }
        return (code, prose)
    }

    static func flags(in text: Substring) -> [String] {
        var result: [String] = []
        var index = text.startIndex
        while let range = text.range(of: "--", range: index..<text.endIndex) {
            index = range.upperBound
            if range.lowerBound > text.startIndex {
                let before = text[text.index(before: range.lowerBound)]
                if before.isLetter || before.isNumber || before == "-" { continue }
            }
            let name = text[range.upperBound...].prefix { $0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_" }
            // Our flags are kebab-case; `--log_samples` is another tool's.
            guard let first = name.first, first.isLowercase, !name.contains("_") else { continue }
            result.append("--" + name.trimmingCharacters(in: CharacterSet(charactersIn: "-")))
        }
        return result
    }

    /// Every use of a command of `commands` (`eval`, `data inspect`) in `markdown`.
    static func find(in markdown: String, commands: Set<String>) -> [DocumentedUse] {
        var uses: [DocumentedUse] = []
        for part in codeParts(of: markdown).code {
            // A `$(clarifycoder data path humaneval)` is a use of its own, and not the outer command's.
            var texts: [String] = []
            var outer = part.text
            while let open = outer.range(of: "$("), let close = outer[open.upperBound...].firstIndex(of: ")") {
                texts.append(String(outer[open.upperBound..<close]))
                outer.replaceSubrange(open.lowerBound...close, with: "SUBSTITUTION")
            }
            texts.append(outer)
            for text in texts {
                // A span that names a command without the binary: `train --full`, `mix --format alpaca`.
                if part.inline, !text.contains("clarifycoder"), let command = leadingCommand(Substring(text), commands) {
                    uses.append(DocumentedUse(command: command.name, line: part.line, flags: flags(in: text[command.end...])))
                    continue
                }
                let pieces = text.components(separatedBy: "clarifycoder ").dropFirst()
                for piece in pieces {
                    guard let command = leadingCommand(Substring(piece), commands) else { continue }
                    uses.append(DocumentedUse(command: command.name, line: part.line, flags: flags(in: piece[command.end...])))
                }
            }
        }
        return uses
    }

    /// The command `text` starts with (two words when they name a subcommand) and where it ends.
    static func leadingCommand(_ text: Substring, _ commands: Set<String>) -> (name: String, end: Substring.Index)? {
        let words = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard let first = words.first else { return nil }
        if words.count > 1, commands.contains("\(first) \(words[1])") {
            return ("\(first) \(words[1])", words[1].endIndex)
        }
        return commands.contains(String(first)) ? (String(first), first.endIndex) : nil
    }

    /// Flags named outside any command: in prose, or in an inline span that starts with the flag
    /// (`--adapter DIR`). Code that runs other tools (`pip download --no-deps`) is left out.
    static func proseFlags(in markdown: String) -> [(line: Int, flag: String)] {
        let parts = codeParts(of: markdown)
        var result: [(Int, String)] = []
        for part in parts.code where part.inline && part.text.hasPrefix("--") {
            result += flags(in: Substring(part.text)).map { (part.line, $0) }
        }
        for (line, text) in parts.prose {
            result += flags(in: Substring(text)).map { (line, $0) }
        }
        return result
    }
}
