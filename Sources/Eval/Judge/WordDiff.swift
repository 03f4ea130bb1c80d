import Foundation

/// Where two texts differ, word by word: the spans of the original that the modified text replaced,
/// dropped or added — what a judge is shown as "the changes" so that it need not find them itself
/// (a 1.5B model does not, reliably, in two 300-token descriptions).
///
/// Words are runs of letters, digits and `_`, and single other non-space characters; the alignment
/// is a longest common subsequence of words, so whitespace and line breaks never count as changes.
public struct WordDiff: Sendable, Hashable {
    /// One region where the texts differ: the original's words there and the modified text's (either
    /// may be empty: a removal or an addition), each as it appears in its text.
    public struct Change: Sendable, Hashable, Codable {
        public var original: String
        public var modified: String
    }

    public let changes: [Change]

    /// - Parameter renamed: a placeholder that replaced a name everywhere (HumanEvalComm renames the
    ///   function to `candidate` in most modified prompts); one-word changes to it are not shown.
    public init(original: String, modified: String, ignoringRenamesTo renamed: String? = "candidate") {
        let a = Self.words(original), b = Self.words(modified)
        let pairs = Self.commonSubsequence(a.map(\.word), b.map(\.word))
        var changes: [Change] = []
        var i = 0, j = 0
        func flush(_ iEnd: Int, _ jEnd: Int) {
            guard i < iEnd || j < jEnd else { return }
            let change = Change(
                original: i < iEnd ? String(original[a[i].range.lowerBound..<a[iEnd - 1].range.upperBound]) : "",
                modified: j < jEnd ? String(modified[b[j].range.lowerBound..<b[jEnd - 1].range.upperBound]) : "")
            let isRename = renamed != nil && change.modified == renamed && iEnd - i == 1
            if !isRename { changes.append(change) }
        }
        for (pi, pj) in pairs {
            flush(pi, pj)
            i = pi + 1
            j = pj + 1
        }
        flush(a.count, b.count)
        self.changes = changes
    }

    /// The changes as lines for a prompt: `- "old" → "new"`, `- removed: "old"`, `- added: "new"`;
    /// at most `limit` of them, each side cut to `width` characters.
    public func rendered(limit: Int = 8, width: Int = 240) -> String {
        guard !changes.isEmpty else { return "(no difference found)" }
        func cut(_ text: String) -> String {
            let flat = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .joined(separator: " ")
            return flat.count <= width ? flat : String(flat.prefix(width)) + "…"
        }
        var lines = changes.prefix(limit).map { change -> String in
            switch (change.original.isEmpty, change.modified.isEmpty) {
            case (false, true): "- removed: \"\(cut(change.original))\""
            case (true, false): "- added: \"\(cut(change.modified))\""
            default: "- \"\(cut(change.original))\" was changed to \"\(cut(change.modified))\""
            }
        }
        if changes.count > limit { lines.append("- … and \(changes.count - limit) more") }
        return lines.joined(separator: "\n")
    }

    static func words(_ text: String) -> [(word: Substring, range: Range<String.Index>)] {
        var result: [(Substring, Range<String.Index>)] = []
        var index = text.startIndex
        func isWord(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
        while index < text.endIndex {
            let c = text[index]
            if c.isWhitespace {
                index = text.index(after: index)
            } else if isWord(c) {
                var end = text.index(after: index)
                while end < text.endIndex, isWord(text[end]) { end = text.index(after: end) }
                result.append((text[index..<end], index..<end))
                index = end
            } else {
                let end = text.index(after: index)
                result.append((text[index..<end], index..<end))
                index = end
            }
        }
        return result
    }

    /// Index pairs of a longest common subsequence, in order (dynamic programming, O(n·m): the
    /// descriptions are a few hundred words).
    static func commonSubsequence(_ a: [Substring], _ b: [Substring]) -> [(Int, Int)] {
        let n = a.count, m = b.count
        guard n > 0, m > 0 else { return [] }
        var table = [Int](repeating: 0, count: (n + 1) * (m + 1))
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i * (m + 1) + j] =
                    a[i] == b[j]
                    ? table[(i + 1) * (m + 1) + j + 1] + 1
                    : max(table[(i + 1) * (m + 1) + j], table[i * (m + 1) + j + 1])
            }
        }
        var pairs: [(Int, Int)] = []
        var i = 0, j = 0
        while i < n, j < m {
            if a[i] == b[j] {
                pairs.append((i, j))
                i += 1
                j += 1
            } else if table[(i + 1) * (m + 1) + j] >= table[i * (m + 1) + j + 1] {
                i += 1
            } else {
                j += 1
            }
        }
        return pairs
    }
}
