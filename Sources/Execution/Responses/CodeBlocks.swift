/// Fenced Markdown code blocks in a model response.
///
/// Two readers, on purpose: ``paperFirstBlock(in:)`` reproduces HumanEvalComm's `response_2_code`
/// exactly (its regex ```` ```.*\n([\s\S]+?)\n``` ```` and its first match), so the
/// paper-compatible numbers are the paper's; ``blocks(in:)`` is the tolerant reader our own
/// extraction uses (any tag, `~~~` fences, a block cut off by the token limit).
public struct CodeBlock: Sendable, Hashable {
    /// The info string after the opening fence (`python`, `py`, ``, `text`, …), lowercased.
    public var language: String
    public var code: String
    /// The closing fence was missing (the response ended inside the block).
    public var unterminated: Bool
}

public enum CodeBlocks {
    /// HumanEvalComm's `response_2_code`: the first match of ```` ```.*\n([\s\S]+?)\n``` ````, or nil.
    public static func paperFirstBlock(in response: String) -> String? {
        let text = Array(response.unicodeScalars)
        var start = 0
        while start + 3 <= text.count {
            if text[start] == "`", text[start + 1] == "`", text[start + 2] == "`",
                let code = paperMatch(text, openingAt: start)
            {
                return code
            }
            start += 1
        }
        return nil
    }

    /// Tries the regex at one position: `.*` runs to the end of the line (it cannot cross a
    /// newline), then the shortest non-empty run of anything up to "\n```".
    private static func paperMatch(_ text: [Unicode.Scalar], openingAt start: Int) -> String? {
        var lineEnd = start + 3
        while lineEnd < text.count, text[lineEnd] != "\n" { lineEnd += 1 }
        guard lineEnd < text.count else { return nil }
        let contentStart = lineEnd + 1
        var probe = contentStart + 1  // `+?` needs at least one character
        while probe + 4 <= text.count {
            if text[probe] == "\n", text[probe + 1] == "`", text[probe + 2] == "`", text[probe + 3] == "`" {
                var scalars = String.UnicodeScalarView()
                scalars.append(contentsOf: text[contentStart..<probe])
                return String(scalars)
            }
            probe += 1
        }
        return nil
    }

    /// Every fenced block, in order. A fence is a line starting with three or more backticks or
    /// tildes (after up to three spaces of indentation); it closes at a line holding the same fence
    /// alone, or at the end of the response.
    public static func blocks(in response: String) -> [CodeBlock] {
        split(response).blocks
    }

    /// The fenced blocks and the prose around them (every line outside a fence, fence lines
    /// themselves dropped).
    public static func split(_ response: String) -> (blocks: [CodeBlock], prose: String) {
        var blocks: [CodeBlock] = []
        var prose: [Substring] = []
        var current: (fence: String, language: String, lines: [Substring])?
        for line in response.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if var open = current {
                if trimmed.hasPrefix(open.fence), trimmed.trimmingWhitespace().allSatisfy({ $0 == open.fence.first }) {
                    blocks.append(
                        CodeBlock(
                            language: open.language, code: open.lines.joined(separator: "\n"),
                            unterminated: false))
                    current = nil
                } else {
                    open.lines.append(line)
                    current = open
                }
                continue
            }
            guard line.count - trimmed.count <= 3, let mark = trimmed.first, mark == "`" || mark == "~" else {
                prose.append(line)
                continue
            }
            let fence = String(trimmed.prefix { $0 == mark })
            let info = trimmed.dropFirst(fence.count).trimmingWhitespace()
            // Fewer than three marks, or inline code such as ```x```, is prose.
            guard fence.count >= 3, !(mark == "`" && info.contains("`")) else {
                prose.append(line)
                continue
            }
            let language = String(info.split(separator: " ").first ?? "").lowercased()
            current = (fence, language, [])
        }
        if let open = current, !open.lines.isEmpty {
            blocks.append(
                CodeBlock(language: open.language, code: open.lines.joined(separator: "\n"), unterminated: true))
        }
        return (blocks, prose.joined(separator: "\n"))
    }

    /// Tags that mean "not Python": a block so tagged is never taken as the solution.
    static let foreignLanguages: Set<String> = [
        "text", "txt", "plaintext", "console", "shell", "bash", "sh", "json", "yaml", "markdown", "md",
        "java", "javascript", "js", "c", "cpp", "c++", "go", "rust", "output",
    ]
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        let head = drop { $0.isWhitespace }
        var end = head.endIndex
        while end > head.startIndex, head[head.index(before: end)].isWhitespace { end = head.index(before: end) }
        return head[head.startIndex..<end]
    }
}
